"""SMS texts that cost what they should: the GSM 7-bit alphabet and its segments.

One character outside GSM 03.38 (an "ê", a typographic apostrophe) switches a whole SMS to
UCS-2, where a segment holds 70 characters instead of 160. Every text we send goes through
`to_gsm7`, which keeps what the alphabet has (é, è, ù, à are in it) and transliterates the
rest (ê → e, ç → c, ’ → '), drops what no phone would show (a soft hyphen, an emoji),
and `fit` shortens the variable parts of a message so that it
stays within `MAX_SEGMENTS`.
"""

import unicodedata
from dataclasses import dataclass

# GSM 03.38 basic character set (one septet each), then its extension table (two septets:
# the escape and the character).
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "^{}\\[~]|€\f"
_BASIC_SET = frozenset(BASIC)
_EXTENSION_SET = frozenset(EXTENSION)

SINGLE_SEGMENT = 160
MULTIPART_SEGMENT = 153  # a concatenated SMS spends 7 septets on its header
MAX_SEGMENTS = 2
MAX_SEPTETS = MAX_SEGMENTS * MULTIPART_SEGMENT  # 306

# What GSM lacks and French uses, with its nearest GSM spelling.
_REPLACEMENTS = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\t": " ",
    "œ": "oe",
    "Œ": "OE",
    "ç": "c",
    "À": "A",
    "Â": "A",
    "È": "E",
    "Ê": "E",
    "Ë": "E",
    "Î": "I",
    "Ï": "I",
    "Ô": "O",
    "Ù": "U",
    "Û": "U",
    "Ÿ": "Y",
    "°": "o",
    "•": "-",
    "⁄": "/",
    "′": "'",
    "″": '"',
}


def _invisible_or_pictograph(char: str) -> bool:
    """A character no GSM phone shows and whose "?" would read as a question: a soft hyphen
    or a zero-width space pasted from a document (format characters), an emoji or a
    pictograph, and the variation selectors that follow them."""
    category = unicodedata.category(char)
    return category in {"Cf", "So"} or "\ufe00" <= char <= "\ufe0f"


def to_gsm7(text: str) -> str:
    """The text in the GSM 7-bit alphabet: kept where it can be, transliterated elsewhere."""
    out = []
    for char in text:
        if char in _BASIC_SET or char in _EXTENSION_SET:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        elif _invisible_or_pictograph(char):
            continue
        else:
            # ê, â, î, ô, û, ë, ï… lose their accent; what has no Latin base becomes "?".
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(
                "".join(
                    c if c in _BASIC_SET or c in _EXTENSION_SET else _REPLACEMENTS.get(c, "?")
                    for c in base
                )
                or "?"
            )
    return "".join(out)


def is_gsm7(text: str) -> bool:
    return all(char in _BASIC_SET or char in _EXTENSION_SET for char in text)


def septets(text: str) -> int:
    """Length in septets of a GSM 7-bit text (extension characters count twice)."""
    return sum(2 if char in _EXTENSION_SET else 1 for char in text)


def segments(text: str) -> int:
    """How many SMS a text costs once transliterated (what the provider bills)."""
    text = to_gsm7(text)
    length = septets(text)
    if length == 0:
        return 0
    if length <= SINGLE_SEGMENT:
        return 1
    return -(-length // MULTIPART_SEGMENT)


@dataclass(frozen=True)
class Fitted:
    text: str
    segments: int


def fit(template: str, values: dict[str, str], *, shrinkable: tuple[str, ...] = ()) -> Fitted:
    """`template % values` in GSM 7-bit, within MAX_SEPTETS.

    When too long, the `shrinkable` values (least important first) are shortened with "..."
    until the text fits; a text still too long is cut at the end. Links are never shrunk:
    leave them out of `shrinkable`.
    """
    values = {key: to_gsm7(str(value)) for key, value in values.items()}
    template = to_gsm7(template)
    text = template % values
    for key in shrinkable:
        excess = septets(text) - MAX_SEPTETS
        if excess <= 0:
            break
        if key not in values:
            continue  # one list for every kind of message: a stop alert names no module
        value = values[key]
        keep = max(len(value) - excess - 3, 8)
        if keep < len(value):
            values[key] = value[:keep].rstrip(" ,.-") + "..."
            text = template % values
    while septets(text) > MAX_SEPTETS:
        text = text[:-4].rstrip() + "..."
    return Fitted(text=text, segments=segments(text))
