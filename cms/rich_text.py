"""Rules for the text coordinators write on the public site's pages."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_HEADING = re.compile(r"<h([1-6])\b", re.IGNORECASE)

# A town hall's note sits under the commune page's "From the town hall" (an h2): its own
# headings start at level 3.
NOTE_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "image"]


@deconstructible
class HeadingOrder:
    """Headings go down one level at a time, under the heading of level `under` that the
    template writes above the text (the page's title, its only h1, by default).

    Screen readers list a page's headings as its outline: a level skipped (an h4 under an h2)
    reads as a missing section (RGAA 9.1). The editor offers its levels in any order, and no
    level 1.
    """

    def __init__(self, under: int = 1) -> None:
        self.under = under

    def __call__(self, html: str) -> None:
        previous = self.under
        for match in _HEADING.finditer(html or ""):
            level = int(match[1])
            if level > previous + 1:
                raise ValidationError(
                    _(
                        "A level %(level)s heading follows a level %(previous)s heading: make "
                        "it level %(expected)s or less, so that screen readers read the page's "
                        "outline without a gap (the page's title is its level 1 heading)."
                    ),
                    code="heading_level_skipped",
                    params={"level": level, "previous": previous, "expected": previous + 1},
                )
            if level <= self.under:
                raise ValidationError(
                    _(
                        "Headings in this text start at level %(first)s: the page shows a "
                        "level %(under)s heading above it."
                    ),
                    code="heading_above_its_section",
                    params={"first": self.under + 1, "under": self.under},
                )
            previous = level

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HeadingOrder) and other.under == self.under


validate_heading_order = HeadingOrder()
