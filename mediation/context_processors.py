from django.conf import settings


def source_code(request) -> dict:
    """The link to the source code that every page's footer offers (AGPL, section 13)."""
    return {"SOURCE_CODE_URL": settings.SOURCE_CODE_URL}


def site_url(request) -> dict:
    """The site's public address, for the absolute links a page gives of itself (canonical,
    Open Graph): Wagtail's Site record may still name another host."""
    return {"SITE_URL": settings.SITE_URL}
