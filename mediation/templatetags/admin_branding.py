"""The back office's name in its tabs: Wagtail's own setting, the one its welcome reads
(WAGTAIL_SITE_NAME), so that naming a tab costs no query."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def admin_site_name() -> str:
    return settings.WAGTAIL_SITE_NAME
