"""The records the server refused from the tablets reach the coordinators.

Inès (a mediator) worked offline at Woincourt on Tuesday morning; meanwhile the stop was
given to Olivier. Her records for Jeanine Martin and Marcel Dupuis come back refused. Claire
(a coordinator) sees them on her back office's home and in "Refus des tablettes", with the
person's name, the French date and why, and marks one as dealt with (and reopens it when she
marked it too soon); Inès, a mediator, is refused the list and the buttons.
"""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from mediation.models import PARIS
from sessions.mediator_app.labels import refusal_reason
from sessions.mediator_app.sync import attendance_sync_batch
from sessions.models import RefusedRecord
from sessions.privacy.services import person_erase
from sessions.refusals import refused_records_purge
from tests.factories import (
    make_commune,
    make_coordinator,
    make_mediator,
    make_registration,
    make_stop,
    make_workshop,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)  # a Tuesday
RECORDED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)
LIST = "/admin/tablette/refus/"


@pytest.fixture(autouse=True)
def tuesday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    woincourt = make_commune(name="Woincourt", slug="woincourt")
    ines, olivier = make_mediator("ines"), make_mediator("olivier")
    ines.first_name, ines.last_name = "Inès", "Carpentier"
    ines.save()
    stop = make_stop(commune=woincourt, date=NOW.date())
    stop.mediators.add(olivier)  # given to Olivier while Inès was offline
    workshop = make_workshop(stop=stop)
    jeanine = make_registration(
        workshop=workshop, first_name="Jeanine", last_name="Martin", phone="+33612345678"
    )
    marcel = make_registration(workshop=workshop, first_name="Marcel", last_name="Dupuis")
    return {
        "ines": ines,
        "claire": make_coordinator("claire"),
        "workshop": workshop,
        "jeanine": jeanine,
        "marcel": marcel,
    }


def record(registration, *, present=True, recorded_at=RECORDED) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "recorded_at": recorded_at.isoformat(),
        "workshop": registration.workshop_id,
        "registration": str(registration.uuid),
        "present": present,
    }


def refuse(world, *registrations, present=True) -> None:
    answers = attendance_sync_batch(
        user=world["ines"], records=[record(r, present=present) for r in registrations]
    )
    assert {answer["status"] for answer in answers} == {"refused"}


def page(client, user, url=LIST, **params):
    client.force_login(user)
    return client.get(url, params)


def test_a_coordinator_reads_who_when_and_why_in_french(client, world):
    refuse(world, world["jeanine"])

    response = page(client, world["claire"])

    assert response.status_code == 200
    html = response.content.decode()
    row = html.split('id="refused-records"', 1)[1]
    assert "Jeanine Martin" in row
    assert "Mardi 1er décembre 2026, 9\u00a0h\u00a030" in row
    with translation.override("fr"):
        assert capfirst(refusal_reason("forbidden")) in row  # the words the tablet showed Inès
    with translation.override("fr"):
        assert str(translation.gettext("Present")) in row
    assert "Carpentier" in row
    assert reverse("registrations:edit", args=[world["jeanine"].pk]) in row
    assert reverse("wagtailsnippets_workshops_workshop:edit", args=[world["workshop"].pk]) in row
    assert "06 12" not in row and "+336" not in row


def test_open_refusals_come_first(client, world):
    refuse(world, world["jeanine"])
    dealt_with = RefusedRecord.objects.get()
    client.force_login(world["claire"])
    client.post(reverse("workshops_refused_record_dismiss", args=[dealt_with.pk]))
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        # Sent earlier than the one dealt with, still open: listed before it.
        refuse(world, world["marcel"])

    html = page(client, world["claire"], etat="tous").content.decode()

    assert html.index("Marcel Dupuis") < html.index("Jeanine Martin")


def test_a_mediator_is_refused_the_list_and_the_button(client, world):
    refuse(world, world["jeanine"])
    refused = RefusedRecord.objects.get()

    assert page(client, world["ines"]).status_code == 403
    response = client.post(reverse("workshops_refused_record_dismiss", args=[refused.pk]))

    assert response.status_code == 403
    assert RefusedRecord.objects.get().resolved_at is None


def test_marking_as_dealt_with_keeps_who_and_when_under_dealt_with(client, world):
    refuse(world, world["jeanine"], present=False)
    refused = RefusedRecord.objects.get()
    claire = world["claire"]
    claire.first_name, claire.last_name = "Claire", "Dubois"
    claire.save()
    client.force_login(claire)

    response = client.post(reverse("workshops_refused_record_dismiss", args=[refused.pk]))

    assert response.status_code == 302
    refused.refresh_from_db()
    assert (refused.resolved_by, refused.resolution) == (claire, "dismissed")
    assert refused.resolved_at == NOW
    open_ones = page(client, claire).content.decode()
    assert "Jeanine Martin" not in open_ones
    dealt_with = page(client, claire, etat="traites").content.decode()
    assert "Jeanine Martin" in dealt_with
    assert "Claire Dubois" in dealt_with
    assert ">Absent</td>" in dealt_with
    assert "1er décembre 2026, 10\u00a0h" in dealt_with


