"""Files for funders: the activity export (XLSX or CSV) and the statistics workbook.

The activity XLSX is written by reports.xlsx, which streams its rows into the compressed
sheet (openpyxl took longer than a web worker may answer for three years of activity); the
statistics workbook, a few hundred cells, by openpyxl. Rows come from reports.activity, read
in chunks.
The CSV is what French Excel opens as is: UTF-8 with a byte-order mark, semicolons.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mediation.spreadsheets import CSV_DIALECT, PERCENT_FORMAT, inert_text, keep_text_as_text
from reports import coop
from reports.activity import Period, activity_rows
from reports.statistics import Figures
from reports.xlsx import write_table_xlsx

DATE_FORMAT = "dd/mm/yyyy"


def write_activity_xlsx(period: Period, output: IO[bytes] | str) -> int:
    """Write the activity workbook to a path or a binary file; return the number of rows."""
    return write_table_xlsx(
        output,
        sheet_title="Activités",
        header=coop.EXPORT_COLUMNS,
        rows=activity_rows(period),
        date_format=DATE_FORMAT,
    )


def csv_value(value):
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    # Text typed on a tablet (a procedure's name) stays text in the coordinator's Excel.
    return inert_text(value)


def activity_csv_lines(period: Period) -> Iterator[str]:
    """The CSV line by line, the byte-order mark first (for streaming or writing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **CSV_DIALECT)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield "\ufeff" + line(coop.EXPORT_COLUMNS)
    for row in activity_rows(period):
        yield line([csv_value(value) for value in row])


def write_activity_csv(period: Period, output: IO[str]) -> int:
    """Write the activity CSV to a text file opened with encoding="utf-8" and newline=""."""
    count = -1
    for line in activity_csv_lines(period):
        output.write(line)
        count += 1
    return count


def period_label(period: Period) -> str:
    label = f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
    return f"{label}, {period.epci.name}" if period.epci else label


def key_figure_rows(figures: Figures) -> list[tuple[str, float | str]]:
    """The key figures as the page, the workbook and the report show them; a rate with
    nothing to measure (None) says so in words."""
    key = {
        name: _("not applicable") if value is None else value for name, value in figures.key.items()
    }
    return [
        (_("Stops held"), key["stops_held"]),
        (_("Stops cancelled"), key["stops_cancelled"]),
        (_("Workshops held"), key["workshops"]),
        (_("Accompaniments"), key["accompaniments"]),
        (_("First visits"), key["first_visits"]),
        (_("Hours of mediation"), key["hours"]),
        (_("Communes reached"), key["communes_reached"]),
        (_("Fill rate of workshops (%)"), key["fill_rate"]),
        (_("No-show rate (%)"), key["no_show_rate"]),
    ]


def write_statistics_xlsx(figures: Figures, output: IO[bytes] | str) -> None:
    """The Coop's statistics sections, then the tables a département needs per place."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Statistiques"
    bold = Font(bold=True)

    def title(text: str) -> None:
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = bold

    def section(heading: str, rows, *, share_column: int | None = 2) -> None:
        """Rows under a bold heading; a share (the percentage of Breakdown.rows, at
        `share_column` from 0) is written as a fraction formatted as a percentage, so that
        Excel shows "20,0 %" and adds it up, rather than a bare "20"."""
        title(heading)
        for row in rows:
            row = list(row)
            if share_column is not None and len(row) > share_column:
                row[share_column] /= 100
            sheet.append(row)
            if share_column is not None and len(row) > share_column:
                sheet.cell(
                    row=sheet.max_row, column=share_column + 1
                ).number_format = PERCENT_FORMAT
        sheet.append([])

    sheet.append([_("Statistics of the activity"), period_label(figures.period)])
    sheet.append([_("Generated on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    sheet.append([])
    key = figures.key
    section(_("General figures"), key_figure_rows(figures), share_column=None)
    title(_("Accompaniments by month"))
    sheet.append([label for label, _count in figures.by_month.items])
    sheet.append([count for _label, count in figures.by_month.items])
    sheet.append([])
    b = figures.breakdowns
    section(
        _("Activities"),
        [
            *b["kinds"].rows,
            (_("Participants in workshops"), key["collective"]),
            (_("Activities in total"), b["kinds"].total),
        ],
    )
    for name in ("themes", "procedures", "equipment", "durations", "autonomy", "redirections"):
        section(b[name].title, b[name].rows)
    # Activities (not the people who came), as the Coop's section counts them: they add up
    # to the activities in total above.
    by_place = sorted(
        (row for row in figures.communes if row["activities"]),
        key=lambda row: (-row["activities"], row["name"]),
    )
    section(
        _("Activities by place"),
        [
            (row["name"], row["activities"], round(100 * row["activities"] / b["kinds"].total, 1))
            for row in by_place
        ],
    )
    title(_("Beneficiaries"))
    for name in ("gender", "age_brackets", "situation"):
        section(b[name].title, b[name].rows)
    total = sum(count for _code, _name, count in figures.home_communes) or 1
    section(
        _("Commune of residence of beneficiaries"),
        [
            (name, code, count, round(100 * count / total, 1))
            for code, name, count in figures.home_communes
        ],
        share_column=3,
    )
    for heading, rows in (
        (_("By intercommunality"), figures.epcis),
        (_("By commune of the stop"), figures.communes),
    ):
        title(heading)
        sheet.append(
            [_("Place"), _("Stops held"), _("Collective"), _("Individual"), _("Accompaniments")]
        )
        for row in rows:
            sheet.append(
                [row["name"], row["stops"], row["collective"], row["individual"], row["total"]]
            )
        sheet.append([])
    sheet.column_dimensions["A"].width = 60
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    keep_text_as_text(workbook)
    workbook.save(output)
