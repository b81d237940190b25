"""Dates as residents read them: "mardi 8 décembre 2026, 9 h 30"."""

import datetime as dt
from functools import lru_cache

from django import template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def longdate(value: dt.date | dt.datetime | None) -> str:
    """ "mardi 8 décembre 2026"; the first of the month reads "1er"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return _longdate(value, translation.get_language())


@lru_cache(maxsize=4096)
def _longdate(value: dt.date, language: str | None) -> str:
    # Long lists (the map's hundreds of communes) repeat the same few hundred days.
    return f"{formats.date_format(value, 'l')} {daydate(value)}"


@register.filter
def daydate(value: dt.date | None) -> str:
    """ "1er mars 2027", "8 décembre 2026": a day without its weekday."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {formats.date_format(value, 'F Y')}"


@register.filter
def hour(value: dt.time | dt.datetime | None) -> str:
    """ "9 h 30", "14 h", with non-breaking spaces: a time never breaks across two lines."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.minute == 0:
        return f"{value.hour}\u00a0h"
    return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"


@register.filter
def longdatetime(value: dt.datetime | None) -> str:
    """ "mardi 8 décembre 2026, 9 h 30"."""
    if value is None:
        return ""
    return f"{longdate(value)}, {hour(value)}"


@register.simple_tag
def hours(start: dt.time, end: dt.time) -> str:
    """ "de 9 h 30 à 12 h 30"."""
    return _("from %(start)s to %(end)s") % {"start": hour(start), "end": hour(end)}
