"""`import_communes`: the 771 communes of the Somme, all or nothing, idempotent."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mediation.models import Commune, Epci
from mediation.services import DEFAULT_COMMUNES_CSV, CommuneImportError, communes_import


@pytest.fixture(autouse=True)
def no_communes_yet(db):
    """Start from an empty table even if another test loaded the Somme for the session."""
    Commune.objects.all().delete()
    Epci.objects.all().delete()


def run_import(*args) -> str:
    out = io.StringIO()
    call_command("import_communes", *args, stdout=out)
    return out.getvalue()


def write_csv(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "communes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def somme_rows(limit: int | None = None) -> list[dict]:
    with DEFAULT_COMMUNES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows[:limit] if limit else rows


def test_it_imports_every_commune_and_epci_of_the_somme():
    run_import()
    assert Commune.objects.count() == 771
    assert Epci.objects.count() == 17
    abbeville = Commune.objects.get(insee_code="80001")
    assert abbeville.name == "Abbeville"
    assert abbeville.postal_code_list == ["80100"]
    assert abbeville.population == 22395
    assert str(abbeville.latitude) == "50.10841"
    assert abbeville.epci.name == "CA de la Baie de Somme"
    assert sum(Commune.objects.values_list("population", flat=True)) == 565_413


def test_every_commune_gets_a_unique_readable_slug():
    run_import()
    slugs = list(Commune.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 771
    assert Commune.objects.get(insee_code="80001").slug == "abbeville"


def test_a_second_run_changes_nothing_and_says_so():
    run_import()
    before = list(Commune.objects.order_by("pk").values())
    output = run_import()
    assert "Nothing to change" in output or "Rien à changer" in output
    assert list(Commune.objects.order_by("pk").values()) == before


def test_it_updates_a_commune_whose_data_changed(tmp_path):
    rows = somme_rows(3)
    run_import(str(write_csv(tmp_path, rows)))
    rows[0]["population"] = "30000"
    report = communes_import(path=write_csv(tmp_path, rows))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Commune.objects.get(insee_code=rows[0]["insee_code"]).population == 30000


def test_it_takes_another_departements_file_in_the_same_format(tmp_path):
    rows = [
        {
            "insee_code": "02691",
            "name": "Saint-Quentin",
            "postal_codes": "02100",
            "population": "52000",
            "latitude": "49.84",
            "longitude": "3.29",
            "epci_code": "200071892",
            "epci_name": "CA du Saint-Quentinois",
        }
    ]
    run_import(str(write_csv(tmp_path, rows)))
    commune = Commune.objects.get(insee_code="02691")
    assert commune.epci.code == "200071892"
    assert commune.slug == "saint-quentin"


BAD_ROWS = [
    ("missing INSEE code", {"insee_code": ""}, "insee_code"),
    ("malformed INSEE code", {"insee_code": "8A001"}, "insee_code"),
    ("latitude out of range", {"latitude": "123.4"}, "latitude"),
    ("latitude not a number", {"latitude": "nord"}, "latitude"),
    ("longitude out of range", {"longitude": "-200"}, "longitude"),
    ("missing name", {"name": ""}, "name"),
    ("bad postal code", {"postal_codes": "8010"}, "postal_codes"),
    ("negative population", {"population": "-5"}, "population"),
    ("population not a number", {"population": "beaucoup"}, "population"),
    ("bad EPCI code", {"epci_code": "12"}, "epci_code"),
]


@pytest.mark.parametrize(("case", "change", "column"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_aborts_the_whole_import_naming_line_and_field(tmp_path, case, change, column):
    rows = somme_rows(10)
    rows[6] |= change  # the 7th data row is line 8 of the file, after the header
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommuneImportError) as excinfo:
        communes_import(path=path)
    assert excinfo.value.line == 8
    assert excinfo.value.field == column
    assert Commune.objects.count() == 0
    assert Epci.objects.count() == 0


def test_a_duplicate_insee_code_is_refused_with_both_lines(tmp_path):
    rows = somme_rows(5)
    rows.append(dict(rows[1]))
    with pytest.raises(CommuneImportError) as excinfo:
        communes_import(path=write_csv(tmp_path, rows))
    assert excinfo.value.code == "duplicate"
    assert excinfo.value.line == 7
    assert "3" in str(excinfo.value)  # the first occurrence, line 3
    assert Commune.objects.count() == 0


def test_a_bad_row_leaves_previously_imported_data_untouched(tmp_path):
    run_import()
    before = list(Commune.objects.order_by("pk").values())
    rows = somme_rows()
    rows[0]["population"] = "1"  # a valid change, which must not be kept either
    rows[770]["latitude"] = "999"
    with pytest.raises(CommandError) as excinfo:
        run_import(str(write_csv(tmp_path, rows)))
    assert "772" in str(excinfo.value)
    assert "latitude" in str(excinfo.value)
    assert list(Commune.objects.order_by("pk").values()) == before


def test_a_file_with_a_missing_column_is_refused(tmp_path):
    rows = [{k: v for k, v in row.items() if k != "longitude"} for row in somme_rows(2)]
    with pytest.raises(CommuneImportError) as excinfo:
        communes_import(path=write_csv(tmp_path, rows))
    assert excinfo.value.code == "missing_columns"


def test_an_unreadable_file_gets_a_clear_error(tmp_path):
    with pytest.raises(CommandError):
        run_import(str(tmp_path / "absent.csv"))
