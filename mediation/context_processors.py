from django.conf import settings


def source_code(request) -> dict:
    """The link to the source code that every page's footer offers (AGPL, section 13)."""
    return {"SOURCE_CODE_URL": settings.SOURCE_CODE_URL}
