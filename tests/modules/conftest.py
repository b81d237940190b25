import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from mediation.demo import seed_modules
from mediation.models import Branding
from tests.factories import make_image


@pytest.fixture
def seeded_modules(db):
    return seed_modules()


@pytest.fixture
def van_phone(db) -> str:
    branding = Branding.load()
    branding.contact_phone = "03 53 01 00 80"
    branding.save()
    return branding.contact_phone


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def screenshot(media_root):
    """A Wagtail image, as a coordinator would upload a screenshot of a step."""
    return make_image("accueil.png", size=(320, 200), title="Écran d'accueil")


@pytest.fixture
def open_page(page, client):
    """Open a path of the site in Chromium, the HTML made by Django's test client.

    No live server: the test's own transaction is kept, so no flush wipes the rows that
    migrations created (Wagtail's root page, locales) for the tests that come after. Pages
    are rendered before the browser asks for them, because Playwright's callbacks run in
    another context, where the test's database connection is not available.
    """
    from django.contrib.staticfiles import finders

    rendered: dict[str, tuple[int, bytes, str]] = {}

    def answer(route):
        path = urlsplit(route.request.url).path
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if found:
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return route.fulfill(body=Path(found).read_bytes(), content_type=content_type)
        status, body, content_type = rendered.get(path, (404, b"", "text/plain"))
        return route.fulfill(status=status, body=body, content_type=content_type)

    page.route(f"{settings.SITE_URL}/**", answer)

    def open_path(path: str):
        response = client.get(path)
        rendered[path] = (response.status_code, response.content, response["Content-Type"])
        page.goto(settings.SITE_URL + path)
        return page

    return open_path
