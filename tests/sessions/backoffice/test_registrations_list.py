"""Claire, coordinator, reads the registrations list: its cells and each row's menu are
written in Python (sessions/backoffice/columns.py), not by Wagtail's templates; what she
reads and the links she follows must be those Wagtail gave."""

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from sessions.services import registration_cancel, registration_create
from tests.factories import make_commune, make_coordinator
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire(client):
    user = make_coordinator()
    client.force_login(user)
    return user


def _row(html: str, marker: str) -> str:
    start = html.rindex("<tr", 0, html.index(marker))
    return html[start : html.index("</tr>", start)]


def test_claire_reads_each_registration_and_follows_its_menu(client, claire, workshop):
    home = make_commune(name="Bourg-de-Test")
    odette = registration_create(
        workshop=workshop,
        **resident(1, first_name="Odette", home_commune=home, needs="Grande police <SVP>"),
    )

    html = client.get(reverse("registrations:index")).content.decode()
    row = _row(html, "Odette")

    assert f'href="{reverse("registrations:edit", args=[odette.pk])}">Odette' in row
    assert str(workshop) in row
    assert '<span class="status">confirmée</span><span class="channel">en ligne</span>' in row
    assert "Bourg-de-Test" in row
    assert "Grande police &lt;SVP&gt;" in row  # escaped, as the templates escaped it
    with translation.override("fr"):
        created = formats.localize(timezone.localtime(odette.created_at))
    assert f"<td>{created}</td>" in row
    for link in (
        reverse("registrations:edit", args=[odette.pk]),
        reverse("workshops_registration_cancel", args=[odette.pk]),
        reverse("workshops_registration_messages", args=[odette.pk]),
        reverse("registrations:delete", args=[odette.pk]),
    ):
        assert f'href="{link}"' in row
    assert 'data-controller="w-dropdown"' in row


def test_a_cancelled_registration_has_no_cancel_in_its_menu(client, claire, workshop):
    odette = registration_create(workshop=workshop, **resident(1, first_name="Odette"))
    registration_cancel(registration=odette, by=claire)

    row = _row(client.get(reverse("registrations:index")).content.decode(), "Odette")

    assert reverse("workshops_registration_cancel", args=[odette.pk]) not in row
    assert reverse("workshops_registration_messages", args=[odette.pk]) in row
    assert '<span class="status">annulée</span>' in row


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "06 12 34"])
def test_claire_finds_a_caller_by_the_number_as_they_say_it(client, claire, workshop, typed):
    # Odette calls back: "c'est le 06 12 34 56 78". Numbers are kept as +33612345678.
    registration_create(workshop=workshop, **resident(1, first_name="Odette", phone="0612345678"))
    registration_create(workshop=workshop, **resident(2, first_name="Gisèle"))

    html = client.get(reverse("registrations:index"), {"q": typed}).content.decode()

    assert "Odette" in html
    assert "Gisèle" not in html


def test_claire_reads_the_phone_as_she_would_dial_it(client, claire, workshop):
    registration_create(workshop=workshop, **resident(1, first_name="Odette", phone="0612345678"))

    row = _row(client.get(reverse("registrations:index")).content.decode(), "Odette")

    assert "06 12 34 56 78" in row
    assert "+33612345678" not in row


def test_claire_reads_status_and_channel_phone_and_e_mail_on_a_tablet(client, claire, workshop):
    # Two facts to a column, so that the list fits a tablet: its e-mail may break before
    # its "@" only, its phone never.
    registration_create(
        workshop=workshop,
        **resident(1, first_name="Odette", phone="0612345678", email="odette.m@example.org"),
    )
    registration_create(workshop=workshop, channel="phone", **resident(2, first_name="Gisèle"))
    registration_create(
        workshop=workshop, **resident(3, first_name="Marcel", phone="0322718000", email="")
    )

    html = client.get(reverse("registrations:index")).content.decode()

    assert (
        '<td class="lines"><span class="phone-number">06 12 34 56 78</span>'
        '<span class="email">odette.m<wbr>@example.org</span></td>'
    ) in _row(html, "Odette")
    assert '<span class="channel">par téléphone</span>' in _row(html, "Gisèle")
    assert '<td class="lines"><span class="phone-number">03 22 71 80 00</span></td>' in _row(
        html, "Marcel"
    )
    listing = html[html.index('<table class="listing') :]
    headings = listing[: listing.index("</thead>")]
    assert "Contact" in headings
    assert "Canal" not in headings and "E-mail" not in headings
