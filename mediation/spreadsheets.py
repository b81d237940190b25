"""Spreadsheets that French Excel opens as they are, and where text typed by anyone stays text.

CSV: what every CSV export of the back office writes.

UTF-8 with a byte-order mark (without it Excel reads "NumÃ©ro"), semicolons (a comma is the
decimal separator in French, so Excel splits on semicolons), decimals written with a comma
("12,9", which Excel would otherwise read as the 12th of September), empty cells for None.
Text that starts like a formula ("=HYPERLINK(…)", typed as a procedure's name on a tablet)
gets a leading apostrophe, so that Excel shows it instead of running it (OWASP's "CSV
injection"). The activity export (reports/exports.py) writes the same dialect, line by line.

XLSX written with openpyxl: `keep_text_as_text` before saving, as openpyxl stores any text
that starts with "=" as a formula.
"""

import csv
import io
from collections.abc import Iterable

CSV_DIALECT = {"delimiter": ";", "quoting": csv.QUOTE_MINIMAL, "lineterminator": "\r\n"}
BYTE_ORDER_MARK = "\ufeff"
# What makes a spreadsheet read a cell as a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A share written as a fraction (0.2) and shown as a percentage ("20,0 %"): Excel adds it up.
PERCENT_FORMAT = "0.0%"


def inert_text(value):
    """`value`, with a leading apostrophe if it is text that a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def french_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(inert_text(value))


def french_csv(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, **CSV_DIALECT)
    for row in rows:
        writer.writerow([french_cell(value) for value in row])
    return buffer.getvalue()


def keep_text_as_text(workbook) -> None:
    """No cell of this openpyxl workbook is a formula: none of ours writes one on purpose,
    and openpyxl reads any text that starts with "=" as one."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
