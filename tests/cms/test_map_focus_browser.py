"""A resident with low vision who moves through the map of the tour with the keyboard sees
which commune has the focus: its ring stands out from the map (WCAG 1.4.11, 3:1)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from mediation.models import Commune
from tests.factories import make_stop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def luminance(css_colour: str) -> float:
    channels = [int(value) / 255 for value in re.findall(r"\d+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_a_low_vision_resident_tabbing_through_the_map_sees_the_focused_commune(live_server, page):
    call_command("import_communes", "--verbosity", "0")
    make_stop(
        commune=Commune.objects.get(slug="abbeville"),
        date=timezone.localdate() + dt.timedelta(days=3),
    )

    page.goto(f"{live_server.url}/carte/")
    page.locator("#contenu").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.tour-map')"):
            break
    focused = page.evaluate(
        """() => {
          const link = document.activeElement, style = getComputedStyle(link);
          return {
            label: link.getAttribute('aria-label'),
            style: style.outlineStyle,
            width: parseFloat(style.outlineWidth),
            colour: style.outlineColor,
            communes: getComputedStyle(document.querySelector('.tour-map .communes path')).fill,
            map: getComputedStyle(document.querySelector('.tour-map svg')).backgroundColor,
          };
        }"""
    )

    assert focused["label"].startswith("Abbeville")
    assert focused["style"] == "solid" and focused["width"] >= 2
    assert contrast(focused["colour"], focused["communes"]) >= 3
    assert contrast(focused["colour"], focused["map"]) >= 3
