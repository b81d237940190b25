"""Back-office screens for figures (mounted under /admin/rapports/ by wagtail_hooks).

The figures are for coordinators only: each view checks this app's own permissions (see
apps.py), which mediators do not hold. An intercommunality's flyers, prepared by the same
worker as the exports, are for any member of staff.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cms.flyers import DEFAULT_MONTHS, FlyerPeriod, FlyerPeriodError, period_from_query
from mediation.models import Stop
from mediation.pdf import render_pdf
from mediation.roles import is_coordinator, is_staff_member, require_permissions
from mediation.templatetags.french_dates import hours, longdatetime
from mediation.text import french_sort_key
from reports.documents import documents_context, presentation
from reports.exports import period_label
from reports.forms import FlyersForm, PeriodForm
from reports.models import (
    FIGURE_KINDS,
    ExportFormat,
    ExportKind,
    ExportStatus,
    PreparedExport,
)
from reports.services import MAX_IN_PROGRESS, ExportError, export_delete, export_request
from reports.statistics import figures_for
from sessions.models import RegistrationStatus, Workshop

FIGURES = "reports.view_figures"
SHEETS = "reports.print_signin_sheets"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    ExportFormat.XLSX: XLSX,
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
}
RECENT_EXPORTS = 10
# Rows on a sign-in sheet: registrants, then blank lines for walk-ins, on one A4 page.
SHEET_ROWS = 16
MIN_BLANK_LINES = 3
# The most rows one page holds at each line height (reports/signin_sheet.css, with the
# funders' logos at its foot); a longer list runs over more pages at the full height.
DENSE_ROWS, DENSER_ROWS = 22, 28


def statistics(request, form: PeriodForm | None = None):
    require_permissions(request, FIGURES)
    form = form or PeriodForm(request.GET)
    period = form.period()
    context = presentation(figures_for(period)) | _exports_context(request)
    context |= {"form": form}
    return TemplateResponse(
        request, "reports/admin/statistics.html", context, status=400 if form.errors else 200
    )


def _statistics_of(period) -> str:
    """The statistics page's address for a period (where the export buttons are)."""
    return f"{reverse('reports_admin:statistics')}?{urlencode(period.query())}"


def _exports_context(request, *, kinds=None) -> dict:
    recent = PreparedExport.objects.without_content().of(request.user).select_related("epci")
    if kinds is not None:
        recent = recent.filter(kind__in=kinds)
    return {"exports": _newest_of_each_file(recent[:RECENT_EXPORTS])}


def _newest_of_each_file(exports) -> list[PreparedExport]:
    """The person's files, newest first, each PDF once: the same flyers asked for again
    while the tour did not change are the same file (copied, see reports/services.py)."""
    seen, files = set(), []
    for export in exports:
        same_file = (export.kind, export.fmt, export.start, export.end, export.epci_id)
        if export.source_digest and (same_file, export.source_digest) in seen:
            continue
        seen.add((same_file, export.source_digest))
        files.append(export)
    return files


@dataclass(frozen=True)
class FilesPage:
    """The page where a file is asked for and listed (the flyers' page for an
    intercommunality's flyers, the statistics page for the figures), and what the file's own
    page says of it in that page's words: one place that tells the two families apart."""

    url: str
    back: str
    again_form: str
    waiting: str
    open: str
    kept: str


def _files_page(export: PreparedExport) -> FilesPage:
    until = {"until": longdatetime(export.expires_at)}
    if export.kind == ExportKind.FLYERS:
        return FilesPage(
            url=reverse("reports_admin:flyers"),
            back=_("Back to the flyers"),
            again_form="reports/includes/flyers_again_form.html",
            waiting=_(
                "A few seconds, up to half a minute for the largest intercommunalities. This "
                "page updates itself; you may also leave it: the file will wait for you on the "
                "flyers page."
            ),
            open=_("Open the flyers"),
            kept=_(
                "Available until %(until)s; then it is deleted. The flyers show the stops as "
                "they are today: print them again after the tour changes."
            )
            % until,
        )
    return FilesPage(
        url=_statistics_of(export.period()),
        back=_("Back to the statistics"),
        again_form="reports/includes/export_form.html",
        waiting=_(
            "A few seconds for a month, up to a minute for three years. This page updates "
            "itself; you may also leave it: the file will wait for you on the statistics page."
        ),
        open=_("Open the report") if export.opens_in_browser else _("Download the file"),
        kept=_(
            "Available until %(until)s; then it is deleted. It contains no names or contact "
            "details, but keep it only as long as you need it."
        )
        % until,
    )


def _asked_file(data) -> tuple[str, str]:
    """The kind and format a button asks for: `file` is "statistics.xlsx" or "report.pdf";
    without it, `format` alone is the activity export's (as a page opened before the other
    files went to the worker still sends it)."""
    if "file" in data:
        kind, _dot, fmt = data["file"].partition(".")
        return kind, fmt
    return ExportKind.ACTIVITIES, data.get("format", "")


