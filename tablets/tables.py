"""The fleet list: a django-tables2 table, a django-filter filter set, and its exports."""

import io

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from mediation.spreadsheets import french_csv, keep_text_as_text
from tablets.models import HolderKind, Tablet, TabletStatus


def fleet_queryset():
    return Tablet.objects.select_related("holder", "van")


class FleetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    # "Tous" rather than django-filter's "---------", and "Oui"/"Non" rather than Django's
    # "Inconnu" for a filter that is simply not set.
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TabletStatus.choices, empty_label=_("All")
    )
    holder_kind = django_filters.ChoiceFilter(
        label=_("Kept"), choices=HolderKind.choices, empty_label=_("All")
    )
    os_name = django_filters.CharFilter(label=_("Operating system"), lookup_expr="iexact")
    needs_reset = django_filters.BooleanFilter(
        label=_("Awaiting reset"),
        field_name="reset_pending_since",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Tablet
        fields = ["q", "status", "holder_kind", "os_name", "needs_reset"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(asset_tag__icontains=value)
            | Q(serial_number__icontains=value)
            | Q(model_name__icontains=value)
            | Q(make__icontains=value)
        )


def holder_label(tablet: Tablet) -> str:
    if tablet.holder_kind == HolderKind.MEDIATOR and tablet.holder:
        return tablet.holder.get_full_name() or tablet.holder.get_username()
    if tablet.holder_kind == HolderKind.VAN and tablet.van_id:
        return tablet.van.name
    return str(tablet.get_holder_kind_display())


class FleetTable(tables.Table):
    """What the mediator looks for first, on the left: on the van's tablet (1024 px, the menu
    open) the list's box shows the tag, the model, the status and whether it awaits its
    reset; who keeps it, its system and its warranty follow."""

    asset_tag = tables.Column(
        linkify=("tablets_admin:detail", {"pk": tables.A("pk")}), attrs={"th": {"scope": "col"}}
    )
    # Make and model as one reads them ("Samsung Galaxy Tab A9+"), and so the system.
    model_name = tables.Column(order_by=("make", "model_name"), attrs={"th": {"scope": "col"}})
    status = tables.Column(attrs={"th": {"scope": "col"}})
    needs_reset = tables.Column(
        verbose_name=_("Reset"),
        order_by=("reset_pending_since",),
        empty_values=(),
        attrs={"th": {"scope": "col"}},
    )
    holder = tables.Column(
        verbose_name=_("Kept"),
        order_by=("holder_kind",),
        empty_values=(),
        attrs={"th": {"scope": "col"}},
    )
    os_name = tables.Column(
        verbose_name=_("System"), order_by=("os_name",), attrs={"th": {"scope": "col"}}
    )
    warranty_end = tables.DateColumn(short=True, attrs={"th": {"scope": "col"}})

    class Meta:
        model = Tablet
        fields = [
            "asset_tag",
            "model_name",
            "status",
            "needs_reset",
            "holder",
            "os_name",
            "warranty_end",
        ]
        sequence = fields
        attrs = {"class": "listing", "id": "fleet-table"}
        row_attrs = {
            "data-asset-tag": lambda record: record.asset_tag,
            "data-needs-reset": lambda record: "true" if record.needs_reset else "false",
        }

    def render_model_name(self, record):
        return f"{record.make} {record.model_name}"

    def render_os_name(self, record):
        return f"{record.os_name} {record.os_version}"

    def render_holder(self, record):
        return holder_label(record)

    def render_needs_reset(self, record):
        return _("To reset") if record.needs_reset else "—"


EXPORT_COLUMNS = [
    ("asset_tag", _("Asset tag")),
    ("serial_number", _("Serial number")),
    ("make", _("Make")),
    ("model_name", _("Model")),
    ("os_name", _("Operating system")),
    ("os_version", _("OS version")),
    ("status", _("Status")),
    ("holder", _("Kept")),
    ("purchase_date", _("Purchase date")),
    ("warranty_end", _("End of warranty")),
    ("needs_reset", _("Awaiting reset")),
]


def export_rows(queryset):
    """Header then one row per tablet; dates stay dates (XLSX keeps them typed)."""
    yield [str(label) for _, label in EXPORT_COLUMNS]
    for tablet in queryset:
        yield [
            tablet.asset_tag,
            tablet.serial_number,
            tablet.make,
            tablet.model_name,
            tablet.os_name,
            tablet.os_version,
            tablet.get_status_display(),
            holder_label(tablet),
            tablet.purchase_date,
            tablet.warranty_end,
            str(_("Yes") if tablet.needs_reset else _("No")),
        ]


def export_csv(queryset) -> str:
    return french_csv(export_rows(queryset))


def export_xlsx(queryset) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tablettes"
    for row in export_rows(queryset):
        sheet.append(row)
    buffer = io.BytesIO()
    keep_text_as_text(workbook)
    workbook.save(buffer)
    return buffer.getvalue()
