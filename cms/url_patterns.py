"""URLs of the public pages made by substitution, from a path reversed once per URL prefix.

The home, commune, stop and map pages and the calendar feeds link to dozens or hundreds of
stops, modules and communes: a `reverse()` for each link cost more than the rest of a listed
item. `url_pattern("cms:stop", "pk")("42")` is `reverse("cms:stop", kwargs={"pk": 42})`.
"""

from functools import lru_cache
from typing import NamedTuple

from django.urls import get_script_prefix, get_urlconf, reverse

# Stands for the key in a reversed path: digits, which every converter of these URLs takes
# (int and slug), and which no path of this site holds otherwise.
KEY_MARKER = "987654321"


class UrlPattern(NamedTuple):
    """A reversed path with KEY_MARKER for its key; hashable, so that it can key a memo of
    what is made from it (it carries the URL prefix it was reversed under)."""

    path: str

    def __call__(self, key: object) -> str:
        return self.path.replace(KEY_MARKER, str(key))


@lru_cache(maxsize=64)
def _reversed(name: str, kwarg: str, prefix: str, urlconf) -> UrlPattern:
    return UrlPattern(reverse(name, kwargs={kwarg: KEY_MARKER}))


def url_pattern(name: str, kwarg: str) -> UrlPattern:
    """The URL `name` for any value of its one keyword argument `kwarg`, under this request's
    URL prefix."""
    return _reversed(name, kwarg, get_script_prefix(), get_urlconf())
