"""The public page of a module: what to bring, the steps, and where to learn it next."""

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediation.models import StopStatus, TutorialModule
from mediation.templatetags.french_dates import longdate
from tests.factories import make_commune, make_module, make_stop, make_workshop

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


class Outline(HTMLParser):
    """The headings and the items of the ordered list of steps, as a reader meets them."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.step_items = 0
        self.notes: list[str] = []
        self._in_steps = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        is_steps_list = "steps" in (attributes.get("class") or "")
        if tag == "ol" and (is_steps_list or self._in_steps):
            self._in_steps += 1
        if tag == "li" and self._in_steps == 1:
            self.step_items += 1
        if tag in ("div", "p") and "note " in (attributes.get("class") or "") + " ":
            self.notes.append(attributes["class"])

    def handle_endtag(self, tag):
        if tag == "ol" and self._in_steps:
            self._in_steps -= 1


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_the_page_shows_documents_steps_and_outcomes(client, seeded_modules):
    for module in TutorialModule.objects.all():
        response = client.get(f"/modules/{module.slug}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f"<h1>{module.title}</h1>" in html
        for document in module.document_list:
            assert f"<li>{escape(document)}</li>" in html
        for block in module.steps:
            if block.block_type == "step":
                assert escape(block.value["title"]) in html
        for outcome in module.outcomes.all():
            assert f"<li>{escape(outcome.label)}</li>" in html
        assert f'href="/modules/{module.slug}/fiche.pdf"' in html


def escape(text: str) -> str:
    from django.utils.html import escape as django_escape

    return str(django_escape(text))


def test_steps_are_one_ordered_list_under_headings_in_order(client, seeded_modules):
    module = TutorialModule.objects.get(slug="arnaques-en-ligne")
    page = outline(client.get(f"/modules/{module.slug}/").content.decode())
    assert page.step_items == module.step_count
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    # No level is skipped on the way down (h1 → h2 → h3).
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(page.headings))


def test_warnings_and_tips_carry_a_text_label_not_only_a_colour(client, seeded_modules):
    html = client.get("/modules/compte-caf/").content.decode()
    for kind in ("warning", "tip"):
        blocks = re.findall(
            rf'<div class="note note-{kind}" role="note">\s*'
            r'<p class="note-label"><strong>(.+?)</strong>',
            html,
        )
        assert blocks and all(label.strip() for label in blocks), kind


@time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
def test_it_lists_the_upcoming_workshops_of_this_module_only(client):
    module = make_module(slug="compte-caf-test")
    other = make_module()
    commune = make_commune(name="Airaines", slug="airaines")
    soon = make_workshop(
        module=module,
        stop=make_stop(commune=commune, date=TODAY + dt.timedelta(days=3)),
        capacity=8,
        seats_taken=3,
    )
    cancelled = make_workshop(
        module=module,
        stop=make_stop(date=TODAY + dt.timedelta(days=4), status=StopStatus.CANCELLED),
    )
    past = make_workshop(module=module, stop=make_stop(date=TODAY - dt.timedelta(days=2)))
    elsewhere = make_workshop(module=other, stop=make_stop(date=TODAY + dt.timedelta(days=5)))

    html = client.get("/modules/compte-caf-test/").content.decode()

    assert f'href="/ateliers/{soon.pk}/inscription/"' in html
    assert longdate(soon.stop.date).capitalize() in html
    assert "Airaines" in html and 'href="/communes/airaines/"' in html
    assert re.search(r"\b5\b[^<]*</p>", html.split('class="workshop-seats"')[1])
    for hidden in (cancelled, past, elsewhere):
        assert f"/ateliers/{hidden.pk}/inscription/" not in html


@time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
def test_the_page_costs_the_same_queries_with_few_or_many_workshops(client):
    module = make_module(slug="module-requetes")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/modules/module-requetes/").status_code == 200
        return len(captured)

    make_workshop(module=module, stop=make_stop(date=TODAY + dt.timedelta(days=1)))
    queries()  # The first request of all creates the branding settings' row.
    few = queries()
    for day in range(2, 12):
        make_workshop(module=module, stop=make_stop(date=TODAY + dt.timedelta(days=day)))
    assert queries() == few


def test_a_module_that_is_no_longer_offered_is_not_found(client):
    make_module(slug="ancien-module", is_active=False)
    assert client.get("/modules/ancien-module/").status_code == 404
    assert client.get("/modules/ancien-module/fiche.pdf").status_code == 404
    assert client.get("/modules/inconnu/").status_code == 404


@time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
def test_a_module_withdrawn_while_workshops_use_it_stays_readable_until_they_are_over(client):
    """Claire withdraws a module that the tour still teaches next week: Jeanine, following
    the module's link from her village's stop page, still reads what to bring and the steps,
    and its handout, until the last of those workshops is over."""
    module = make_module(slug="ancien-module", is_active=False)
    stop = make_stop(date=TODAY + dt.timedelta(days=7))
    workshop = make_workshop(module=module, stop=stop)

    stop_page = client.get(f"/escales/{stop.pk}/").content.decode()
    assert 'href="/modules/ancien-module/"' in stop_page
    page = client.get("/modules/ancien-module/")
    assert page.status_code == 200
    assert f'href="/ateliers/{workshop.pk}/inscription/"' in page.content.decode()
    assert 'id="withdrawn-notice"' in page.content.decode()
    assert client.get("/modules/ancien-module/fiche.pdf").status_code == 200
    # Still out of the catalogue: nobody finds it there to plan more.
    assert "/modules/ancien-module/" not in client.get("/modules/").content.decode()

    with time_machine.travel(dt.datetime.combine(stop.date + dt.timedelta(days=1), dt.time(8))):
        assert client.get("/modules/ancien-module/").status_code == 404
        assert client.get("/modules/ancien-module/fiche.pdf").status_code == 404


def test_the_list_links_every_offered_module_and_hides_the_others(client, seeded_modules):
    make_module(slug="ancien-module", is_active=False)
    html = client.get("/modules/").content.decode()
    for module in seeded_modules:
        assert f'href="/modules/{module.slug}/"' in html
    assert "/modules/ancien-module/" not in html


def test_a_step_screenshot_is_shown_with_its_description(client, screenshot):
    module = make_module(slug="avec-capture")
    module.steps = [
        {
            "type": "step",
            "value": {
                "title": "Ouvrez le site",
                "text": "<p>Tapez l'adresse.</p>",
                "image": screenshot.pk,
                "image_description": "La page d'accueil du site, avec le bouton de connexion",
            },
        }
    ]
    module.save()
    html = client.get("/modules/avec-capture/").content.decode()
    assert re.search(
        r'<img[^>]+alt="La page d&#x27;accueil du site[^"]*"[^>]+src="/media/', html
    ) or re.search(r'<img[^>]+src="/media/[^>]+alt="La page d&#x27;accueil du site', html)


def test_a_resident_reading_a_module_finds_the_main_menu_where_every_page_has_it(client):
    module = make_module(slug="compte-caf", title="Créer son compte CAF")

    module_page = client.get(f"/modules/{module.slug}/").content.decode()
    list_page = client.get("/modules/").content.decode()

    def main_menu(html: str) -> str:
        return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)

    assert main_menu(module_page) == main_menu(list_page)
    # And the way back up to the list of modules, after it.
    assert module_page.index('class="site-nav"') < module_page.index('class="breadcrumb"')
