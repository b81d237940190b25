import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mediation.models import Van
from tablets.models import TabletStatus
from tablets.services import tablet_record_use
from tests.factories import make_commune, make_coordinator, make_mediator, make_tablet

pytestmark = pytest.mark.django_db


def fleet(size: int) -> None:
    holder = make_mediator(f"med{size}")
    for number in range(size):
        if number % 3 == 0:
            make_tablet(holder_kind="mediator", holder=holder)
        else:
            make_tablet(status=TabletStatus.CHARGING if number % 2 else TabletStatus.IN_SERVICE)


def rows_on_page(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-asset-tag="([^"]+)"', response.content.decode())


def test_the_list_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    client.force_login(make_coordinator())
    fleet(3)
    client.get(reverse("tablets_admin:list"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("tablets_admin:list"))
    fleet(20)
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("tablets_admin:list"))
    assert len(rows_on_page(response)) == 23


def test_the_list_filters_by_status(client):
    client.force_login(make_mediator())
    charging = make_tablet(status=TabletStatus.CHARGING)
    make_tablet()

    response = client.get(reverse("tablets_admin:list"), {"status": "charging"})

    assert rows_on_page(response) == [charging.asset_tag]


def test_the_list_filters_the_tablets_awaiting_reset(client):
    client.force_login(make_mediator())
    used = make_tablet()
    make_tablet()
    tablet_record_use(tablet=used, used_at=timezone.now(), reference="r1")

    response = client.get(reverse("tablets_admin:list"), {"needs_reset": "true"})

    assert rows_on_page(response) == [used.asset_tag]
    assert b'data-needs-reset="true"' in response.content


def test_the_filters_read_all_yes_and_no_and_each_choice_filters(client):
    client.force_login(make_mediator())
    used, unused = make_tablet(), make_tablet()
    tablet_record_use(tablet=used, used_at=timezone.now(), reference="r1")
    url = reverse("tablets_admin:list")

    page = client.get(url).content.decode()
    awaiting = page[page.index('name="needs_reset"') :].split("</select>")[0]
    assert [option for option in ("Tous", "Oui", "Non", "Inconnu") if option in awaiting] == [
        "Tous",
        "Oui",
        "Non",
    ]
    assert "---------" not in page
    assert sorted(rows_on_page(client.get(url, {"needs_reset": ""}))) == sorted(
        [used.asset_tag, unused.asset_tag]
    )
    assert rows_on_page(client.get(url, {"needs_reset": "false"})) == [unused.asset_tag]


def test_the_list_sorts_and_paginates(client):
    client.force_login(make_mediator())
    tags = sorted(make_tablet().asset_tag for _ in range(30))

    first = client.get(reverse("tablets_admin:list"), {"sort": "-asset_tag"})
    second = client.get(reverse("tablets_admin:list"), {"sort": "-asset_tag", "page": 2})

    assert rows_on_page(first) == list(reversed(tags))[:25]
    assert rows_on_page(second) == list(reversed(tags))[25:]


def test_the_csv_export_holds_the_filtered_rows(client):
    client.force_login(make_mediator())
    repair = make_tablet(status=TabletStatus.IN_REPAIR, warranty_end=dt.date(2027, 3, 1))
    make_tablet()

    response = client.get(reverse("tablets_admin:export_csv"), {"status": "in_repair"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = french_excel_rows(response.content)
    assert len(rows) == 2
    row = dict(zip(["tag", "serial"], rows[1][:2], strict=True))
    assert row == {"tag": repair.asset_tag, "serial": repair.serial_number}
    assert rows[1][6] == "en réparation"
    assert rows[1][9] == "2027-03-01"


def french_excel_rows(content: bytes) -> list[list[str]]:
    """The file as French Excel reads it: UTF-8 only after a byte-order mark, ";" between cells."""
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_claire_opens_the_fleet_export_in_excel_and_reads_french(client):
    # Claire double-clicks tablettes.csv: one column per field, accents intact, and the
    # status and reset columns in the words of the fleet list, not the database's.
    client.force_login(make_coordinator())
    used = make_tablet(asset_tag="TAB-LENT")
    tablet_record_use(tablet=used, used_at=timezone.now(), reference="odette-ameli")
    make_tablet(asset_tag="TAB-LOST", status=TabletStatus.LOST)

    rows = french_excel_rows(client.get(reverse("tablets_admin:export_csv")).content)

    assert rows[0][:3] == ["Numéro d’inventaire", "Numéro de série", "Marque"]
    assert rows[0][5] == "Version du système"
    by_tag = {row[0]: row for row in rows[1:]}
    assert (by_tag["TAB-LENT"][6], by_tag["TAB-LENT"][10]) == ("en service", "Oui")
    assert (by_tag["TAB-LOST"][6], by_tag["TAB-LOST"][10]) == ("perdue", "Non")


def test_a_model_name_typed_as_a_formula_stays_text_in_both_exports(client):
    # Anyone with a back-office account can name a tablet's model; Claire opens the exports
    # in Excel, where a cell beginning with "=" would be run as a formula.
    client.force_login(make_coordinator())
    make_tablet(asset_tag="TAB-EVIL", model_name='=HYPERLINK("http://example.com";"Voir")')

    csv_rows = french_excel_rows(client.get(reverse("tablets_admin:export_csv")).content)
    xlsx = client.get(reverse("tablets_admin:export_xlsx")).content

    assert csv_rows[1][3] == "'" + '=HYPERLINK("http://example.com";"Voir")'
    cell = load_workbook(io.BytesIO(xlsx)).active.cell(row=2, column=4)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com";"Voir")'


def test_the_xlsx_export_opens_with_the_filtered_rows(client):
    client.force_login(make_coordinator())
    holder = make_mediator()
    held = make_tablet(holder_kind="mediator", holder=holder)
    make_tablet(status=TabletStatus.LOST)

    response = client.get(reverse("tablets_admin:export_xlsx"), {"holder_kind": "mediator"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == held.asset_tag
    assert rows[1][7] == holder.username


def test_a_tablet_kept_in_a_van_names_the_van_in_the_list_and_exports(client):
    van = Van.objects.create(name="Bus Ouest", home_base=make_commune())
    make_tablet(asset_tag="TAB-VAN", holder_kind="van", van=van)
    client.force_login(make_coordinator())
    assert "Bus Ouest" in client.get(reverse("tablets_admin:list")).content.decode()
    export = client.get(reverse("tablets_admin:export_csv")).content.decode("utf-8-sig")
    assert "Bus Ouest" in export
