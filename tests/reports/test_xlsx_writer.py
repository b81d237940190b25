"""The table workbook the activity export is written with, opened back as a funder's
spreadsheet would open it (openpyxl reads what Excel and LibreOffice read)."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.xlsx import MAX_CELL_CHARACTERS, write_table_xlsx

HEADER = ["Date", "Commune", "Participants", "Durée (min)", "Présent", "Enregistré le"]
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def written(rows, *, header=HEADER, title="Activités") -> tuple[bytes, int]:
    output = io.BytesIO()
    count = write_table_xlsx(output, sheet_title=title, header=header, rows=rows)
    return output.getvalue(), count


def test_columns_past_z_are_named_as_excel_names_them():
    """The activity export has 31 columns: A to AE."""
    header = [f"Colonne {number}" for number in range(1, 32)]
    content, _count = written([list(range(1, 32))], header=header)

    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet["Z2"].value, sheet["AA2"].value, sheet["AE2"].value] == [26, 27, 31]
    assert sheet.auto_filter.ref == "A1:AE2"


def test_every_kind_of_value_reads_back_as_it_was_written():
    saved = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 30))  # 08:30 UTC
    rows = [
        [dt.date(2026, 3, 10), "Abbeville", "1/3", 90, True, saved],
        [dt.date(2026, 12, 8), "Saint-Valery-sur-Somme", 7, 45.5, False, None],
        [dt.date(1999, 12, 31), "", Decimal("2.25"), 0, None, dt.datetime(2026, 1, 2, 23, 59)],
    ]
    content, count = written(rows)

    assert count == 3
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Activités"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert values[1] == [
        dt.datetime(2026, 3, 10),
        "Abbeville",
        "1/3",
        90,
        True,
        dt.datetime(2026, 3, 10, 9, 30),  # Paris time, as the coordinator saw it
    ]
    assert values[2] == [dt.datetime(2026, 12, 8), "Saint-Valery-sur-Somme", 7, 45.5, False, None]
    assert values[3][:5] == [dt.datetime(1999, 12, 31), None, 2.25, 0, None]
    assert values[3][5] == dt.datetime(2026, 1, 2, 23, 59)
    assert sheet["A2"].number_format == "dd/mm/yyyy"
    assert sheet["F2"].number_format == "dd/mm/yyyy hh:mm"


def test_the_header_is_bold_frozen_and_filterable():
    content, _count = written([[dt.date(2026, 3, 10), "Albert", 1, 60, True, None]] * 4)

    sheet = load_workbook(io.BytesIO(content)).active
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["B2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F5"
    assert sheet.column_dimensions["B"].width >= len("Commune")


def test_text_is_kept_whole_and_never_becomes_a_formula():
    awkward = [
        '=HYPERLINK("http://example.com")',
        'Caf & Ameli <en ligne> "vite"',
        "Aide aux démarches administratives\nArgent - Impôts",
        "  des espaces autour  ",
        "Illégal\x00\x07\x1b ici",
        "x" * (MAX_CELL_CHARACTERS + 10),
    ]
    content, _count = written([[None, text] for text in awkward], header=["Date", "Texte"])

    sheet = load_workbook(io.BytesIO(content)).active
    texts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert texts[:4] == awkward[:4]
    assert sheet["B2"].data_type == "s"  # text, not a formula
    assert texts[4] == "Illégal ici"  # characters XML forbids are dropped, not the file
    assert len(texts[5]) == MAX_CELL_CHARACTERS  # Excel's limit for a cell


def test_a_text_used_on_many_rows_is_stored_once():
    rows = [[dt.date(2026, 3, day), "Abbeville", "Atelier collectif"] for day in range(1, 29)]
    content, _count = written(rows, header=["Date", "Commune", "Type"])

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        shared = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    texts = [item.findtext(f"{MAIN}t") for item in shared]
    assert texts == ["Date", "Commune", "Type", "Abbeville", "Atelier collectif"]
    assert shared.get("count") == str(3 + 2 * 28)


def test_an_empty_table_is_still_a_workbook_with_its_header():
    content, count = written([])

    assert count == 0
    sheet = load_workbook(io.BytesIO(content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [HEADER]


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Activités 2026/2027", "Activités 2026 2027"), ("x" * 40, "x" * 31), ("", "Feuil1")],
)
def test_a_sheet_name_excel_would_refuse_is_mended(title, expected):
    content, _count = written([], title=title)

    assert load_workbook(io.BytesIO(content)).active.title == expected


def test_rows_are_streamed_to_a_file_on_disk(tmp_path):
    """Rows come from a generator read once, as the export's database cursor gives them."""
    path = tmp_path / "export.xlsx"
    rows = (
        [dt.date(2026, 1, 1) + dt.timedelta(days=n % 365), f"Commune {n % 50}", n]
        for n in range(5_000)
    )

    count = write_table_xlsx(
        path, sheet_title="Activités", header=["Date", "Commune", "N"], rows=rows
    )

    assert count == 5_000
    sheet = load_workbook(path, read_only=True).active
    last = list(sheet.iter_rows(min_row=5_001, values_only=True))
    assert last == [(dt.datetime(2026, 1, 1) + dt.timedelta(days=4_999 % 365), "Commune 49", 4_999)]


def test_a_number_or_a_text_of_a_choices_type_keeps_its_kind():
    from django.db import models

    class Level(models.IntegerChoices):
        BEGINNER = 1, "Débutant"

    class Theme(models.TextChoices):
        TAXES = "impots", "Impôts"

    content, _count = written([[Level.BEGINNER, Theme.TAXES]], header=["Niveau", "Thème"])

    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet["A2"].value, sheet["B2"].value] == [1, "impots"]
    assert sheet["A2"].data_type == "n"
