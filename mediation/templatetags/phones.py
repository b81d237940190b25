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


@register.filter
def nbsp_phone(number: str) -> str:
    return unbreakable(number or "")
