"""Triage of the requests for a visit: coordinators plan them (with a stop or a series of
stops) or decline them (with a reason).

Both choices are bounded: upcoming stops, series not yet over (and whatever the request
already names), so the form never renders a select of every stop ever made.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from mediation.backoffice_wording import InspectedInFrench, SpokenColumn
from mediation.models import Stop, StopSeries
from sessions.backoffice.errors import DECISION_ERRORS, error_message
from sessions.bus_requests import BusRequestError, bus_request_decide
from sessions.contacts import display_phone
from sessions.demand_models import BusRequest, BusRequestStatus, series_summary, stop_summary


class StopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stop: Stop) -> str:
        return stop_summary(stop)


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, series: StopSeries) -> str:
        return series_summary(series)


def stop_choices(current_pk: int | None):
    """Upcoming stops not cancelled, and the one already chosen."""
    upcoming = Stop.objects.upcoming(timezone.localdate()).not_cancelled()
    if current_pk:
        upcoming = upcoming | Stop.objects.filter(pk=current_pk)
    return upcoming.select_related("commune").order_by("date", "start_time")


def series_choices(current_pk: int | None):
    """Series not over yet, and the one already chosen."""
    current = StopSeries.objects.filter(end_date__gte=timezone.localdate())
    if current_pk:
        current = current | StopSeries.objects.filter(pk=current_pk)
    return current.select_related("commune").order_by("commune__name", "start_date", "pk")


class BusRequestTriageForm(WagtailAdminModelForm):
    """Planned needs the stop or series that answers it, declined a reason; the service
    does the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "stop" in self.fields:
            self.fields["stop"] = StopChoiceField(
                label=_("Stop that answers it"),
                queryset=stop_choices(self.instance.stop_id),
                required=False,
            )
        if "series" in self.fields:
            self.fields["series"] = SeriesChoiceField(
                label=_("Or the series of stops that answers it"),
                queryset=series_choices(self.instance.series_id),
                required=False,
                help_text=_("Series not over yet: the requester is told its place and dates."),
            )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        planned_with = cleaned.get("stop") or cleaned.get("series")
        if status == BusRequestStatus.NEW:
            self.add_error("status", ValidationError(DECISION_ERRORS["not_a_decision"][1]))
        elif status == BusRequestStatus.PLANNED and not planned_with:
            self.add_error("stop", ValidationError(DECISION_ERRORS["no_answer"][1]))
        elif status == BusRequestStatus.DECLINED and not cleaned.get("decline_reason", "").strip():
            self.add_error("decline_reason", ValidationError(DECISION_ERRORS["no_reason"][1]))
        return cleaned


class BusRequestTriageView(generic.EditView):
    def save_instance(self):
        """Decide through the service, which tells the requester (never a bare save)."""
        data = self.form.cleaned_data
        try:
            instance = bus_request_decide(
                bus_request=self.object,
                status=data["status"],
                stop=data.get("stop"),
                series=data.get("series"),
                reason=data.get("decline_reason", ""),
                by=self.request.user,
            )
        except BusRequestError as error:
            field, message = DECISION_ERRORS.get(error.code, (None, error_message(error)))
            self.form.add_error(field, message)
            raise
        log(instance=instance, action="wagtail.edit", content_changed=True)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except BusRequestError:
            return self.form_invalid(form)


class BusRequestInspectView(InspectedInFrench, generic.InspectView):
    """The request in full, with the stop or series that answers it in words."""

    def get_stop_display_value(self):
        stop = self.object.stop
        return stop_summary(stop) if stop else pgettext("no stop or series", "None")

    def get_series_display_value(self):
        series = self.object.series
        return series_summary(series) if series else pgettext("no stop or series", "None")

    def get_phone_display_value(self):
        # As it is dialled, "06 12 34 56 78", not as it is kept (+33612345678).
        return display_phone(self.object.phone)


def _read_only(*names):
    return [FieldPanel(name, read_only=True) for name in names]


class BusRequestViewSet(ModelViewSet):
    model = BusRequest
    # Not "help": Wagtail's own Help menu wears it.
    icon = "comment"
    name = "bus_requests"
    menu_label = _("Requests for a visit")
    menu_order = 260
    add_to_admin_menu = True
    edit_view_class = BusRequestTriageView
    inspect_view_class = BusRequestInspectView
    list_display = [
        "commune",
        "requester_kind",
        "organisation",
        SpokenColumn.of(BusRequest, "created_at"),
        "status",
        Column("answer_label", label=capfirst(_("answer"))),
    ]
    list_filter = ["status", "requester_kind", "commune__epci"]
    search_fields = ["commune__name", "organisation"]
    ordering = ["-created_at"]
    list_per_page = 50
    inspect_view_enabled = True
    # The request, not the database's bookkeeping.
    inspect_view_fields_exclude = ["id", "anonymised_at"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    *_read_only("commune", "requester_kind", "organisation", "contact_name"),
                    FieldRowPanel(_read_only("phone", "email")),
                    *_read_only("expected_people", "venue", "preferred_period", "needs"),
                    *_read_only("created_at"),
                ],
                heading=_("The request"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status", widget=forms.RadioSelect),
                    FieldPanel("stop"),
                    FieldPanel("series"),
                    FieldPanel("decline_reason"),
                ],
                heading=_("Decision (the requester is told)"),
            ),
        ],
        base_form_class=BusRequestTriageForm,
    )

    def get_queryset(self, request):
        return BusRequest.objects.select_related("commune", "stop__commune", "series__commune")
