"""The statistics page and workbook: the same figures as the export and as counted by hand."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from mediation.templatetags.french_dates import longdate
from reports.activity import Period
from reports.exports import key_figure_rows
from reports.models import PreparedExport
from reports.statistics import figures_for
from sessions.models import Registration
from tests.factories import make_registration
from tests.reports.conftest import PERIOD, attend, download_export, download_file
from tests.reports.test_activity_export import read_csv

pytestmark = pytest.mark.django_db
YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
BY_HAND = {
    "stops_held": 2,
    "stops_cancelled": 1,
    "workshops": 2,
    "accompaniments": 5,
    "collective": 4,
    "individual": 1,
    "first_visits": 2,
    "hours": 3.8,
    "communes_reached": 2,
    "fill_rate": 25.0,
    "no_show_rate": 25.0,
}


def workbook_values(content: bytes) -> dict:
    """Label -> first value, below the title rows (which carry the time it was made)."""
    sheet = load_workbook(io.BytesIO(content)).active
    values = {}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        cells = [cell for cell in row if cell is not None]
        if len(cells) >= 2:
            values[cells[0]] = cells[1] if len(cells) == 2 else tuple(cells[1:])
    return values


def test_the_page_the_workbook_and_the_export_agree_with_the_hand_count(claire, tour):
    page = claire.get("/admin/rapports/", PERIOD)
    workbook = download_file(claire, "xlsx", PERIOD, kind="statistics")
    export = download_export(claire, "csv", PERIOD)

    assert page.status_code == 200
    figures = page.context["figures"]
    assert figures.key == BY_HAND
    values = workbook_values(workbook.content)
    for label, value in key_figure_rows(figures):
        assert values[label] == value
    assert len(read_csv(export)) == BY_HAND["accompaniments"]
    breakdowns = figures.breakdowns
    assert dict(breakdowns["gender"].items) == {
        "Non communiqué": 2,
        "Féminin": 1,
        "Masculin": 2,
    }
    assert dict(breakdowns["procedures"].items) == {"Argent - Impôts": 3, "Social - Santé": 1}
    assert dict(breakdowns["themes"].items) == {
        "Aide aux démarches administratives": 4,
        "E-mail": 1,
    }
    assert sum(count for _label, count in figures.by_month.items) == 5
    assert dict(figures.by_month.items)["mars 2026"] == 5
    assert [row["total"] for row in figures.epcis] == [3, 2]
    for name in ("equipment", "autonomy", "redirections", "age_brackets", "situation"):
        assert breakdowns[name].total == BY_HAND["accompaniments"], name


def test_the_page_draws_its_charts_with_their_tables_and_the_map_without_javascript(claire, tour):
    html = claire.get("/admin/rapports/", PERIOD).content.decode()

    assert html.count('<svg class="chart"') == 7
    assert html.count('class="figures-table') == 10
    assert 'class="shaded-map"' in html
    assert "<script" not in html.split('reports-page"')[1].split("</main>")[0]


def test_the_page_costs_as_many_queries_for_ten_times_the_attendances(claire, tour):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert claire.get("/admin/rapports/", PERIOD).status_code == 200
        return len(captured)

    before = queries()
    for number in range(45):
        attend(
            make_registration(workshop=tour["w2"], first_name=f"P{number}"), equipment="telephone"
        )
    assert figures_for(YEAR).key["accompaniments"] == 50

    assert queries() == before


@override_settings(PERSONAL_DATA_RETENTION_DAYS=30)
def test_figures_and_exports_are_the_same_after_the_purge(claire, tour):
    def everything():
        page = claire.get("/admin/rapports/", PERIOD).context["figures"]
        export = download_export(claire, "csv", PERIOD)
        workbook = workbook_values(download_file(claire, "xlsx", PERIOD, kind="statistics").content)
        return page.key, page.breakdowns, page.home_communes, page.epcis, export, workbook

    before = everything()
    call_command("purge_personal_data")

    assert not Registration.objects.exclude(first_name="").exists()
    assert everything() == before


def test_a_mediator_reaches_none_of_it(ines_client, tour):
    for url in [
        "/admin/rapports/",
        "/admin/rapports/statistiques.xlsx",
        "/admin/rapports/rapport.pdf",
        "/admin/snippets/reports/funder/",
        "/admin/individual_helps/",
    ]:
        response = ines_client.get(url)
        assert response.status_code in (302, 403), url
        assert not response.get("Content-Disposition"), url
    asked = ines_client.post("/admin/rapports/exports/", PERIOD | {"format": "csv"})
    assert asked.status_code in (302, 403)
    assert not PreparedExport.objects.exists()


def test_claire_lists_individual_helps_in_one_query_for_the_page(claire, tour):
    from tests.reports.conftest import make_help

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = claire.get("/admin/individual_helps/")
        assert response.status_code == 200
        return len(captured)

    before = queries()
    for _number in range(5):
        make_help(tour["w2"].stop)

    assert queries() == before


def test_claire_opens_an_individual_help_from_its_line_in_the_list(claire, tour):
    from tests.reports.conftest import make_help

    help_given = make_help(tour["w2"].stop, procedure_name="Carte Vitale")

    listing = claire.get("/admin/individual_helps/").content.decode()
    # Claire reads the records the tablets sent: she opens them, she does not edit them.
    record_page = reverse("individual_helps:inspect", args=[help_given.pk])
    assert f'href="{record_page}"' in listing
    # Recorded at 15:30 in Paris, and read so (not 14:30, the hour in UTC).
    assert "(15\xa0h\xa030)" in listing
    table = listing[listing.index('<table class="listing') :]
    headings = re.sub(r"<[^>]+>", " ", table[: table.index("</thead>")])
    assert headings.split()[0] == "Escale"
    opened = claire.get(record_page)
    assert opened.status_code == 200
    record = opened.content.decode()
    assert "Carte Vitale" in record
    # In Paris time and in words, as in the list: not "14:30" (UTC), "True" or "None".
    assert f"{longdate(help_given.recorded_at)}, 15\xa0h\xa030" in record
    shown = record[record.index("<dl") : record.index("</dl>")]
    for raw in ("True", "False", "None", "[]", str(help_given.uuid)):
        assert raw not in shown


def test_every_redirection_row_starts_with_a_capital_in_the_page_and_the_workbook(claire, tour):
    # Claire hands the funders the workbook: its redirections read "CAF", "France Services"
    # but also "impôts", "mairie" and "autre organisme", in lowercase at the start of a row.
    page = claire.get("/admin/rapports/", PERIOD)
    labels = [label for label, _count in page.context["figures"].breakdowns["redirections"].items]
    assert "Impôts" in labels and "Mairie" in labels
    assert all(label[0].isupper() for label in labels), labels

    values = workbook_values(download_file(claire, "xlsx", PERIOD, kind="statistics").content)
    assert "Autre organisme" in values and "autre organisme" not in values


def test_the_workbook_counts_workshops_as_activities_and_their_participants_apart(claire, tour):
    """Sophie copies the workbook's "Activités" section into the Coop's report: two
    workshops (four people came) and one individual help are three activities, as the
    Coop counts them, and the durations section adds up to the same three."""
    values = workbook_values(download_file(claire, "xlsx", PERIOD, kind="statistics").content)

    assert values["Atelier collectif"] == (2, pytest.approx(0.667))
    assert values["Accompagnement individuel"] == (1, pytest.approx(0.333))
    assert values["Nombre total de participants aux ateliers"] == 4
    assert values["Nombre total d’activités"] == 3
    durations = ("Moins de 30 min", "30 min à 1 h", "1 h à 2 h", "2 h et plus")
    assert sum(values[label][0] for label in durations) == 3


def test_the_workbooks_shares_open_as_percentages_beside_their_counts(claire, tour):
    """A funder reading "Tablette 1 20" cannot tell a share from a count: in the workbook
    every share is a number Excel shows as a percentage ("20,0 %")."""
    content = download_file(claire, "xlsx", PERIOD, kind="statistics").content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4) if row[0].value}

    tablet = rows["Tablette"]
    assert (tablet[1].value, tablet[2].value) == (1, pytest.approx(0.2))
    assert "%" in tablet[2].number_format
    # The communes of residence: name, INSEE code, count, share.
    (ailly,) = [row for row in sheet.iter_rows(min_row=4) if row[1].value == "80001"]
    assert (ailly[0].value, ailly[2].value, ailly[3].value) == ("Ailly", 2, pytest.approx(0.4))
    assert "%" in ailly[3].number_format
    assert "%" not in rows["Accompagnements"][1].number_format


def test_nobody_without_a_seat_counts_as_a_no_show(claire, tour):
    """On the tablet the mediator marked absent Gisèle, who was on the waiting list and
    never got a seat, and Henri, who had cancelled: neither let a seat go empty, so the
    no-show rate Sophie reports stays Lucie's alone, 1 of 4 (25 %)."""
    from sessions.models import RegistrationStatus

    for name, status in (
        ("Gisèle", RegistrationStatus.WAITING),
        ("Henri", RegistrationStatus.CANCELLED),
    ):
        attend(
            make_registration(workshop=tour["w1"], first_name=name, status=status),
            present=False,
        )

    page = claire.get("/admin/rapports/", PERIOD)
    values = workbook_values(download_file(claire, "xlsx", PERIOD, kind="statistics").content)

    assert page.context["figures"].key["no_show_rate"] == 25.0
    assert values["Taux d’absence des inscrits (%)"] == 25