def test_a_row_marked_too_soon_is_reopened_and_is_to_deal_with_again(client, world):
    refuse(world, world["jeanine"])
    refused = RefusedRecord.objects.get()
    client.force_login(world["claire"])
    client.post(reverse("workshops_refused_record_dismiss", args=[refused.pk]))
    dealt_with = page(client, world["claire"], etat="traites").content.decode()
    reopen = reverse("workshops_refused_record_reopen", args=[refused.pk])
    assert f'action="{reopen}"' in dealt_with

    response = client.post(reopen, follow=True)

    assert "Remis parmi les refus à traiter." in response.content.decode()
    refused.refresh_from_db()
    assert (refused.resolved_at, refused.resolved_by, refused.resolution) == (None, None, "")
    assert "Jeanine Martin" in page(client, world["claire"]).content.decode()
    assert "Jeanine Martin" not in page(client, world["claire"], etat="traites").content.decode()


def test_what_the_server_accepted_since_cannot_be_reopened(client, world):
    refuse(world, world["jeanine"])
    refused = RefusedRecord.objects.get()
    RefusedRecord.objects.update(
        resolved_at=NOW, resolution=RefusedRecord.Resolution.ACCEPTED_LATER
    )
    client.force_login(world["claire"])
    reopen = reverse("workshops_refused_record_reopen", args=[refused.pk])
    assert (
        f'action="{reopen}"' not in page(client, world["claire"], etat="traites").content.decode()
    )

    response = client.post(reopen, follow=True)

    assert "Le serveur a depuis accepté cet enregistrement" in response.content.decode()
    refused.refresh_from_db()
    assert refused.resolution == "accepted_later"
    assert refused.resolved_at == NOW


def test_a_mediator_cannot_reopen_a_row(client, world):
    refuse(world, world["jeanine"])
    RefusedRecord.objects.update(resolved_at=NOW, resolution=RefusedRecord.Resolution.DISMISSED)
    client.force_login(world["ines"])

    response = client.post(
        reverse("workshops_refused_record_reopen", args=[RefusedRecord.objects.get().pk])
    )

    assert response.status_code == 403
    assert RefusedRecord.objects.get().resolved_at == NOW


def test_the_button_needs_the_csrf_token(world):
    from django.test import Client

    refuse(world, world["jeanine"])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["claire"])

    response = strict.post(
        reverse("workshops_refused_record_dismiss", args=[RefusedRecord.objects.get().pk])
    )

    assert response.status_code == 403
    assert RefusedRecord.objects.get().resolved_at is None


def test_the_list_costs_the_same_queries_for_one_row_as_for_thirty(
    client, world, django_assert_max_num_queries
):
    refuse(world, world["jeanine"])
    client.force_login(world["claire"])
    with django_assert_max_num_queries(50) as one:
        assert client.get(LIST).status_code == 200
    others = [make_registration(workshop=world["workshop"]) for _ in range(29)]
    refuse(world, *others)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)

    assert response.content.decode().count("data-refusal=") == 30


def rows(html: str) -> list[str]:
    """The people listed, in order (the person's cell of each row)."""
    return re.findall(r'id="refusal-\d+-person"[^>]*>(?:<a [^>]*>)?([^<]+)', html)


def walk_ins_refused(world, count: int, *, name: str = "Visiteur") -> None:
    """`count` walk-ins refused at Woincourt, sent a minute apart (the newest has number 1)."""
    RefusedRecord.objects.bulk_create(
        RefusedRecord(
            uuid=uuid.uuid4(),
            mediator=world["ines"],
            workshop=world["workshop"],
            walk_in_name=f"{name} {number}",
            reason="forbidden",
            present=True,
            recorded_at=RECORDED,
            first_refused_at=NOW - dt.timedelta(minutes=number),
            last_refused_at=NOW - dt.timedelta(minutes=number),
        )
        for number in range(1, count + 1)
    )


def test_claire_finds_a_refusal_by_the_persons_name_the_commune_or_the_module(client, world):
    refuse(world, world["jeanine"], world["marcel"])
    module = world["workshop"].module.title

    assert rows(page(client, world["claire"], q="martin").content.decode()) == ["Jeanine Martin"]
    assert rows(page(client, world["claire"], q="  MARTIN  jeanine ").content.decode()) == [
        "Jeanine Martin"
    ]
    assert len(rows(page(client, world["claire"], q="woincourt").content.decode())) == 2
    assert len(rows(page(client, world["claire"], q=module.lower()).content.decode())) == 2
    assert len(rows(page(client, world["claire"], q="carpentier").content.decode())) == 2
    nothing = page(client, world["claire"], q="Dupont").content.decode()
    assert rows(nothing) == []
    assert "Aucun enregistrement refusé ne correspond à «\u00a0Dupont\u00a0» ici." in nothing
    assert 'value="Dupont"' in nothing  # the search stays in its field, to correct it


def test_a_search_with_control_characters_is_read_as_its_words_not_an_error(client, world):
    refuse(world, world["jeanine"])

    response = page(client, world["claire"], q="mar\x00tin\tjea\x07nine")

    assert response.status_code == 200  # PostgreSQL refuses a NUL in a string: no 500
    assert 'value="mar tin jea nine"' in response.content.decode()


