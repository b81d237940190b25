"""render_spliced: parts made as UTF-8 bytes land wherever the template shows them."""

import pytest
from django.test import RequestFactory

from mediation.spliced import SplicingError, render_spliced


@pytest.mark.django_db
def test_parts_are_joined_where_the_template_shows_them(settings, tmp_path):
    (tmp_path / "page.html").write_text(
        "<p>{{ title }}</p>{% if listed %}<ul>{{ items }}</ul>{% endif %}<svg>{{ map }}</svg>"
        "<svg>{{ map }}</svg>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    ]
    request = RequestFactory().get("/")
    parts = {"map": "<g>Œuvre</g>".encode(), "items": "<li>Éplessier</li>".encode()}

    shown = render_spliced(request, "page.html", {"title": "<Carte>", "listed": True}, parts=parts)
    hidden = render_spliced(request, "page.html", {"title": "Carte", "listed": False}, parts=parts)

    assert shown["Content-Type"] == "text/html; charset=utf-8"
    assert shown.content.decode() == (
        "<p>&lt;Carte&gt;</p><ul><li>Éplessier</li></ul><svg><g>Œuvre</g></svg>"
        "<svg><g>Œuvre</g></svg>"
    )
    assert hidden.content.decode() == "<p>Carte</p><svg><g>Œuvre</g></svg><svg><g>Œuvre</g></svg>"


@pytest.fixture
def templates(settings, tmp_path):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
        }
    ]
    return tmp_path


@pytest.mark.django_db
def test_the_page_around_the_parts_follows_its_context(templates):
    (templates / "page.html").write_text("<h1>{{ title }}</h1>{{ map }}", encoding="utf-8")
    request = RequestFactory().get("/")

    first = render_spliced(request, "page.html", {"title": "A"}, parts={"map": b"<svg/>"})
    again = render_spliced(request, "page.html", {"title": "A"}, parts={"map": b"<g/>"})
    other = render_spliced(request, "page.html", {"title": "B"}, parts={"map": b"<g/>"})

    assert first.content == b"<h1>A</h1><svg/>"
    assert again.content == b"<h1>A</h1><g/>"
    assert other.content == b"<h1>B</h1><g/>"


@pytest.mark.django_db
def test_a_requests_variable_is_refused_rather_than_frozen_into_every_page(templates):
    (templates / "page.html").write_text("<p>{{ request.path }}</p>", encoding="utf-8")

    with pytest.raises(SplicingError, match="request"):
        render_spliced(RequestFactory().get("/carte/"), "page.html", {}, parts={})


def test_the_branding_is_the_only_setting_a_memoised_page_can_show():
    """render_spliced lets templates read Wagtail's settings because the branding is in its
    memo's key: another setting model would need to join that key (mediation/spliced.py)."""
    from wagtail.contrib.settings.registry import registry

    from mediation.models import Branding

    assert list(registry) == [Branding]


@pytest.mark.django_db
def test_links_follow_the_url_prefix_the_site_is_served_under(templates):
    from django.urls import set_script_prefix

    (templates / "page.html").write_text(
        '<a href="{% url "cms:map" %}">Carte</a>', encoding="utf-8"
    )
    request = RequestFactory().get("/")
    try:
        set_script_prefix("/bus/")
        under_prefix = render_spliced(request, "page.html", {}, parts={})
    finally:
        set_script_prefix("/")
    at_root = render_spliced(request, "page.html", {}, parts={})

    assert under_prefix.content == b'<a href="/bus/carte/">Carte</a>'
    assert at_root.content == b'<a href="/carte/">Carte</a>'