def test_a_workshop_nobody_came_to_is_not_counted_as_held(claire, tour):
    """At Bray the afternoon workshop's only registrant, Yvette, did not come: Sophie's
    funders read two workshops held, the two that had people in them, as many as the
    workbook's collective activities; its seats still count as offered in the fill rate."""
    from tests.factories import make_workshop

    empty = make_workshop(stop=tour["w2"].stop, module=tour["w2"].module, capacity=8, seats_taken=1)
    attend(make_registration(workshop=empty, first_name="Yvette"), present=False)

    figures = claire.get("/admin/rapports/", PERIOD).context["figures"]
    values = workbook_values(download_file(claire, "xlsx", PERIOD, kind="statistics").content)

    assert figures.key["workshops"] == 2
    assert values["Ateliers tenus"] == values["Atelier collectif"][0] == 2
    assert figures.key["fill_rate"] == round(100 * 5 / 24, 1)


def workbook_section(content: bytes, title: str) -> list[tuple]:
    """The rows under a section's bold title, down to the blank line that ends it."""
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == title) + 1
    end = next(i for i in range(start, len(rows)) if rows[i][0] is None)
    return [tuple(cell for cell in row if cell is not None) for row in rows[start:end]]


def test_the_activities_by_place_add_up_to_the_activities(claire, tour):
    """Ailly had one workshop (three people came), Bray a workshop and an individual help:
    the workbook's activities by place are 1 and 2, as many as its activities in total,
    and not the 3 and 2 people who came."""
    content = download_file(claire, "xlsx", PERIOD, kind="statistics").content

    by_place = workbook_section(content, "Nombre d’activités par lieux")
    total = workbook_values(content)["Nombre total d’activités"]

    assert [row[:2] for row in by_place] == [("Bray", 2), ("Ailly", 1)]
    assert [row[2] for row in by_place] == [
        pytest.approx(2 / 3, abs=0.001),
        pytest.approx(1 / 3, abs=0.001),
    ]
    assert sum(row[1] for row in by_place) == total == 3


