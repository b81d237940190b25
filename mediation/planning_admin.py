"""Back-office pieces of planning: vans, series, closure periods, the stop form's planning panel,
the dashboard's conflicts panel. Registered from mediation/wagtail_hooks.py."""

from django import forms
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
)
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from mediation.backoffice_wording import AddLabelMixin, InlinePanelWithAddLabel, SpokenColumn
from mediation.models import ClosurePeriod, RecurrenceRule, StopSeries, Van
from mediation.planning import registry
from mediation.planning.conflicts import conflicts_for_stop, upcoming_conflicts
from mediation.planning.rules import outside_stop_hours
from mediation.planning.series import series_delete, series_upcoming
from mediation.roles import staff_member_name, staff_members


class VanViewSet(AddLabelMixin, SnippetViewSet):
    model = Van
    add_item_label = _("Add a van")
    icon = "pick"
    menu_label = _("Vans")
    list_display = [
        "name",
        "plate",
        "home_base",
        "tablets_carried",
        SpokenColumn.of(Van, "is_active"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("plate")]),
        FieldPanel("home_base"),
        FieldRowPanel([FieldPanel("tablets_carried"), FieldPanel("is_active")]),
    ]

    def get_queryset(self, request):
        return Van.objects.select_related("home_base")


class ClosurePeriodViewSet(AddLabelMixin, SnippetViewSet):
    model = ClosurePeriod
    add_item_label = _("Add a closure period")
    icon = "calendar-alt"
    menu_label = _("Closure periods")
    list_display = ["label", "start_date", "end_date"]
    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]


class SeriesPreviewAfterSave:
    """Saving a series writes no stop: the coordinator goes on to its preview."""

    def get_success_url(self):
        return reverse("planning:series_preview", args=[self.object.pk])


class SeriesCreateView(SeriesPreviewAfterSave, CreateView):
    pass


class SeriesEditView(SeriesPreviewAfterSave, EditView):
    pass


class SeriesDeleteView(DeleteView):
    """Says what becomes of the series' stops to come before it goes, and offers to cancel
    those nobody signed up for: else they stay in the tour, on their own (series_delete)."""

    @cached_property
    def upcoming(self):
        return series_upcoming(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"upcoming": self.upcoming}

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete")
            self.cancelled = series_delete(
                series=self.object, cancel_upcoming=self.request.POST.get("cancel_upcoming") == "1"
            )

    def get_success_message(self):
        message = super().get_success_message()
        if self.cancelled:
            message += " " + ngettext(
                "%(count)s stop to come was cancelled.",
                "%(count)s stops to come were cancelled.",
                len(self.cancelled),
            ) % {"count": len(self.cancelled)}
        return message


def _offer_staff_as_mediators(form) -> None:
    """The mediators a stop or a series may have: the staff (mediators and coordinators, by
    their names, not every account by its login), and whoever it already has."""
    field = form.fields.get("mediators")
    if field is None:
        return
    already = Q(pk__in=form.instance.mediators.values("pk")) if form.instance.pk else None
    field.queryset = staff_members(also=already)
    field.label_from_instance = staff_member_name


def _typed_date_not_past(form, name: str, message: str):
    """The date field `name`, refused (code "past") when it was typed in this form and is
    before today: a stop or series already past can still be edited otherwise."""
    day = form.cleaned_data.get(name)
    if day and name in form.changed_data and day < timezone.localdate():
        raise forms.ValidationError(message, code="past")
    return day


