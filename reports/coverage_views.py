"""The coverage report in the back office: figures, shaded map, per-EPCI summary, exports."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediation import maps
from mediation.roles import require_coordinator
from reports import coverage_exports
from reports.coverage import CLASS_LABELS, NO_STOP_LABEL, CoverageReport, coverage_report

PER_PAGE = 50
MAX_PERIOD_DAYS = 3 * 366
# Light for a stop in the commune, dark for the farthest: the left-out stand out.
CLASS_COLOURS = maps.SEQUENTIAL_PALETTE


class PeriodForm(forms.Form):
    # Browsers' date pickers read and send ISO dates, whatever the language.
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @staticmethod
    def default_period() -> dict[str, dt.date]:
        """A year around today: six months of stops made, six months of stops planned."""
        today = timezone.localdate()
        return {"start": today - dt.timedelta(days=182), "end": today + dt.timedelta(days=182)}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", ValidationError(_("The end comes before the start.")))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", ValidationError(_("Choose a period of three years at most.")))
        return cleaned


def _period(request: HttpRequest) -> tuple[PeriodForm, dict[str, dt.date]]:
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data
        return form, PeriodForm.default_period()
    period = PeriodForm.default_period()
    return PeriodForm(initial=period), period


def _shaded_map(report: CoverageReport):
    shades = [
        maps.Shade(label=str(label), colour=colour)
        for label, colour in zip(CLASS_LABELS, CLASS_COLOURS, strict=True)
    ]
    return maps.render_shaded_map(
        classes=report.classes,
        shades=shades,
        title=_("Distance from each commune to the nearest stop, %(start)s to %(end)s")
        % {"start": report.start.strftime("%d/%m/%Y"), "end": report.end.strftime("%d/%m/%Y")},
        no_data_label=str(NO_STOP_LABEL),
    )


def _class_table(report: CoverageReport) -> list[dict]:
    """The map's figures as a table: communes and inhabitants in each distance class."""
    rows = [
        {"label": label, "colour": colour, "communes": 0, "population": 0}
        for label, colour in zip(CLASS_LABELS, CLASS_COLOURS, strict=True)
    ]
    rows.append(
        {"label": NO_STOP_LABEL, "colour": maps.NO_DATA_FILL, "communes": 0, "population": 0}
    )
    for commune in report.communes:
        index = commune.distance_class
        row = rows[-1 if index is None else index]
        row["communes"] += 1
        row["population"] += commune.population
    return rows


def coverage(request: HttpRequest) -> HttpResponse:
    """The report of the period asked for; a bad period is said next to its field (400),
    the year around today is shown, and no file is offered."""
    require_coordinator(request)
    form, period = _period(request)
    report = coverage_report(**period)
    page = Paginator(report.communes, PER_PAGE).get_page(request.GET.get("page"))
    query = f"start={period['start'].isoformat()}&end={period['end'].isoformat()}"
    return TemplateResponse(
        request,
        "reports/coverage/report.html",
        {
            "form": form,
            "report": report,
            "page": page,
            "rank_offset": page.start_index() - 1,
            "shaded_map": _shaded_map(report),
            "class_rows": _class_table(report),
            "query": query,
            "export_csv": f"{reverse('coverage:export_csv')}?{query}",
            "export_xlsx": f"{reverse('coverage:export_xlsx')}?{query}",
        },
        status=400 if form.errors else 200,
    )


def coverage_export(request: HttpRequest, fmt: str) -> HttpResponse:
    require_coordinator(request)
    form, period = _period(request)
    if form.errors:  # the page says why; a file of another period would mislead
        return coverage(request)
    report = coverage_report(**period)
    if fmt == "csv":
        response = HttpResponse(
            coverage_exports.export_csv(report), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            coverage_exports.export_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = f"couverture-{period['start'].isoformat()}-{period['end'].isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