def _say_too_many(request) -> None:
    """The refusal of a file asked for beyond MAX_IN_PROGRESS on their way (any kind: the
    worker builds one person's files one after the other)."""
    messages.error(
        request,
        _(
            "You already have %(count)d files being prepared: wait until one is "
            "ready, then ask again."
        )
        % {"count": MAX_IN_PROGRESS},
    )


@require_http_methods(["POST"])
def export_ask(request):
    """Ask the worker for a file of the period in the form (POST: it writes a request)."""
    require_permissions(request, FIGURES)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return statistics(request, form=form)
    kind, fmt = _asked_file(request.POST)
    if kind not in FIGURE_KINDS:  # the flyers are asked for on their own page
        raise Http404("unknown_format")
    try:
        export = export_request(user=request.user, period=form.period(), kind=kind, fmt=fmt)
    except ExportError as error:
        if error.code != "too_many":
            raise Http404(error.code) from error
        _say_too_many(request)
        return redirect(_statistics_of(form.period()))
    return redirect("reports_admin:export", pk=export.pk)


def _own_export(request, pk) -> PreparedExport:
    # Figures for coordinators; flyers for any member of staff. Each asked once: a
    # mediator's role is two group queries.
    may_have_figures = request.user.has_perm(FIGURES)
    may_have_flyers = is_staff_member(request.user)
    if not (may_have_figures or may_have_flyers):
        raise PermissionDenied
    # Someone else's export is not found: its file is for the person who asked for it.
    export = get_object_or_404(
        PreparedExport.objects.without_content().select_related("epci").of(request.user), pk=pk
    )
    # Asked for under a role the person no longer has (no longer a coordinator, say).
    if not (may_have_figures if export.kind in FIGURE_KINDS else may_have_flyers):
        raise PermissionDenied
    return export


def _export_page(request, export: PreparedExport, *, expired: bool = False) -> TemplateResponse:
    period = export.period()
    context = {
        "export": export,
        "expired": expired,
        "period": period,
        "period_label": period_label(period),
        "files": _files_page(export),
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    }
    if export.kind == ExportKind.FLYERS:
        context["months"] = FlyerPeriod.between(period.start, period.end).months
    return TemplateResponse(
        request, "reports/admin/export.html", context, status=410 if expired else 200
    )


@require_http_methods(["GET", "HEAD"])
def former_file_address(request, **_name):
    """The address a file had when it was built in the request (the activity export, the
    statistics workbook, the report): to the statistics page of the same period, where the
    buttons now ask the worker for it."""
    require_permissions(request, FIGURES)
    query = request.GET.urlencode()
    return redirect(reverse("reports_admin:statistics") + (f"?{query}" if query else ""))


@require_http_methods(["GET", "HEAD"])
def export_detail(request, pk):
    export = _own_export(request, pk)
    return _export_page(request, export, expired=export.is_expired)


@require_http_methods(["POST"])
def export_discard(request, pk):
    """Delete one's own export now, rather than in EXPORT_RETENTION_DAYS."""
    export = _own_export(request, pk)
    export_delete(export=export)
    messages.success(request, _("The file %(name)s is deleted.") % {"name": export.filename})
    return redirect(_files_page(export).url)


