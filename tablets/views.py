"""Fleet screens in the Wagtail admin (mounted under /admin/tablets/ by wagtail_hooks)."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from mediation.models import Stop
from mediation.pdf import render_pdf
from mediation.qr import qr_svg_data_uri
from tablets.alerts import fleet_alerts
from tablets.errors import TabletError
from tablets.models import Tablet, TabletCheckout
from tablets.services import tablet_check_out, tablet_record_reset, tablet_return
from tablets.tables import FleetFilter, FleetTable, export_csv, export_xlsx, fleet_queryset

PER_PAGE = 25


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _filtered(request) -> FleetFilter:
    return FleetFilter(request.GET or None, queryset=fleet_queryset())


def fleet_list(request):
    _require(request, "tablets.view_tablet")
    fleet_filter = _filtered(request)
    table = FleetTable(fleet_filter.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.urlencode()
    return TemplateResponse(
        request,
        "tablets/admin/fleet_list.html",
        {
            "filter": fleet_filter,
            "table": table,
            "query": query,
            "can_edit": request.user.has_perm("tablets.change_tablet"),
        },
    )


def fleet_export(request, fmt: str):
    _require(request, "tablets.view_tablet")
    queryset = _filtered(request).qs
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(export_csv(queryset), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export_xlsx(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="tablettes-{stamp}.{fmt}"'
    return response


class CheckOutForm(forms.Form):
    stop = forms.ModelChoiceField(
        label=gettext_lazy("Stop"),
        queryset=Stop.objects.none(),
        empty_label=gettext_lazy("Choose one"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Today's and the coming month's stops: a tablet leaves for a stop close at hand.
        today = timezone.localdate()
        self.fields["stop"].queryset = (
            Stop.objects.upcoming(today)
            .not_cancelled()
            .filter(date__lte=today + dt.timedelta(days=31))
            .select_related("commune")
        )


class ResetForm(forms.Form):
    factory_reset = forms.BooleanField(label=gettext_lazy("Factory reset"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


def tablet_detail(request, pk: int):
    _require(request, "tablets.view_tablet")
    tablet = get_object_or_404(Tablet.objects.select_related("holder", "van"), pk=pk)
    open_checkout = (
        TabletCheckout.objects.open().filter(tablet=tablet).select_related("stop__commune").first()
    )
    return TemplateResponse(
        request,
        "tablets/admin/tablet_detail.html",
        {
            "tablet": tablet,
            "open_checkout": open_checkout,
            "checkouts": tablet.checkouts.select_related("stop__commune", "out_by")[:10],
            "resets": tablet.resets.select_related("by")[:10],
            "maintenance": tablet.maintenance.all()[:10],
            "checkout_form": CheckOutForm(),
            "reset_form": ResetForm(),
            "can_reset": request.user.has_perm("tablets.add_tabletreset"),
            "can_check_out": request.user.has_perm("tablets.add_tabletcheckout"),
            "can_edit": request.user.has_perm("tablets.change_tablet"),
        },
    )


def _act(request, tablet: Tablet, action) -> HttpResponse:
    try:
        action()
    except TabletError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Recorded."))
    return redirect("tablets_admin:detail", pk=tablet.pk)


@require_POST
def tablet_reset(request, pk: int):
    _require(request, "tablets.add_tabletreset")
    tablet = get_object_or_404(Tablet, pk=pk)
    form = ResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reset was not recorded: check the form."))
        return redirect("tablets_admin:detail", pk=tablet.pk)
    return _act(
        request,
        tablet,
        lambda: tablet_record_reset(
            tablet=tablet,
            by=request.user,
            factory_reset=form.cleaned_data["factory_reset"],
            note=form.cleaned_data["note"],
        ),
    )


@require_POST
def tablet_checkout(request, pk: int):
    _require(request, "tablets.add_tabletcheckout")
    tablet = get_object_or_404(Tablet, pk=pk)
    form = CheckOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stop."))
        return redirect("tablets_admin:detail", pk=tablet.pk)
    return _act(
        request,
        tablet,
        lambda: tablet_check_out(tablet=tablet, stop=form.cleaned_data["stop"], by=request.user),
    )


@require_POST
def tablet_return_view(request, pk: int):
    _require(request, "tablets.change_tabletcheckout")
    tablet = get_object_or_404(Tablet, pk=pk)
    return _act(request, tablet, lambda: tablet_return(tablet=tablet, by=request.user))


def alerts(request):
    _require(request, "tablets.view_tablet")
    return TemplateResponse(request, "tablets/admin/alerts.html", {"alerts": fleet_alerts()})


def tablet_record_url(tablet: Tablet) -> str:
    return settings.SITE_URL + reverse("tablets_admin:detail", kwargs={"pk": tablet.pk})


def labels_pdf(request):
    _require(request, "tablets.view_tablet")
    tablets = _filtered(request).qs
    labels = [
        {"tablet": tablet, "qr": qr_svg_data_uri(tablet_record_url(tablet))} for tablet in tablets
    ]
    html = render_to_string("tablets/labels.html", {"labels": labels}, request=request)
    pdf = render_pdf(html, stylesheets=["tablets/labels.css"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="etiquettes-tablettes.pdf"'
    return response
