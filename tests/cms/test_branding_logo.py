"""The operator's logo in every page's header: Wagtail's markup, made once per process for
as long as the image, its file and its focal point stay the same."""

import itertools
from io import BytesIO

import pytest
from django.template import engines
from wagtail.images.models import Image, Rendition

from mediation.models import Branding
from mediation.models import branding as branding_module
from tests.factories import make_image, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def logo(settings, tmp_path):
    branding_module._logo_markup.clear()  # another test's logo may have had the same key
    settings.MEDIA_ROOT = tmp_path
    image = make_image(title="Logo de la Somme")
    branding = Branding.load()
    branding.logo = image
    branding.save()
    return image


def _header(client, url: str) -> str:
    page = client.get(url).content.decode()
    return page.split('<header class="site-header"', 1)[1].split("</header>", 1)[0]


def _wagtail_markup(image) -> str:
    template = engines["django"].from_string(
        '{% load wagtailimages_tags %}{% image logo height-64 alt="" class="site-logo" %}'
    )
    return template.render({"logo": image})


def test_the_header_shows_the_logo_as_wagtails_image_tag_writes_it(client, home, logo):
    markup = Branding.load().logo_html()
    assert markup == _wagtail_markup(logo)
    assert 'alt=""' in markup and 'class="site-logo"' in markup and 'height="64"' in markup
    for url in ("/", "/carte/", "/communes/"):
        assert markup in _header(client, url), url


def test_a_new_file_or_focal_point_shows_at_once(client, home, logo, settings):
    settings.TOUR_CACHE_ENABLED = False
    first = _header(client, "/carte/")

    logo.file = png_upload("logo-2026.png", size=(400, 100), colour="#7a1f00")
    logo.width, logo.height = 400, 100
    logo.save()
    Rendition.objects.filter(image=logo).delete()
    replaced = _header(client, "/carte/")
    assert replaced != first
    assert Branding.load().logo_html() in replaced
    assert 'width="256"' in replaced  # 400 × 100 at 64 pixels high

    logo.focal_point_x, logo.focal_point_y = 50, 50
    logo.focal_point_width, logo.focal_point_height = 20, 20
    logo.save()
    assert Branding.load().logo_html() == _wagtail_markup(Image.objects.get(pk=logo.pk))


def test_a_missing_file_is_not_kept_once_it_is_back(client, home, logo, settings):
    """A logo whose file was lost from the media folder before its rendition was made shows
    Wagtail's stand-in; once the file is back, the real rendition, without a restart."""
    stored = logo.file.read()
    logo.file.close()
    logo.file.storage.delete(logo.file.name)
    assert "not-found" in Branding.load().logo_html()

    logo.file.storage.save(logo.file.name, BytesIO(stored))
    assert "not-found" not in Branding.load().logo_html()
    assert Branding.load().logo_html() == _wagtail_markup(logo)


def test_signed_addresses_are_never_kept(client, home, logo, monkeypatch, settings):
    """A bucket without a custom domain signs each address for a while: every page, the
    memoised map's included, must give a fresh one."""
    settings.TOUR_CACHE_ENABLED = False
    storage = Rendition._meta.get_field("file").storage
    signatures = itertools.count()
    unsigned_url = storage.url
    monkeypatch.setattr(storage, "querystring_auth", True, raising=False)
    monkeypatch.setattr(
        storage,
        "url",
        lambda name, *args, **kwargs: f"{unsigned_url(name)}?Signature={next(signatures)}",
    )
    first, second = _header(client, "/carte/"), _header(client, "/carte/")
    assert "Signature=" in first and "Signature=" in second
    assert first != second
    assert _header(client, "/") != _header(client, "/")