class StopSeriesForm(WagtailAdminModelForm):
    """The series' workshops take place at each of its stops: they must fit in its hours."""

    # Each asked for one rule only: left empty (or odd) for another rule, it keeps its value.
    RULE_FIELDS = {
        "interval_weeks": RecurrenceRule.EVERY_N_WEEKS,
        "week_of_month": RecurrenceRule.NTH_WEEKDAY,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_staff_as_mediators(self)

    def clean(self):
        cleaned = super().clean()
        rule = cleaned.get("rule")
        for name, its_rule in self.RULE_FIELDS.items():
            if rule is None or rule == its_rule or name not in self.fields:
                continue
            # "Every how many weeks" means nothing to a weekly series: whatever was typed
            # there, the series keeps its former value (or the default) and says nothing.
            self.errors.pop(name, None)
            cleaned[name] = getattr(self.instance, name)
        return cleaned

    def clean_end_date(self):
        return _typed_date_not_past(
            self, "end_date", _("This date is past: the series would plan nothing.")
        )

    def is_valid(self):
        valid = self._workshops_modules_offered(super().is_valid())
        start, end = self.cleaned_data.get("start_time"), self.cleaned_data.get("end_time")
        if not (start and end and start < end):
            return valid
        for form in self.formsets["workshops"].forms:
            data = getattr(form, "cleaned_data", None) or {}
            first, last = data.get("start_time"), data.get("end_time")
            if data.get("DELETE") or not (first and last):
                continue
            problem = outside_stop_hours(first, last, opens=start, closes=end)
            if problem:
                form.add_error("start_time", problem)
                valid = False
        return valid

    def _workshops_modules_offered(self, valid: bool) -> bool:
        """A withdrawn module is planned at no new stop: a series' new workshop may not take
        it (as a stop's may not); one the series already teaches keeps it."""
        for form in self.formsets["workshops"].forms:
            data = getattr(form, "cleaned_data", None) or {}
            module = data.get("module")
            if data.get("DELETE") or module is None or module.is_active:
                continue
            if form.instance.pk and form.instance.module_id == module.pk:
                continue
            form.add_error("module", _("This module is no longer offered: choose another one."))
            valid = False
        return valid


class StopSeriesViewSet(AddLabelMixin, SnippetViewSet):
    model = StopSeries
    add_item_label = _("Add a series of stops")
    icon = "repeat"
    menu_label = _("Series of stops")
    add_view_class = SeriesCreateView
    edit_view_class = SeriesEditView
    delete_view_class = SeriesDeleteView
    delete_template_name = "mediation/planning/series_confirm_delete.html"
    # The rule in words ("every 2 weeks on Tuesday"): "every N weeks" alone, forty times
    # over, does not tell one series from another.
    list_display = [
        "__str__",
        "van",
        Column("rule_label", label=_("rule"), sort_key="rule"),
        "start_date",
        "end_date",
    ]
    list_filter = ["van"]
    search_fields = ["name", "commune__name", "place_name"]
    edit_handler = ObjectList(
        [
            # Plain selects: a coordinator types the first letters, and no script is needed.
            FieldRowPanel(
                [
                    FieldPanel("van", widget=forms.Select),
                    FieldPanel("commune", widget=forms.Select),
                    FieldPanel("name"),
                ]
            ),
            MultiFieldPanel(
                [
                    FieldPanel("rule"),
                    FieldRowPanel(
                        [
                            FieldPanel("weekday"),
                            FieldPanel("interval_weeks"),
                            FieldPanel("week_of_month"),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
                ],
                heading=_("When"),
            ),
            MultiFieldPanel(
                [FieldPanel("place_name"), FieldPanel("address"), FieldPanel("directions")],
                heading=_("Place"),
            ),
            FieldPanel("mediators"),
            InlinePanelWithAddLabel(
                "workshops",
                heading=_("Workshops at each stop"),
                label=_("Workshop"),
                add_label=_("Add a workshop"),
            ),
        ],
        base_form_class=StopSeriesForm,
    )

    def get_queryset(self, request):
        return StopSeries.objects.select_related("van", "commune")


def series_listing_buttons(snippet, user):
    if isinstance(snippet, StopSeries) and user.has_perm("mediation.view_stopseries"):
        yield ListingButton(
            _("Preview and generate"),
            url=reverse("planning:series_preview", args=[snippet.pk]),
            icon_name="view",
            priority=5,
        )


class StopForm(WagtailAdminModelForm):
    """Every stop belongs to a van once the operator has one (the planner is per van)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_staff_as_mediators(self)
        self.fields["van"].empty_label = _("Choose the van")
        vans = list(Van.objects.filter(is_active=True)[:2])
        if not self.instance.pk and len(vans) == 1:
            self.fields["van"].initial = vans[0].pk

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if self.instance.pk and start and end and start < end:
            # Its workshops must still fit: residents signed up for those hours.
            for problem in registry.outside_hours(self.instance.pk, start, end):
                self.add_error("start_time", problem)
        return cleaned

    def clean_date(self):
        # A year mistyped in January (2026 for 2027) made a stop the figures count as held.
        return _typed_date_not_past(
            self, "date", _("This date is past: a stop is planned from today on.")
        )

    def clean_van(self):
        van = self.cleaned_data.get("van")
        if van is None and Van.objects.exists():
            raise forms.ValidationError(
                _("Choose the van that makes this stop."), code="van_required"
            )
        return van


class StopPlanningPanel(Panel):
    """On a stop's form: its series, whether it is an exception, and its conflicts."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "mediation/planning/stop_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            stop = self.instance
            context["stop"] = stop
            context["conflicts"] = conflicts_for_stop(stop) if stop.pk else []
            return context


class ConflictsPanel(Component):
    """The coordinators' dashboard: conflicts in the coming three months."""

    name = "planning_conflicts"
    order = 140
    template_name = "mediation/planning/conflicts_panel.html"

    def get_context_data(self, parent_context):
        return {"conflicts": upcoming_conflicts(today=timezone.localdate())}
