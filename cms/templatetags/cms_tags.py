"""Small helpers for the public pages' templates."""

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def webcal_url(path: str) -> str:
    """The webcal:// address that makes a phone subscribe to a calendar feed."""
    host = settings.SITE_URL.split("://", 1)[-1].rstrip("/")
    return f"webcal://{host}{path}"


@register.simple_tag
def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@register.simple_tag
def flyer_period_options() -> str:
    """The options of the commune page's choice of a flyer's period, the default one selected:
    the same for every commune (it can go inside `{% fixed %}`)."""
    from cms.flyers import DEFAULT_MONTHS, period_choices

    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (months, mark_safe(" selected") if months == DEFAULT_MONTHS else "", label)
            for months, label in period_choices()
        ),
    )


@register.simple_tag
def stop_summary(listed, level=3, show_commune=False):
    """A stop's summary (a cms.schedule.ListedStop), as cms/stop_summaries.py builds it."""
    from cms.stop_summaries import stop_summary as summary

    return summary(
        listed.stop,
        listed.workshops,
        level=level,
        show_commune=show_commune,
        distance=listed.distance_km,
    )


@register.simple_tag
def distance_bands(bands):
    """The nearest stops by distance band (cms.schedule.DistanceBand), as cms/stop_summaries.py
    builds them."""
    from cms.stop_summaries import distance_bands as build

    return build(bands)


@register.simple_tag
def stop_summaries(listed, level=3, show_commune=False):
    """Summaries of a list of stops (cms.schedule.ListedStop), as cms/stop_summaries.py
    builds them."""
    from cms.stop_summaries import stop_summaries as build

    return build(listed, level=level, show_commune=show_commune)
