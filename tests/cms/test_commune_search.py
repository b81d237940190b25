"""A resident finds their commune by name or postal code, however they type it."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db

SEARCH = reverse("cms:commune_search")


@pytest.fixture(autouse=True)
def communes(somme):
    """The 771 communes of the Somme."""


def result_slugs(response) -> list[str]:
    html = response.content.decode()
    return [part.split("/", 1)[0] for part in html.split('href="/communes/')[1:]]


@pytest.mark.parametrize(
    "typed",
    ["saint valery", "SAINT-VALÉRY", "Saint Valery sur Somme", "  saint-valery-sur-somme "],
)
def test_a_name_without_accents_or_hyphens_leads_to_the_commune(client, typed):
    response = client.get(SEARCH, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("cms:commune", kwargs={"slug": "saint-valery-sur-somme"})


def test_a_postal_code_leads_straight_to_abbeville(client):
    # 80100 is also the INSEE code of Bettencourt-Saint-Ouen: the postal code wins.
    response = client.get(SEARCH, {"q": "80100"})
    assert response.status_code == 302
    assert response["Location"] == "/communes/abbeville/"


def test_an_insee_code_finds_its_commune_when_no_postal_code_matches(client):
    response = client.get(SEARCH, {"q": "80001"})
    assert response.status_code == 302
    assert response["Location"] == "/communes/abbeville/"


def test_a_postal_code_shared_by_several_communes_lists_them_all(client):
    response = client.get(SEARCH, {"q": "80120"})
    assert response.status_code == 200
    slugs = result_slugs(response)
    assert "rue" in slugs
    assert len(set(slugs)) > 2


def test_an_unknown_commune_gets_a_helpful_page_not_an_error(client):
    response = client.get(SEARCH, {"q": "Marseille"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-result"' in html
    # The search field keeps what was typed, so the resident can correct it.
    assert 'value="Marseille"' in html


def test_a_search_that_matches_too_many_communes_does_not_claim_the_list_is_all_of_them(client):
    # A town-hall secretary types "80", the start of every postal code of the Somme: the
    # page lists the first 50 of 771 communes, and its heading said "50 communes match".
    response = client.get(SEARCH, {"q": "80"})
    html = response.content.decode()
    shown = html.split('<ul class="results"')[1].split("</ul>")[0].count("<li>")
    heading = re.search(r'<h2 id="results-title">(.*?)</h2>', html).group(1)
    with translation.override("fr"):
        more_than = gettext("More than %(shown)s communes match “%(query)s”")
    assert heading == more_than % {"shown": shown, "query": "80"}


def test_an_empty_or_odd_query_shows_the_form(client):
    for typed in ["", "   ", "%%%", "<script>"]:
        response = client.get(SEARCH, {"q": typed})
        assert response.status_code == 200
        assert 'id="commune-q"' in response.content.decode()
        assert "<script>" not in response.content.decode().split("</header>")[1]


@pytest.mark.parametrize(("typed", "count"), [("saint", True), ("zzzzqq", False)])
def test_a_screen_reader_user_hears_what_the_search_found_as_the_page_opens(client, typed, count):
    html = client.get(SEARCH, {"q": typed}).content.decode()

    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    search_title = re.search(
        r"<title>(.*?)</title>", client.get(SEARCH).content.decode(), re.S
    ).group(1)
    assert typed in title  # the words typed
    assert bool(re.match(r"\d+ ", title)) == count  # how many communes match, first
    assert title.endswith(search_title)  # then the page's own name
