"""The coverage report in the back office: map with legend and table, exports, access."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mediation.maps import SEQUENTIAL_PALETTE, base_map
from tests.factories import make_coordinator, make_mediator

pytestmark = pytest.mark.django_db
URL = "/admin/couverture/"
PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}
SVG = "{http://www.w3.org/2000/svg}"


def fill_of(svg: ET.Element, d: str) -> str:
    for group in svg.iter(f"{SVG}g"):
        if any(path.get("d") == d for path in group.findall(f"{SVG}path")):
            return group.get("fill")
    raise AssertionError("commune not drawn")


def test_a_coordinator_sees_the_shaded_map_its_legend_and_its_figures_as_a_table(client, grid):
    client.force_login(make_coordinator())

    response = client.get(URL, PERIOD)

    assert response.status_code == 200
    html = response.content.decode()
    svg = ET.fromstring(
        html[html.index("<svg xmlns") : html.index("</svg>", html.index("<svg xmlns")) + 6]
    )
    paths = base_map().paths
    assert fill_of(svg, paths["80001"]) == SEQUENTIAL_PALETTE[0]  # a stop there
    assert fill_of(svg, paths["80021"]) == SEQUENTIAL_PALETTE[2]  # 10 to 20 km
    assert fill_of(svg, paths["80688"]) == SEQUENTIAL_PALETTE[4]  # 30 km or more
    assert svg.get("role") == "img" and svg.get("aria-label")
    legend = html[html.index('<ul class="map-legend">') :]
    assert legend.count("<li>") == 6  # five distance classes and "no stop"
    classes = response.context["class_rows"]
    assert [(row["communes"], row["population"]) for row in classes] == [
        (1, 1000),
        (1, 500),
        (1, 2000),
        (0, 0),
        (1, 300),
        (0, 0),
    ]
    assert 'id="coverage-classes"' in html and "<caption>" in html
    first = response.context["page"].object_list[0]
    assert first.name == "Prèsville"


def test_one_stop_and_no_visit_read_in_the_singular(client, grid):
    # One stop in June, nobody came yet: "1 escale", "0 commune", not "1 escales".
    client.force_login(make_coordinator())

    figures = client.get(URL, PERIOD).content.decode()

    assert "<strong>1</strong> escale sur la période (hors escales annulées)" in figures
    assert "<strong>0</strong> commune dont des habitants sont venus au bus" in figures
    assert "escales sur la période" not in figures.replace("(hors escales annulées)", "")


def test_a_bad_period_is_refused_next_to_the_field_and_the_year_around_today_is_shown(client, grid):
    client.force_login(make_coordinator())

    response = client.get(URL, {"start": "2026-12-31", "end": "2026-01-01"})

    assert response.status_code == 400
    assert response.context["form"].errors["end"]
    today = timezone.localdate()
    assert response.context["report"].start == today - dt.timedelta(days=182)
    assert 'value="2026-12-31"' in response.content.decode()  # what was typed comes back


def test_a_mediator_cannot_see_the_coverage_report(client, grid):
    client.force_login(make_mediator())

    # Wagtail turns the refusal into a redirect to the dashboard, with a message.
    for path in (URL, URL + "export.csv"):
        response = client.get(path, PERIOD)
        assert response.status_code == 302 and response.url == "/admin/"


def test_the_csv_export_opens_back_with_one_row_per_commune_farthest_first(client, grid):
    client.force_login(make_coordinator())

    response = client.get(URL + "export.csv", PERIOD)

    # As French Excel opens it: a byte-order mark, semicolons, and a decimal comma ("11.1"
    # would be read as the 11th of January).
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 4
    assert rows[0][1] == "Commune"
    assert rows[1][1] == "Prèsville"
    assert rows[1][4] == "11,1"
    assert "couverture-2026-01-01-2026-12-31.csv" in response["Content-Disposition"]


def test_the_xlsx_export_has_the_communes_and_the_epci_summary(client, grid):
    client.force_login(make_coordinator())

    response = client.get(URL + "export.xlsx", PERIOD)

    workbook = load_workbook(io.BytesIO(response.content))
    communes, epcis = workbook.worksheets
    assert communes.max_row == 5 and communes.cell(2, 2).value == "Prèsville"
    assert communes.cell(2, 4).value == 2000
    summary = {row[0]: row for row in epcis.iter_rows(min_row=2, values_only=True)}
    assert summary["CC du Nord"][4] == 1
    # The shares of population open as percentages ("33,3 %"), not as "0,333".
    north = next(row for row in epcis.iter_rows(min_row=2) if row[0].value == "CC du Nord")
    assert (north[3].value, north[4].value) == (pytest.approx(1 / 3, abs=0.001), 1)
    assert "%" in north[3].number_format and "%" in north[4].number_format


def test_the_coverage_export_counts_the_same_residents_as_the_statistics_page(claire, tour):
    """Sophie puts the coverage file beside the statistics page for the same year: Bray's
    residents came twice (Odette to the e-mail workshop, a man helped on his own at the
    van), and both files must say so."""
    figures = claire.get("/admin/rapports/", PERIOD).context["figures"]
    response = claire.get(URL + "export.csv", PERIOD)
    page = claire.get(URL, PERIOD)

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    visits = {row[0]: int(row[7]) for row in rows[1:]}
    came_from = {code: count for code, _name, count in figures.home_communes if code}
    assert came_from == {"80001": 2, "80002": 2}
    assert {code: visits[code] for code in came_from} == came_from
    assert page.context["report"].visited_communes == len(came_from)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_period_is_never_exported_as_another_one(client, grid, fmt):
    """Sophie typed the year's dates the wrong way round: the page says so and offers no
    file, and the file's address gives her no file of the year around today instead (its
    name would have been the only hint that it was not what she asked for)."""
    client.force_login(make_coordinator())
    reversed_year = {"start": "2026-12-31", "end": "2026-01-01"}

    page = client.get(URL, reversed_year)
    export = client.get(URL + f"export.{fmt}", reversed_year)

    assert 'id="export-csv"' not in page.content.decode()
    assert 'id="export-xlsx"' not in page.content.decode()
    assert export.status_code == 400
    assert "Content-Disposition" not in export
    assert export.context["form"].errors["end"]