def test_the_tabs_count_what_they_hold_and_keep_the_search(client, world):
    refuse(world, world["jeanine"], world["marcel"])
    RefusedRecord.objects.filter(registration=world["marcel"]).update(
        resolved_at=NOW, resolution=RefusedRecord.Resolution.DISMISSED
    )

    html = page(client, world["claire"]).content.decode()
    searched = page(client, world["claire"], q="dupuis").content.decode()

    assert re.search(r'data-state="ouverts"[^>]*>À traiter \(1\)<', html)
    assert re.search(r'data-state="traites"[^>]*>Traités \(1\)<', html)
    assert re.search(r'data-state="tous"[^>]*>Tous \(2\)<', html)
    assert re.search(
        r'href="\?etat=traites&amp;q=dupuis" data-state="traites"[^>]*>Traités \(1\)<', searched
    )
    assert re.search(r'data-state="ouverts"[^>]*>À traiter \(0\)<', searched)


def test_a_long_list_is_read_fifty_rows_a_page_the_search_kept(client, world):
    walk_ins_refused(world, 60)

    first = page(client, world["claire"], q="visiteur").content.decode()
    second = page(client, world["claire"], q="visiteur", p=2).content.decode()

    assert rows(first) == [f"Visiteur {n} (sans inscription)" for n in range(1, 51)]
    assert rows(second) == [f"Visiteur {n} (sans inscription)" for n in range(51, 61)]
    assert "Page 1 sur 2" in first and "Page 2 sur 2" in second
    assert 'href="?etat=ouverts&amp;q=visiteur&amp;p=2" rel="next"' in first
    assert 'href="?etat=ouverts&amp;q=visiteur&amp;p=1" rel="prev"' in second
    # A page past the end shows the last one, not an error.
    assert (
        rows(page(client, world["claire"], p=9).content.decode())[0]
        == "Visiteur 51 (sans inscription)"
    )


def test_dealing_with_a_row_comes_back_to_the_same_search_and_page(client, world):
    walk_ins_refused(world, 60)
    last = RefusedRecord.objects.get(walk_in_name="Visiteur 60")
    client.force_login(world["claire"])
    html = page(client, world["claire"], q="visiteur", p=2).content.decode()
    assert '<input type="hidden" name="q" value="visiteur">' in html
    assert '<input type="hidden" name="p" value="2">' in html

    response = client.post(
        reverse("workshops_refused_record_dismiss", args=[last.pk]), {"q": "visiteur", "p": "2"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?etat=ouverts&q=visiteur&p=2"
    assert rows(client.get(response["Location"]).content.decode())[-1] == (
        "Visiteur 59 (sans inscription)"
    )


def test_the_coordinators_home_counts_the_open_refusals_and_the_mediators_does_not(client, world):
    refuse(world, world["jeanine"], world["marcel"])
    RefusedRecord.objects.filter(registration=world["marcel"]).update(resolved_at=NOW)

    html = page(client, world["claire"], reverse("wagtailadmin_home")).content.decode()
    panel = html.split('id="refused-records-panel"', 1)[1].split("</section>", 1)[0]
    assert 'data-count="1"' in panel
    assert LIST in panel

    html = page(client, world["ines"], reverse("wagtailadmin_home")).content.decode()
    assert 'id="refused-records-panel"' not in html


def test_the_coordinators_home_says_nothing_when_nothing_is_refused(client, world):
    html = page(client, world["claire"], reverse("wagtailadmin_home")).content.decode()

    assert 'id="refused-records-panel"' not in html


def test_the_purge_deletes_refusals_older_than_thirty_days_and_keeps_the_others(world):
    refuse(world, world["jeanine"])
    with time_machine.travel(NOW - dt.timedelta(days=31), tick=False):
        old = record(world["marcel"], recorded_at=NOW - dt.timedelta(days=31))
        attendance_sync_batch(user=world["ines"], records=[old])
    RefusedRecord.objects.filter(registration=world["marcel"]).update(resolved_at=NOW)

    assert refused_records_purge() == 1

    assert list(RefusedRecord.objects.values_list("registration", flat=True)) == [
        world["jeanine"].pk
    ]


def test_the_daily_purge_command_runs_it(world):
    from django.core.management import call_command

    with time_machine.travel(NOW - dt.timedelta(days=31), tick=False):
        old = record(world["marcel"], recorded_at=NOW - dt.timedelta(days=31))
        attendance_sync_batch(user=world["ines"], records=[old])

    call_command("purge_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not RefusedRecord.objects.exists()


def test_erasing_a_resident_removes_her_refused_records(world):
    refuse(world, world["jeanine"], world["marcel"])

    person_erase(contact="06 12 34 56 78", by=world["claire"])

    assert list(RefusedRecord.objects.values_list("registration", flat=True)) == [
        world["marcel"].pk
    ]


def test_deleting_a_registration_removes_its_refused_records(world):
    refuse(world, world["jeanine"])

    world["jeanine"].delete()

    assert not RefusedRecord.objects.exists()
