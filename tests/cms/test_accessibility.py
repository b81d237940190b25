"""axe-core finds no violation on the public pages, and the skip link works with the keyboard."""

import datetime as dt

import pytest
from django.utils import timezone

from cms.demo import seed_legal_pages, seed_site
from cms.models import ContentPage
from mediation.models import Commune, StopStatus
from tests.accessibility import axe_violations
from tests.factories import make_module, make_stop, make_workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_site(somme):
    home = seed_site(site_name="Le Bus numérique")
    seed_legal_pages(home=home)
    # A page as a coordinator writes it: headings, a list, links to a page and outside.
    home.add_child(
        instance=ContentPage(
            title="Horaires d’été",
            slug="horaires-ete",
            body=(
                "<h2>En juillet</h2><p>Le bus passe <b>chaque mardi</b>.</p>"
                "<h3>Le matin</h3><ul><li>Abbeville</li><li>Rue</li></ul>"
                '<h2>En août</h2><p><a href="https://www.caf.fr/">Le site de la CAF</a></p>'
            ),
        )
    )
    today = timezone.localdate()
    abbeville = Commune.objects.get(slug="abbeville")
    stop = make_stop(commune=abbeville, date=today + dt.timedelta(days=3), address="1 place")
    make_workshop(stop=stop, module=make_module(slug="compte-caf"), seats_taken=8)
    make_workshop(
        stop=stop,
        module=make_module(slug="impots"),
        start_time=dt.time(11, 0),
        end_time=dt.time(12, 0),
    )
    make_stop(
        commune=Commune.objects.get(slug="rue"),
        date=today + dt.timedelta(days=5),
        status=StopStatus.CANCELLED,
        cancellation_reason="Travaux",
    )
    return stop


def violations(page, url: str) -> list[str]:
    page.goto(url)
    return axe_violations(page)


def test_the_public_pages_have_no_axe_violation_and_the_skip_link_works(
    live_server, page, public_site
):
    # One test: transaction=True flushes Wagtail's root page and locale between tests.
    for path in [
        "/",
        "/communes/abbeville/",
        f"/escales/{public_site.pk}/",
        "/carte/",
        "/communes/?q=saint",
        "/mentions-legales/",
        "/horaires-ete/",
    ]:
        assert violations(page, live_server.url + path) == [], path

    # A phone's width: the menu and the footer's links wrap, nothing hides another.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ["/", "/horaires-ete/", "/mentions-legales/"]:
        assert violations(page, live_server.url + path) == [], f"{path} at 390 px"
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(live_server.url + "/communes/abbeville/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
