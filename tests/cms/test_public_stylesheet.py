"""One public stylesheet, each rule written once: a second copy of a rule further down used to
override the first (the stop page's workshop cards lost their inner padding that way)."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import make_commune

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def selectors_by_context(css: str) -> Counter:
    """How many rules each selector list has, per at-rule (@media …) it sits in. A selector
    may appear in a group (`.a, .b { … }`) and on its own; the same list twice is a copy."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found: Counter = Counter()
    context: list[str] = []
    text = ""
    for char in css:
        if char == "{":
            prelude = " ".join(text.split())
            if prelude.startswith("@"):
                context.append(prelude)
            else:
                selectors = ", ".join(part.strip() for part in prelude.split(","))
                found[(tuple(c for c in context if c), selectors)] += 1
                context.append("")
            text = ""
        elif char == "}":
            if context:
                context.pop()
            text = ""
        elif char == ";" and not context:
            text = ""  # @import, @charset
        else:
            text += char
    return found


def test_each_selector_of_the_public_stylesheet_has_one_rule():
    counts = selectors_by_context(STYLESHEET.read_text(encoding="utf-8"))
    assert len(counts) > 50
    assert {key: n for key, n in counts.items() if n > 1} == {}


def test_the_check_finds_a_rule_written_twice():
    css = ".card { padding: 1rem; }\n@media (min-width: 40em) { .card { padding: 2rem; } }\n"
    assert max(selectors_by_context(css).values()) == 1
    assert selectors_by_context(css + ".card { padding: 0; }")[((), ".card")] == 2


@pytest.mark.django_db
def test_the_commune_page_loads_the_public_stylesheet_once_and_no_copy_of_its_rules(client):
    commune = make_commune(name="Feuillères-Test")
    html = client.get(f"/communes/{commune.slug}/").content.decode()
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"?]+)"', html)
    assert sheets.count("css/site.css") == 1
    # A page's own sheet (the alert form's) adds rules; it does not restate the site's.
    site_rules = set(selectors_by_context(STYLESHEET.read_text(encoding="utf-8")))
    for sheet in set(sheets) - {"css/site.css"}:
        path = finders.find(sheet)
        assert path, sheet
        own = set(selectors_by_context(Path(path).read_text(encoding="utf-8")))
        assert own & site_rules == set(), sheet
