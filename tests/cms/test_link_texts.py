"""A screen reader lists a page's links out of their context: two links that lead to two
places never read the same (RGAA 6.1, WCAG 2.4.4)."""

import datetime as dt
import html as html_module
import re
from collections import defaultdict

import pytest

from tests.cms.conftest import TODAY
from tests.factories import make_commune, make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db


def links_read_alike(page: str) -> dict[str, set[str]]:
    """The texts that several links of the page's main content read, with where they lead."""
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    targets = defaultdict(set)
    for href, inner in re.findall(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', main, re.S):
        text = " ".join(html_module.unescape(re.sub(r"<[^>]+>", "", inner)).split())
        targets[text].add(href)
    return {text: hrefs for text, hrefs in targets.items() if len(hrefs) > 1}


@pytest.fixture
def module():
    return make_module(slug="adresse-email", title="Créer une adresse e-mail")


def test_a_screen_reader_user_tells_apart_the_same_workshop_twice_in_a_stop(client, frozen, module):
    stop = make_stop(date=TODAY + dt.timedelta(days=2))
    for start, capacity in ((9, 8), (10, 8), (11, 0), (12, 0)):  # two open, two full
        make_workshop(
            stop=stop,
            module=module,
            start_time=dt.time(start, 0),
            end_time=dt.time(start, 45),
            capacity=capacity,
        )

    page = client.get(f"/escales/{stop.pk}/").content.decode()

    assert page.count("/inscription/") == 4
    assert links_read_alike(page) == {}


def test_a_screen_reader_user_tells_apart_a_modules_two_workshops_on_one_day(
    client, frozen, module
):
    stop = make_stop(date=TODAY + dt.timedelta(days=2))
    for start in (9, 11):
        make_workshop(
            stop=stop, module=module, start_time=dt.time(start, 0), end_time=dt.time(start, 45)
        )

    page = client.get(f"/modules/{module.slug}/").content.decode()

    assert page.count("/inscription/") == 2
    assert links_read_alike(page) == {}


def test_a_screen_reader_user_tells_apart_the_two_vans_stops_on_the_same_day(
    client, frozen, home, module
):
    day = TODAY + dt.timedelta(days=3)
    for name in ("Albert-Test", "Le Crotoy-Test"):
        stop = make_stop(commune=make_commune(name=name), date=day)
        make_workshop(stop=stop, module=module)

    page = client.get("/").content.decode()

    assert links_read_alike(page) == {}
    assert "au Crotoy-Test</span>" in page  # "à Le Crotoy", as French writes it


def test_lists_drawn_without_bullets_still_read_as_lists(client, frozen, module):
    # Safari's VoiceOver no longer announces a list styled without bullets ("list-style:
    # none") unless it says role="list": the workshops of a stop or of a module, and the
    # nearest stops of a commune, are read as lists of so many items.
    village = make_commune(name="Hallu", slug="hallu")
    neighbour = make_commune(name="Chaulnes", slug="chaulnes")
    stop = make_stop(commune=neighbour, date=TODAY + dt.timedelta(days=2))
    make_workshop(stop=stop, module=module)

    pages = {
        "stop": client.get(f"/escales/{stop.pk}/").content.decode(),
        "module": client.get(f"/modules/{module.slug}/").content.decode(),
        "nearby": client.get(f"/communes/{village.slug}/").content.decode(),
    }

    assert '<ul class="workshops" role="list">' in pages["stop"]
    assert '<ul class="workshops" role="list">' in pages["module"]
    assert '<ol class="nearby" role="list">' in pages["nearby"]
