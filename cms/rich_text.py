"""Rules for the text coordinators write on the public site's pages."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_HEADING = re.compile(r"<h([1-6])\b", re.IGNORECASE)


def validate_heading_order(html: str) -> None:
    """Headings go down one level at a time, under the page's title (its only h1).

    Screen readers list a page's headings as its outline: a level skipped (an h4 under an h2)
    reads as a missing section (RGAA 9.1). The editor offers levels 2 to 4 in any order, and
    no level 1: the template writes the title as the page's only h1.
    """
    previous = 1
    for match in _HEADING.finditer(html or ""):
        level = int(match[1])
        if level > previous + 1:
            raise ValidationError(
                _(
                    "A level %(level)s heading follows a level %(previous)s heading: make it "
                    "level %(expected)s or less, so that screen readers read the page's "
                    "outline without a gap (the page's title is its level 1 heading)."
                ),
                code="heading_level_skipped",
                params={"level": level, "previous": previous, "expected": previous + 1},
            )
        previous = level