def _flyers_initial(query) -> dict:
    """`?epci=<slug>&mois=<n>` chooses for the person (the former address of the batch
    leads here so). The period is read as a town hall's flyer reads it; a slug the form
    does not offer simply selects nothing."""
    initial = {"epci": query.get("epci", "")}
    try:
        initial["months"] = period_from_query(query).months
    except FlyerPeriodError:
        initial["months"] = DEFAULT_MONTHS
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
def flyers(request):
    """Every commune's flyer of an intercommunality, one A4 page each, for the town halls:
    asked for here (POST), prepared by the worker, kept with the other files."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = FlyersForm(request.POST)
        if form.is_valid():
            try:
                export = export_request(
                    user=request.user,
                    period=form.period(),
                    kind=ExportKind.FLYERS,
                    fmt=ExportFormat.PDF,
                )
            except ExportError as error:
                if error.code != "too_many":
                    raise
                _say_too_many(request)
                return redirect("reports_admin:flyers")
            return redirect("reports_admin:export", pk=export.pk)
        status = 400
    else:
        form = FlyersForm(initial=_flyers_initial(request.GET))
    context = {"form": form, "retention_days": settings.EXPORT_RETENTION_DAYS}
    context |= _exports_context(request, kinds=[ExportKind.FLYERS])
    return TemplateResponse(request, "reports/admin/flyers.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def export_state(request, pk):
    """What the export page asks every few seconds while the file is being prepared."""
    export = _own_export(request, pk)
    return JsonResponse({"status": export.status, "in_progress": export.is_in_progress})


@require_http_methods(["GET", "HEAD"])
def export_download(request, pk):
    export = _own_export(request, pk)
    if export.status != ExportStatus.READY:
        raise Http404("not ready")
    if export.is_expired:
        return _export_page(request, export, expired=True)
    content = PreparedExport.objects.values_list("content", flat=True).get(pk=export.pk)
    response = HttpResponse(bytes(content), content_type=CONTENT_TYPES[export.fmt])
    disposition = "inline" if export.opens_in_browser else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    return response


def signin_sheets(request):
    """Upcoming stops with their workshops, each with its sign-in sheet: every stop for a
    coordinator, the stops a mediator runs (a sheet lists residents' names)."""
    require_permissions(request, SHEETS)
    today = timezone.localdate()
    stops = (
        Stop.objects.whose_people_are_visible_to(request.user)
        .upcoming(today)
        .not_cancelled()
        .filter(date__lte=today + dt.timedelta(days=31))
        .select_related("commune")
        .prefetch_related(
            Prefetch(
                "workshops",
                # How many names each sheet will list: which ones are worth printing.
                # Only what the list shows: the module's steps (a StreamField) and the
                # workshop's texts would be read and decoded for 700 rows a month for nothing.
                queryset=Workshop.objects.select_related("module")
                .only("stop_id", "start_time", "end_time", "module__title")
                .annotate(
                    registrants=Count(
                        "registrations",
                        filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
                    )
                )
                .order_by("start_time"),
            )
        )
    )
    return TemplateResponse(
        request,
        "reports/admin/signin_sheets.html",
        {
            "stops": [(stop, _sheet_links(stop)) for stop in stops],
            "own_stops_only": not is_coordinator(request.user),
        },
    )


@dataclass(frozen=True)
class SheetLink:
    """A workshop's line on the sign-in sheets page, written here rather than by template
    tags: a month of the tour is 700 lines, and the tags cost a third of a second."""

    url: str
    text: str
    registrants: str


def _sheet_links(stop: Stop) -> list[SheetLink]:
    return [
        SheetLink(
            url=reverse("reports_admin:workshop_sheet", args=[workshop.pk]),
            text=f"{workshop.module.title}, {hours(workshop.start_time, workshop.end_time)}",
            registrants=ngettext(
                "%(count)s registrant", "%(count)s registrants", workshop.registrants
            )
            % {"count": workshop.registrants},
        )
        for workshop in stop.workshops.all()
    ]


def _sheet(workshop: Workshop) -> dict:
    # In dictionary order (É with E, case ignored), which no database collation promises.
    registrants = sorted(
        workshop.registrations.confirmed().select_related("home_commune").order_by("created_at"),
        key=lambda person: (french_sort_key(person.last_name), french_sort_key(person.first_name)),
    )
    blank = max(SHEET_ROWS - len(registrants), MIN_BLANK_LINES)
    rows = len(registrants) + blank
    # Lines get thinner as they grow in number, so that a workshop keeps to one page when
    # it can; beyond, the list runs over the next pages, lines full height for signing.
    density = ""
    if SHEET_ROWS < rows <= DENSE_ROWS:
        density = "dense"
    elif DENSE_ROWS < rows <= DENSER_ROWS:
        density = "denser"
    return {
        "workshop": workshop,
        "registrants": registrants,
        "blank_lines": range(blank),
        "density": density,
    }


def _sheets_pdf(request, workshops: list[Workshop], filename: str) -> HttpResponse:
    context = documents_context() | {"sheets": [_sheet(w) for w in workshops]}
    html = render_to_string("reports/signin_sheet.html", context, request=request)
    response = HttpResponse(
        render_pdf(html, stylesheets=["reports/signin_sheet.css"]), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def workshop_signin_sheet(request, pk: int):
    require_permissions(request, SHEETS)
    workshop = get_object_or_404(
        Workshop.objects.with_registrations_visible_to(request.user).select_related(
            "module", "stop__commune"
        ),
        pk=pk,
    )
    # One name per workshop: a stop's morning and afternoon sheets are saved side by side.
    start = f"{workshop.start_time:%H}h{workshop.start_time:%M}"
    name = f"emargement-{slugify(workshop.stop.commune.name)}-{workshop.stop.date}-{start}.pdf"
    return _sheets_pdf(request, [workshop], name)


def stop_signin_sheets(request, pk: int):
    require_permissions(request, SHEETS)
    stop = get_object_or_404(
        Stop.objects.whose_people_are_visible_to(request.user).select_related("commune"), pk=pk
    )
    workshops = list(
        stop.workshops.select_related("module", "stop__commune").order_by("start_time")
    )
    if not workshops:
        # A PDF with no page to print (the sheets page offers no button for such a stop).
        raise Http404("no workshop at this stop")
    name = f"emargement-{slugify(stop.commune.name)}-{stop.date}.pdf"
    return _sheets_pdf(request, workshops, name)
