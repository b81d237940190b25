"""What the statistics page and the activity report show, and the report's PDF.

The page renders `presentation` in the request; the report, a PDF of seconds for a year, is
rendered by the task worker (reports.services), which has no request: nothing here needs one.
"""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mediation.models import Branding
from mediation.pdf import image_url, render_pdf
from mediation.templatetags.french_dates import longdate
from reports.activity import Period
from reports.charts import bar_chart, column_chart, residents_map
from reports.exports import key_figure_rows, period_label
from reports.models import Funder
from reports.statistics import Figures, figures_for

CHARTS = ["themes", "procedures", "age_brackets", "autonomy", "redirections", "equipment"]
PDF_TABLE_LINES = 40


def period_in_words(period: Period) -> str:
    """The period as a funder reads it on the report's cover: "du lundi 1er septembre 2025
    au lundi 31 août 2026" (or "le mardi 10 mars 2026"), then its intercommunality."""
    if period.start == period.end:
        words = pgettext("period of one day", "on %(day)s") % {"day": longdate(period.start)}
    else:
        words = pgettext("period of days", "from %(start)s to %(end)s") % {
            "start": longdate(period.start),
            "end": longdate(period.end),
        }
    return f"{words}, {period.epci.name}" if period.epci else words


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
        "not_applicable": _("not applicable"),
        "period_label": period_label(figures.period),
        "period_in_words": period_in_words(figures.period),
        "charts": charts,
        "home_communes": figures.home_communes[:longest_table],
        "communes": figures.communes[:longest_table],
        "cut_tables": longest_table is not None
        and max(len(figures.home_communes), len(figures.communes)) > longest_table,
        "map": residents_map(figures.home_communes, title=_("Communes the residents came from")),
    }


def documents_context() -> dict:
    """The operator's branding and the active funders' logos, for printed documents."""
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


REPORT_STYLESHEETS = ["reports/report.css"]


def report_html(period: Period, *, today: dt.date | None = None) -> str:
    """The activity report's document, to render with REPORT_STYLESHEETS."""
    context = presentation(figures_for(period), longest_table=PDF_TABLE_LINES)
    context |= documents_context() | {"generated_on": today or timezone.localdate()}
    return render_to_string("reports/report.html", context)


def report_pdf(period: Period, *, today: dt.date | None = None) -> bytes:
    """The activity report of `period`: cover, key figures, charts, map, tables."""
    return render_pdf(report_html(period, today=today), stylesheets=REPORT_STYLESHEETS, tagged=True)
