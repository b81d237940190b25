"""Text normalisation shared by the import and the commune search."""

import re
import unicodedata

from django.utils.text import slugify


def normalize_for_search(text: str) -> str:
    """Lower-case, strip accents, and treat hyphens, apostrophes and spaces alike.

    "Saint-Valery-sur-Somme" and "saint valery sur somme" both become
    "saint valery sur somme", so residents can type names however they write them.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.split(r"[^0-9a-z]+", without_accents.lower().replace("œ", "oe").replace("æ", "ae"))
    return " ".join(word for word in words if word)


def commune_slug(name: str, insee_code: str, taken: set[str]) -> str:
    """A readable slug, disambiguated with the INSEE code when two communes share a name."""
    slug = slugify(name)
    if slug in taken:
        slug = f"{slug}-{insee_code}"
    return slug
