"""Admin forms of the fleet. Status changes go through services.tablet_change_status."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from mediation.roles import staff_member_name, staff_members
from tablets.models import HolderKind, MaintenanceRecord, Tablet, TabletStatus
from tablets.services import transition_refusal

INVENTORY_FIELDS = [
    "asset_tag",
    "serial_number",
    "make",
    "model_name",
    "os_name",
    "os_version",
    "purchase_date",
    "warranty_end",
    "status",
    "holder_kind",
    "holder",
    "van",
    "notes",
]


class TabletForm(WagtailAdminModelForm):
    status_note = forms.CharField(
        label=_("Note on the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when a lost tablet is found: say where."),
    )

    class Meta:
        model = Tablet
        fields = INVENTORY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The status as stored, before this form touches the instance.
        self.initial_status = self.instance.status if self.instance.pk else None
        # The staff by their names, not every account by its login; and the holder it has.
        if "holder" in self.fields:
            holder = self.fields["holder"]
            holder.queryset = staff_members(also=Q(pk=self.instance.holder_id))
            holder.label_from_instance = staff_member_name
            holder.empty_label = _("Nobody")
        if "van" in self.fields:
            self.fields["van"].empty_label = _("No van")

    def clean(self):
        cleaned = super().clean()
        kind, holder = cleaned.get("holder_kind"), cleaned.get("holder")
        if kind == HolderKind.MEDIATOR and holder is None:
            self.add_error("holder", _("Choose the mediator who holds the tablet."))
        elif kind and kind != HolderKind.MEDIATOR and holder is not None:
            cleaned["holder"] = None
        if kind != HolderKind.VAN:
            cleaned["van"] = None
        status = cleaned.get("status")
        if self.initial_status and status and status != self.initial_status:
            reason = transition_refusal(
                self.initial_status, status, awaiting_reset=self.instance.needs_reset
            )
            note = cleaned.get("status_note", "").strip()
            if reason is None and self.initial_status == TabletStatus.LOST and not note:
                self.add_error(
                    "status_note",
                    _("A lost tablet comes back only when found: say where in the note."),
                )
                return cleaned
            if reason:
                self.add_error("status", reason)
        return cleaned


class MaintenanceForm(WagtailAdminModelForm):
    class Meta:
        model = MaintenanceRecord
        fields = ["tablet", "reported_on", "problem", "repair", "cost", "repaired_on"]

    def clean_cost(self):
        cost = self.cleaned_data.get("cost")
        if cost is not None and cost < 0:
            raise forms.ValidationError(
                _("A cost is zero or more: leave it empty when unknown."), code="negative"
            )
        return cost

    def clean(self):
        cleaned = super().clean()
        reported, repaired = cleaned.get("reported_on"), cleaned.get("repaired_on")
        if reported and repaired and repaired < reported:
            self.add_error(
                "repaired_on",
                forms.ValidationError(
                    _("A tablet is repaired on or after the day its breakdown was reported."),
                    code="before_report",
                ),
            )
        return cleaned
