"""Small helpers for the public pages' templates."""

from django import template
from django.conf import settings

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
def stop_summary(stop, level=3, show_commune=False, distance=None):
    """A stop's summary, as cms/stop_summaries.py builds it."""
    from cms.stop_summaries import stop_summary as summary

    return summary(stop, level=level, show_commune=show_commune, distance=distance)