def test_rates_with_nothing_to_measure_say_so_rather_than_zero(claire, tour):
    """In January 2027 no workshop was offered and nobody registered: a fill rate or a
    no-show rate of "0" would read to a funder as empty workshops and perfect attendance.
    The page and the workbook say that there is nothing to measure."""
    january = {"start": "2027-01-01", "end": "2027-01-31"}

    page = claire.get("/admin/rapports/", january)
    values = workbook_values(download_file(claire, "xlsx", january, kind="statistics").content)

    shown = dict(page.context["key_figures"])
    for label in ("Taux de remplissage des ateliers (%)", "Taux d’absence des inscrits (%)"):
        assert shown[label] == values[label] == "sans objet", label
    assert values["Accompagnements"] == 0


def test_todays_stop_counts_as_held_once_it_has_begun_not_from_midnight(db):
    # Sophie prints the month's figures at 8:00 for a 9:00 meeting: the stop at Quend this
    # afternoon has not happened, and must not be counted as held (nor its seats offered).
    from django.utils import timezone

    from tests.factories import make_stop, make_workshop

    day = dt.date(2026, 12, 8)
    make_workshop(
        stop=make_stop(date=day, start_time=dt.time(14, 0), end_time=dt.time(17, 0)), capacity=8
    )
    month = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    paris = timezone.get_default_timezone()

    morning = figures_for(month, now=dt.datetime(2026, 12, 8, 8, 0, tzinfo=paris))
    afternoon = figures_for(month, now=dt.datetime(2026, 12, 8, 14, 30, tzinfo=paris))

    assert morning.key["stops_held"] == 0
    assert afternoon.key["stops_held"] == 1
