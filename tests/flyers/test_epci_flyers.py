"""An intercommunality prints the flyers of all its communes at once."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import (
    make_commune,
    make_coordinator,
    make_epci,
    make_mediator,
    make_stop,
    make_user,
)
from tests.flyers.conftest import is_a4_portrait, page_text, pdf_pages, qr_codes_on_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("branding")]


@pytest.fixture
def client(client):
    """A coordinator's browser: the batch is for signed-in staff only."""
    client.force_login(make_coordinator())
    return client


@pytest.fixture
def epci_with_communes():
    epci = make_epci(name="CC des Essais", slug="cc-des-essais")
    names = ["Woincourt", "Feuquières-en-Vimeu", "Ault", "Friville-Escarbotin"]
    communes = [
        make_commune(
            name=name, epci=epci, latitude=Decimal("50.05") + number, longitude=Decimal("1.6")
        )
        for number, name in enumerate(names)
    ]
    make_commune(name="Ailleurs", epci=make_epci())
    for commune in communes[:2]:
        make_stop(commune=commune, date=dt.date.today() + dt.timedelta(days=4))
    return epci, communes


def test_the_batch_has_one_a4_page_per_commune_of_the_epci_in_name_order(
    client, epci_with_communes
):
    epci, communes = epci_with_communes
    response = client.get("/intercommunalites/cc-des-essais/affiches.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == len(communes)
    assert all(is_a4_portrait(page) for page in pages)
    expected = sorted(commune.name for commune in communes)
    for page, name in zip(pages, expected, strict=True):
        assert name in page_text(page)
    assert "Ailleurs" not in " ".join(page_text(page) for page in pages)


def test_each_page_of_the_batch_has_its_own_commune_qr_code(client, epci_with_communes):
    epci, communes = epci_with_communes
    pdf = client.get("/intercommunalites/cc-des-essais/affiches.pdf").content
    first = sorted(communes, key=lambda commune: commune.name)[-1]
    assert qr_codes_on_page(pdf, index=len(communes) - 1) == [
        f"http://testserver/communes/{first.slug}/"
    ]


def test_a_bad_period_for_the_batch_gets_a_400(client, epci_with_communes):
    response = client.get("/intercommunalites/cc-des-essais/affiches.pdf?periode=douze")
    assert response.status_code == 400


def test_an_unknown_epci_gets_a_404(client):
    assert client.get("/intercommunalites/nulle-part/affiches.pdf").status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_and_nothing_is_rendered(
    epci_with_communes, monkeypatch
):
    from django.test import Client

    from cms import flyer_views

    renders = []
    monkeypatch.setattr(flyer_views, "epci_flyers_pdf", lambda *a, **k: renders.append(1))
    response = Client().get("/intercommunalites/cc-des-essais/affiches.pdf")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert renders == []


def test_a_signed_in_account_without_a_staff_role_is_refused(epci_with_communes):
    from django.test import Client

    visitor = Client()
    visitor.force_login(make_user("curieux"))
    assert visitor.get("/intercommunalites/cc-des-essais/affiches.pdf").status_code == 403


def test_a_mediator_may_print_the_batch(epci_with_communes):
    from django.test import Client

    mediator = Client()
    mediator.force_login(make_mediator())
    assert mediator.get("/intercommunalites/cc-des-essais/affiches.pdf").status_code == 200


def test_staff_share_one_rendering_of_the_batch_until_the_tour_changes(
    client, epci_with_communes, monkeypatch
):
    """The batch is the same PDF for every member of staff: a hundred pages are rendered
    once per change of the tour, not at every download."""
    from django.test import Client

    from cms import flyer_views

    renders = []
    real = flyer_views.epci_flyers_pdf

    def counted(*args, **kwargs):
        renders.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(flyer_views, "epci_flyers_pdf", counted)
    url = "/intercommunalites/cc-des-essais/affiches.pdf"
    mediator = Client()
    mediator.force_login(make_mediator())

    first, again, hers = client.get(url), client.get(url), mediator.get(url)
    anonymous = Client().get(url)

    assert first.status_code == again.status_code == hers.status_code == 200
    assert again.content == first.content == hers.content
    assert len(renders) == 1
    assert anonymous.status_code == 302  # the cached copy is behind the staff check
    assert b"%PDF" not in anonymous.content

    _epci, communes = epci_with_communes
    make_stop(commune=communes[3], date=dt.date.today() + dt.timedelta(days=9))
    assert client.get(url).status_code == 200
    assert len(renders) == 2
