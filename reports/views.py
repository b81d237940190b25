"""Back-office screens for figures (mounted under /admin/rapports/ by wagtail_hooks).

Coordinators only: each view checks this app's own permissions (see apps.py), which
mediators do not hold.
"""

import datetime as dt
import io
import tempfile

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mediation.models import Branding, Stop
from mediation.pdf import image_url, render_pdf
from mediation.roles import require_permissions
from reports.activity import Period
from reports.charts import bar_chart, column_chart, residents_map
from reports.exports import (
    activity_csv_lines,
    key_figure_rows,
    period_label,
    write_activity_xlsx,
    write_statistics_xlsx,
)
from reports.forms import PeriodForm
from reports.models import Funder
from reports.statistics import Figures, figures_for
from sessions.models import Workshop

FIGURES = "reports.view_figures"
SHEETS = "reports.print_signin_sheets"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHARTS = ["themes", "procedures", "age_brackets", "autonomy", "redirections", "equipment"]
# Rows on a sign-in sheet: registrants, then blank lines for walk-ins, on one A4 page.
SHEET_ROWS = 16
MIN_BLANK_LINES = 3
PDF_TABLE_LINES = 40


def _file_stem(period: Period, what: str) -> str:
    stem = f"{what}-{period.start.isoformat()}-{period.end.isoformat()}"
    return f"{stem}-{period.epci.slug}" if period.epci else stem


def presentation(figures: Figures, *, longest_table: int | None = None) -> dict:
    """What the page and the PDF both show: key figures, charts with their tables, the map.

    The PDF cuts the tables of communes to their largest lines (the workbook has them all).
    """
    charts = [
        {
            "id": "months",
            "breakdown": figures.by_month,
            "svg": column_chart(figures.by_month, title=figures.by_month.title),
        }
    ]
    for name in CHARTS:
        breakdown = figures.breakdowns[name]
        charts.append(
            {"id": name, "breakdown": breakdown, "svg": bar_chart(breakdown, title=breakdown.title)}
        )
    return {
        "figures": figures,
        "key_figures": key_figure_rows(figures),
        "period_label": period_label(figures.period),
        "charts": charts,
        "home_communes": figures.home_communes[:longest_table],
        "communes": figures.communes[:longest_table],
        "cut_tables": longest_table is not None
        and max(len(figures.home_communes), len(figures.communes)) > longest_table,
        "map": residents_map(figures.home_communes, title=_("Communes the residents came from")),
    }


def statistics(request):
    require_permissions(request, FIGURES)
    form = PeriodForm(request.GET)
    period = form.period()
    context = presentation(figures_for(period))
    context |= {"form": form, "query": request.GET.urlencode() if form.is_valid() else ""}
    return TemplateResponse(
        request, "reports/admin/statistics.html", context, status=400 if form.errors else 200
    )


def _period_or_error(request):
    form = PeriodForm(request.GET)
    if form.is_bound and not form.is_valid():
        return None, statistics(request)
    return form.period(), None


def activity_export(request, fmt: str):
    require_permissions(request, FIGURES)
    period, error = _period_or_error(request)
    if error:
        return error
    filename = f"{_file_stem(period, 'activites')}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            activity_csv_lines(period), content_type="text/csv; charset=utf-8"
        )
    else:
        # The rows are streamed into a file on disk; the finished file is then sent in chunks.
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        write_activity_xlsx(period, output)
        output.seek(0)
        response = FileResponse(output, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def statistics_export(request):
    require_permissions(request, FIGURES)
    period, error = _period_or_error(request)
    if error:
        return error
    output = io.BytesIO()
    write_statistics_xlsx(figures_for(period), output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    filename = f"{_file_stem(period, 'statistiques')}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _documents_context() -> dict:
    branding = Branding.load()
    funders = Funder.objects.filter(is_active=True).select_related("logo")
    return {
        "branding": branding,
        "logo_url": image_url(branding.logo) if branding.logo_id else "",
        "funders": [
            {"name": funder.name, "logo_url": image_url(funder.logo, "max-300x120|format-png")}
            for funder in funders
        ],
    }


def report_pdf(request):
    require_permissions(request, FIGURES)
    period, error = _period_or_error(request)
    if error:
        return error
    context = presentation(figures_for(period), longest_table=PDF_TABLE_LINES)
    context |= _documents_context()
    context["generated_on"] = timezone.localdate()
    html = render_to_string("reports/report.html", context, request=request)
    response = HttpResponse(
        render_pdf(html, stylesheets=["reports/report.css"]), content_type="application/pdf"
    )
    filename = f"{_file_stem(period, 'rapport-activite')}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def signin_sheets(request):
    """Upcoming stops with their workshops, each with its sign-in sheet."""
    require_permissions(request, SHEETS)
    today = timezone.localdate()
    stops = (
        Stop.objects.upcoming(today)
        .not_cancelled()
        .filter(date__lte=today + dt.timedelta(days=31))
        .select_related("commune")
        .prefetch_related("workshops__module")
    )
    return TemplateResponse(request, "reports/admin/signin_sheets.html", {"stops": stops})


def _sheet(workshop: Workshop) -> dict:
    registrants = list(
        workshop.registrations.confirmed().order_by("last_name", "first_name", "created_at")
    )
    blank = max(SHEET_ROWS - len(registrants), MIN_BLANK_LINES)
    rows = len(registrants) + blank
    # Lines get thinner as they grow in number, so that a workshop keeps to one page.
    density = "" if rows <= SHEET_ROWS else "dense" if rows <= 22 else "denser"
    return {
        "workshop": workshop,
        "registrants": registrants,
        "blank_lines": range(blank),
        "density": density,
    }


def _sheets_pdf(request, workshops: list[Workshop], filename: str) -> HttpResponse:
    context = _documents_context() | {"sheets": [_sheet(w) for w in workshops]}
    html = render_to_string("reports/signin_sheet.html", context, request=request)
    response = HttpResponse(
        render_pdf(html, stylesheets=["reports/signin_sheet.css"]), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def workshop_signin_sheet(request, pk: int):
    require_permissions(request, SHEETS)
    workshop = get_object_or_404(Workshop.objects.select_related("module", "stop__commune"), pk=pk)
    name = f"emargement-{slugify(workshop.stop.commune.name)}-{workshop.stop.date}.pdf"
    return _sheets_pdf(request, [workshop], name)


def stop_signin_sheets(request, pk: int):
    require_permissions(request, SHEETS)
    stop = get_object_or_404(Stop.objects.select_related("commune"), pk=pk)
    workshops = list(
        stop.workshops.select_related("module", "stop__commune").order_by("start_time")
    )
    name = f"emargement-{slugify(stop.commune.name)}-{stop.date}.pdf"
    return _sheets_pdf(request, workshops, name)
