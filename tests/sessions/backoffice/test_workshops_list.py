"""Claire plans three years of a tour: the workshops list narrows to a commune and a week,
as the registrations list does, rather than paging from the first workshop ever held."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_commune, make_coordinator, make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db

WORKSHOPS = "/admin/snippets/workshops/workshop/"


@pytest.fixture
def claire(client):
    client.force_login(make_coordinator("claire"))
    return client


def edit_url(workshop) -> str:
    return reverse("wagtailsnippets_workshops_workshop:edit", args=[workshop.pk])


def test_claire_finds_the_workshops_of_a_commune_in_a_week(claire):
    hedauville, villecourt = make_commune(name="Hédauville"), make_commune(name="Villecourt")
    module = make_module()
    wanted = make_workshop(
        stop=make_stop(commune=hedauville, date=dt.date(2026, 12, 8)), module=module
    )
    other_week = make_workshop(
        stop=make_stop(commune=hedauville, date=dt.date(2027, 1, 12)), module=module
    )
    other_commune = make_workshop(
        stop=make_stop(commune=villecourt, date=dt.date(2026, 12, 9)), module=module
    )

    html = claire.get(
        WORKSHOPS,
        {"commune": "hedau", "stop_date_from": "2026-12-07", "stop_date_to": "2026-12-13"},
    ).content.decode()

    assert edit_url(wanted) in html
    assert edit_url(other_week) not in html
    assert edit_url(other_commune) not in html


def test_claire_finds_a_callers_registrations_by_his_commune_typed_without_accents(claire):
    from sessions.services import registration_create

    hedauville = make_commune(name="Hédauville")
    workshop = make_workshop(stop=make_stop(commune=hedauville))
    other = make_workshop()
    marcel = registration_create(workshop=workshop, first_name="Marcel", phone="0612345678")
    odette = registration_create(workshop=other, first_name="Odette", phone="0612345679")

    html = claire.get(reverse("registrations:index"), {"commune": "HEDAUVILLE"}).content.decode()

    assert reverse("registrations:edit", args=[marcel.pk]) in html
    assert reverse("registrations:edit", args=[odette.pk]) not in html


def test_the_filters_are_labelled_in_french(claire):
    html = claire.get(WORKSHOPS).content.decode()

    assert "Date de l’escale" in html
    assert "Commune de l’escale" in html
