"""Text normalisation shared by the import and the searches."""

import functools
import html
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
    words = re.split(r"[^0-9a-z]+", transliterate_ligatures(without_accents).lower())
    return " ".join(ABBREVIATIONS.get(word, word) for word in words if word)


def search_text(text: str, *, length: int = 100) -> str:
    """What was typed in a search box, as its words separated by one space, at most `length`
    characters, without control characters: PostgreSQL refuses a NUL in a string (a 500),
    and the others match nothing anyone typed."""
    printable = "".join(c if c.isprintable() else " " for c in text[: length * 2])
    return " ".join(printable.split())[:length]


# What residents type for the words that start 23 communes' names of the Somme.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def transliterate_ligatures(text: str) -> str:
    """Œ and Æ are letters of their own in Unicode: accent stripping leaves them alone."""
    return text.translate(LIGATURES)


def french_sort_key(text: str) -> str:
    """Dictionary order as French readers expect it: É with E, Œ as OE, case ignored."""
    return normalize_for_search(text)


def edit_distance_at_most_one(first: str, second: str) -> bool:
    """True when one typo (a letter wrong, missing, added, or two letters swapped) or none
    separates the two strings."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        diffs = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and first[diffs[0]] == second[diffs[1]]
            and first[diffs[1]] == second[diffs[0]]
        )
    shorter, longer = sorted((first, second), key=len)
    for i, (a, b) in enumerate(zip(shorter, longer, strict=False)):
        if a != b:
            return shorter[i:] == longer[i + 1 :]
    return True


def commune_slug(name: str, insee_code: str, taken: set[str]) -> str:
    """A readable slug, disambiguated with the INSEE code when two communes share a name."""
    slug = slugify(transliterate_ligatures(name))
    if slug in taken:
        slug = f"{slug}-{insee_code}"
    return slug


# French punctuation: a (narrow) non-breaking space before ? ! : ; » and after «, never a
# plain one (which lets the mark wrap to the next line alone) nor none at all.
_NBSP = "\u00a0\u202f"
_TYPOGRAPHY_RULES = (
    (re.compile(r" [?!:;»]"), "plain space before a high punctuation mark"),
    (re.compile(r"« "), "plain space after «"),
    (re.compile(r"[\w)»][?!;»]"), "no space before a high punctuation mark"),
    (re.compile(r"(?<![a-z]{4})(?<!https)(?<!http)[\w)][:](?![/\d])"), "no space before a colon"),
    (re.compile(r"\d [h\d]|h \d\d\b|\d h\b"), "plain space inside a time or a number"),
)


def typography_faults(text: str) -> list[str]:
    """What breaks French typography in a sentence, e.g. "Appelez-nous : 03 22" (plain spaces)."""
    text = re.sub(r"%\([a-z_]+\)[sd]|\{[^}]*\}|<[^>]*>|https?://\S+", "", text)
    return [reason for pattern, reason in _TYPOGRAPHY_RULES if pattern.search(text)]


def escape_html(value) -> str:
    """django.utils.html.escape's output, without its lazy-string wrapper: the public lists
    escape some twenty values per item, hundreds of items a page, and the wrapper cost more
    than the escaping."""
    return html.escape(str(value))


# "de" and "à" before a commune's name, as French writes them: the translations say
# "près de %(name)s" or "à %(name)s", which read "près de Amiens" and "à Le Crotoy".
_CONTRACTED_ARTICLES = {"le": {"de": "du", "à": "au"}, "les": {"de": "des", "à": "aux"}}


def _starts_with_vowel(name: str) -> bool:
    first = unicodedata.normalize("NFKD", name[:1])[:1].lower()
    return first in "aeiouyœæ" and first != ""


@functools.lru_cache(maxsize=1024)
def _name_after_a_space(name: str) -> re.Pattern:
    # A literal first: the engine jumps from one occurrence to the next. Starting the
    # pattern with the prepositions made it try every position of a 30 KB page (1 ms).
    return re.compile(rf" {re.escape(name)}(?!\w)")


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def with_french_prepositions(text: str, name: str) -> str:
    """`text` with every "de"/"à" right before the commune `name` written as French does:
    d’Amiens, d’Abbeville, du Crotoy, au Crotoy (but de L’Étoile, à La Neuville, de Ham).

    `name` as it appears in `text`: HTML-escaped when `text` is HTML. A name that starts
    with H is left alone: whether it elides (h muet) or not (Ham, Hallu) is the name's own.
    """
    if not name or name not in text:
        return text
    article, _, rest = name.partition(" ")
    contracted = _CONTRACTED_ARTICLES.get(article.lower()) if rest else None
    elides = contracted is None and _starts_with_vowel(name)
    if contracted is None and not elides:
        return text  # "de Ham", "à Boves": nothing to write otherwise
    pieces, done = [], 0
    for match in _name_after_a_space(name).finditer(text):
        space = match.start()
        for preposition in ("de", "De", "à", "À"):
            start = space - len(preposition)
            if (
                start >= done
                and text.startswith(preposition, start)
                and (start == 0 or not _is_word_character(text[start - 1]))
            ):
                break
        else:
            continue
        lower = preposition.lower()
        if contracted:
            written = f"{contracted[lower]} {rest}"
        elif lower == "de":
            written = f"d’{name}"
        else:
            continue  # "à Amiens" stays
        if preposition[0].isupper():
            written = written[0].upper() + written[1:]
        pieces += [text[done:start], written]
        done = match.end()
    return "".join(pieces) + text[done:] if pieces else text
