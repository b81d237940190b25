"""The coverage report as a spreadsheet (CSV or XLSX): one row per commune, farthest first."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from mediation.spreadsheets import PERCENT_FORMAT, french_csv, keep_text_as_text
from reports.coverage import CoverageReport


def _header() -> list[str]:
    return [
        _("INSEE code"),
        _("Commune"),
        _("Intercommunality"),
        _("Population"),
        _("Distance to the nearest stop (km)"),
        _("Nearest commune with a stop"),
        _("Stops in the commune"),
        _("Visits by its residents"),
        _("Requests for a visit"),
        _("Pending requests"),
        _("Residents waiting for an alert"),
        _("Population × km"),
    ]


def coverage_rows(report: CoverageReport):
    """Header then one row per commune; numbers stay numbers (XLSX keeps them typed)."""
    yield _header()
    for c in report.communes:
        yield [
            c.insee_code,
            c.name,
            c.epci_name,
            c.population,
            None if c.distance_km is None else round(c.distance_km, 1),
            c.nearest_name,
            c.stops,
            c.visits,
            c.requests,
            c.pending_requests,
            c.alerts,
            round(c.left_out_score),
        ]


def epci_rows(report: CoverageReport):
    yield [
        _("Intercommunality"),
        _("Communes"),
        _("Population"),
        _("Share of the population within 10 km of a stop"),
        _("Share of the population within 20 km of a stop"),
        _("Stops"),
        _("Requests for a visit"),
    ]
    for epci in [*report.epcis, report.total]:
        yield [
            epci.name,
            epci.communes,
            epci.population,
            None if epci.share_10 is None else round(epci.share_10, 3),
            None if epci.share_20 is None else round(epci.share_20, 3),
            epci.stops,
            epci.requests,
        ]


def export_csv(report: CoverageReport) -> str:
    return french_csv(coverage_rows(report))


def export_xlsx(report: CoverageReport) -> bytes:
    workbook = Workbook()
    communes = workbook.active
    communes.title = _("Communes")[:31]
    for row in coverage_rows(report):
        communes.append(row)
    epcis = workbook.create_sheet(_("Intercommunalities")[:31])
    for row in epci_rows(report):
        epcis.append(row)
    # The shares of population within 10 and 20 km: fractions Excel shows as percentages.
    for cells in epcis.iter_rows(min_row=2, min_col=4, max_col=5):
        for cell in cells:
            cell.number_format = PERCENT_FORMAT
    buffer = io.BytesIO()
    keep_text_as_text(workbook)
    workbook.save(buffer)
    return buffer.getvalue()
