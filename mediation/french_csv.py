"""CSV files that French Excel opens as they are: what every CSV export of the back office writes.

UTF-8 with a byte-order mark (without it Excel reads "NumÃ©ro"), semicolons (a comma is the
decimal separator in French, so Excel splits on semicolons), decimals written with a comma
("12,9", which Excel would otherwise read as the 12th of September), empty cells for None.
The activity export (reports/exports.py) writes the same dialect, line by line.
"""

import csv
import io
from collections.abc import Iterable

CSV_DIALECT = {"delimiter": ";", "quoting": csv.QUOTE_MINIMAL, "lineterminator": "\r\n"}
BYTE_ORDER_MARK = "\ufeff"


def french_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def french_csv(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, **CSV_DIALECT)
    for row in rows:
        writer.writerow([french_cell(value) for value in row])
    return buffer.getvalue()
