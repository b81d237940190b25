"""Workshops in the back-office: their snippet screens and the buttons on their rows."""

import django_filters
from django import forms
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from mediation.backoffice_filters import PeriodFilterSetMixin, StopPeriodFilter
from mediation.backoffice_wording import AddLabelMixin, SpokenColumn
from mediation.models import Stop, StopStatus, TutorialModule
from mediation.planning.rules import outside_stop_hours
from mediation.row_buttons import StampedRowButtons
from sessions.backoffice.filters import StopCommuneFilter
from sessions.backoffice.registrations import warn_of_calls_to_make
from sessions.models import Registration, RegistrationStatus, Workshop
from sessions.services import workshop_fill_from_waiting_list
from sessions.vocabulary import PlaceType, Theme


class WorkshopForm(WagtailAdminModelForm):
    # The activity report's themes; none ticked means the module's (see Workshop.themes).
    themes = forms.MultipleChoiceField(
        label=_("Themes for the activity report"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to use the module's themes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most workshops happen at the van: a form that leaves the place out means the van.
        if "place_type" in self.fields:
            self.fields["place_type"].required = False
        # A withdrawn module is taught no more: offered only to the workshops planned on it.
        if "module" in self.fields:
            self.fields["module"].queryset = TutorialModule.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.module_id)
            )

    def clean(self):
        cleaned = super().clean()
        stop, start, end = (cleaned.get(name) for name in ("stop", "start_time", "end_time"))
        if stop and start and end and start < end:  # an end before the start is said by it
            problem = outside_stop_hours(start, end, opens=stop.start_time, closes=stop.end_time)
            if problem:
                self.add_error("start_time", problem)
        return cleaned

    def clean_place_type(self):
        return self.cleaned_data.get("place_type") or PlaceType.VAN

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity < self.instance.seats_taken:
            raise forms.ValidationError(
                _(
                    "%(taken)s seats are already taken: cancel registrations before lowering "
                    "the capacity below that."
                ),
                params={"taken": self.instance.seats_taken},
                code="below_seats_taken",
            )
        return capacity


class WorkshopFilterSet(PeriodFilterSetMixin, WagtailFilterSet):
    """A tour of three years in a list: narrowed by the stop's days and commune, as the
    registrations are (choices that do not grow with the tour: no list of every stop), and
    opened on the workshops to come."""

    period = StopPeriodFilter(stop_path="stop")
    stop_date = django_filters.DateFromToRangeFilter(
        field_name="stop__date", label=_("Date of the stop"), widget=DateRangePickerWidget
    )
    commune = StopCommuneFilter(stop_path="stop", label=_("Commune of the stop"))

    class Meta:
        model = Workshop
        fields = ["module"]


class WorkshopEditView(SnippetEditView):
    def save_instance(self):
        instance = super().save_instance()
        # What the form changed, for the after_edit_snippet hooks (registrants to tell).
        instance.changed_in_form = frozenset(self.form.changed_data)
        # Seats added by staff go to the waiting list at once, first come first served.
        promoted = workshop_fill_from_waiting_list(workshop=instance)
        warn_of_calls_to_make(self.request, promoted)
        return instance


class WorkshopIndexView(StampedRowButtons, IndexView):
    pass


class WorkshopViewSet(AddLabelMixin, SnippetViewSet):
    model = Workshop
    index_view_class = WorkshopIndexView
    add_item_label = _("Add a workshop")
    icon = "group"
    menu_label = _("Workshops")
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "module",
        "stop",
        # "14 h 30", as residents and the stops list read it, not "14:30".
        SpokenColumn.of(Workshop, "start_time"),
        "capacity",
        "seats_taken",
        Column("waiting_count", label=capfirst(_("waiting list"))),
    ]
    filterset_class = WorkshopFilterSet
    search_fields = ["module__title", "stop__commune__name"]
    edit_view_class = WorkshopEditView
    edit_handler = ObjectList(
        [
            FieldPanel("stop"),
            FieldPanel("module"),
            FieldRowPanel(
                [FieldPanel("start_time"), FieldPanel("end_time"), FieldPanel("capacity")]
            ),
            FieldRowPanel([FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")]),
            MultiFieldPanel(
                [
                    FieldPanel("themes"),
                    FieldRowPanel([FieldPanel("procedure_name"), FieldPanel("operator")]),
                    FieldPanel("place_type"),
                ],
                heading=_("Activity report"),
            ),
        ],
        base_form_class=WorkshopForm,
    )

    def get_queryset(self, request):
        # A subquery per listed workshop, not a join of every registration grouped for the
        # whole tour before the page of 50 is cut.
        waiting = (
            Registration.objects.filter(workshop=OuterRef("pk"), status=RegistrationStatus.WAITING)
            .order_by()
            .values("workshop")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Workshop.objects.select_related("module", "stop__commune").annotate(
            waiting_count=Coalesce(Subquery(waiting), 0)
        )


def workshop_and_stop_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Workshop) and user.has_perm("workshops.view_registration"):
        yield ListingButton(
            _("Registrations"),
            url=reverse("registrations:index") + f"?workshop={snippet.pk}",
            icon_name="group",
            priority=5,
        )
        if user.has_perm("workshops.add_registration"):
            yield ListingButton(
                _("Register a caller"),
                url=reverse("registrations:add") + f"?workshop={snippet.pk}",
                icon_name="plus",
                priority=6,
            )
    if (
        isinstance(snippet, Stop)
        and snippet.status != StopStatus.CANCELLED
        and user.has_perm("mediation.change_stop")
    ):
        yield ListingButton(
            _("Cancel the stop"),
            url=reverse("workshops_stop_cancel", args=[snippet.pk]),
            icon_name="cross",
            priority=50,
        )
