"""The Content-Security-Policy header: strict on public pages and the tablet app."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_coordinator

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_public_pages_allow_no_inline_script_and_no_other_origin(client, home):
    policy = directives(client.get("/"))

    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_the_branding_colour_is_a_stylesheet_of_the_sites_own_so_cached_pages_keep_it(client, home):
    from mediation.models import Branding

    branding = Branding.load()
    branding.primary_colour = "#7a1f00"
    branding.save()

    first, second = client.get("/"), client.get("/")

    html = second.content.decode()
    assert "<style" not in html and "nonce=" not in html
    href = re.search(r'<link rel="stylesheet" href="([^"]*couleurs\.css[^"]*)">', html).group(1)
    assert href.endswith("?v=7a1f00")
    css = client.get(href)
    assert css["Content-Type"].startswith("text/css")
    assert "--accent: #7a1f00;" in css.content.decode()
    assert "'unsafe-inline'" not in directives(second)["style-src"]
    assert first.content == second.content


def test_the_tablet_login_has_the_strict_policy(client):
    assert directives(client.get(reverse("mediator_app:login")))["script-src"] == ["'self'"]


def test_only_the_admin_allows_wagtails_inline_scripts(client):
    client.force_login(make_coordinator())
    policy = directives(client.get(reverse("wagtailadmin_home")))
    assert "'unsafe-inline'" in policy["script-src"]
    assert not any(source.startswith("'nonce-") for source in policy["script-src"])


def test_the_400_and_500_pages_styles_hash_is_in_the_policy():
    html = (Path(settings.BASE_DIR) / "templates" / "bare_error.html").read_text(encoding="utf-8")
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


def test_the_admin_shows_no_gravatar(client):
    client.force_login(make_coordinator())
    assert "gravatar" not in client.get(reverse("wagtailadmin_home")).content.decode().lower()


def test_a_plain_page_carries_the_very_header_django_csp_builds_from_the_settings(client, home):
    from csp.utils import build_policy

    first, second = client.get("/"), client.get("/carte/")

    assert first["Content-Security-Policy"] == build_policy()
    assert second["Content-Security-Policy"] == build_policy()


def test_a_page_that_asks_for_a_nonce_gets_the_header_django_csp_builds_with_it(rf, settings):
    from csp.constants import NONCE
    from csp.utils import build_policy
    from django.http import HttpResponse

    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "script-src": ["'self'", NONCE]}
    settings.CONTENT_SECURITY_POLICY = policy

    from mediation.csp import PolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    middleware = PolicyMiddleware(view)
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))

    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert response["Content-Security-Policy"] == build_policy(nonce=nonce)
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


def test_a_changed_policy_setting_is_the_one_sent(client, home, settings):
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": ["'self'", "https://tuiles.example"]}
    client.get("/")
    settings.CONTENT_SECURITY_POLICY = policy

    assert directives(client.get("/"))["img-src"] == ["'self'", "https://tuiles.example"]
