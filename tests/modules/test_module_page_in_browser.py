"""A module page on the van's 10-inch tablet: readable, no horizontal scrolling, accessible."""

import pytest

from mediation.demo import seed_modules
from tests.accessibility import axe_violations
from tests.factories import make_stop, make_workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TABLET = {"width": 1280, "height": 800}
TABLET_PORTRAIT = {"width": 800, "height": 1280}


def test_a_module_page_on_a_tablet_has_no_accessibility_violation(open_page):

    module = next(module for module in seed_modules() if module.slug == "compte-caf")
    make_workshop(module=module, stop=make_stop())
    for viewport in (TABLET, TABLET_PORTRAIT):
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
