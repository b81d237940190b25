"""A module page on the van's 10-inch tablet: readable, no horizontal scrolling, accessible."""

import pytest

from mediation.demo import seed_modules
from tests.accessibility import axe_violations
from tests.factories import make_stop, make_workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TABLET = {"width": 1280, "height": 800}
TABLET_PORTRAIT = {"width": 800, "height": 1280}
PHONE = {"width": 390, "height": 844}


def test_a_module_page_on_a_tablet_or_a_phone_has_no_accessibility_violation(open_page):

    module = next(module for module in seed_modules() if module.slug == "compte-caf")
    make_workshop(module=module, stop=make_stop())
    for viewport in (TABLET, TABLET_PORTRAIT, PHONE):
        page = open_page("/modules/compte-caf/")
        page.set_viewport_size(viewport)
        assert page.locator("h1").inner_text() == module.title
        assert page.locator("ol.steps > li").count() == module.step_count
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The page's own stylesheet was applied (axe then checks contrast with it).
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.step')).borderLeftStyle")
            == "solid"
        )
        assert axe_violations(page) == []


def test_the_handout_link_is_reachable_with_the_keyboard(open_page):
    seed_modules()
    page = open_page("/modules/arnaques-en-ligne/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "handout-link":
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == (
        "/modules/arnaques-en-ligne/fiche.pdf"
    )


def test_on_a_phone_the_next_workshops_are_one_tap_from_the_top(open_page):
    """Jeanine opens the module from a link on her phone to sign up: the workshops come after
    seven steps, thirty screens down; a link at the top takes her there."""
    module = next(module for module in seed_modules() if module.slug == "compte-caf")
    workshop = make_workshop(module=module, stop=make_stop())
    page = open_page("/modules/compte-caf/")
    page.set_viewport_size(PHONE)

    link = page.locator('a[href="#ateliers"]').first
    assert link.is_visible() and link.bounding_box()["y"] < PHONE["height"]
    link.click()
    sign_up = page.locator(f'a[href="/ateliers/{workshop.pk}/inscription/"]')
    assert sign_up.bounding_box()["y"] < PHONE["height"]
