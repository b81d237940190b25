"""Phone numbers as residents tap and read them: a `tel:` link that never wraps."""

import re

from django import template
from django.utils.html import format_html

register = template.Library()


def unbreakable(number: str) -> str:
    """ "03 22 00 00 00" with non-breaking spaces: the number stays on one line, even in print."""
    return re.sub(r"\s+", "\u00a0", number.strip())


def dial_string(number: str) -> str:
    """What the phone dials: digits and a leading +, nothing else."""
    return re.sub(r"[^\d+]", "", number)


@register.simple_tag
def phone_link(number: str, css_class: str = "phone") -> str:
    if not number:
        return ""
    return format_html(
        '<a class="{}" href="tel:{}">{}</a>', css_class, dial_string(number), unbreakable(number)
    )


def in_pairs(number: str) -> str:
    """A French number as it is read aloud, whatever its separators: "0353010080" and
    "03.53.01.00.80" read "03 53 01 00 80", "+33353010080" reads "+33 3 53 01 00 80".
    Anything else (a short number, a foreign one) is left as typed."""
    digits = dial_string(number)
    if re.fullmatch(r"0\d{9}", digits):
        return " ".join(digits[index : index + 2] for index in range(0, 10, 2))
    if re.fullmatch(r"\+33\d{9}", digits):
        national = digits[3:]
        return (
            "+33 "
            + national[0]
            + " "
            + " ".join(national[index : index + 2] for index in range(1, 9, 2))
        )
    return number


@register.filter
def nbsp_phone(number: str) -> str:
    """The number on paper (a flyer, a handout): in pairs, on one line."""
    return unbreakable(in_pairs(number or ""))
