"""Error pages speak French, in plain words, and say what to do next.

Django's own 400, 403 and CSRF pages are in English ("CSRF verification failed"): Lucienne,
78, who pressed "S'inscrire" on a sign-up page left open since yesterday on a phone that
refuses cookies, must read what happened and how to sign up anyway.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.factories import make_stop, make_workshop

pytestmark = pytest.mark.django_db


def test_a_refused_form_token_answers_a_french_page_with_the_way_forward(home):
    workshop = make_workshop(stop=make_stop())
    lucienne = Client(enforce_csrf_checks=True)

    response = lucienne.post(
        reverse("workshops:signup", args=[workshop.pk]), {"first_name": "Lucienne"}
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="fr">' in html
    assert 'id="form-not-sent"' in html
    assert "CSRF" not in html
    assert 'class="site-header"' in html  # the site's layout, with its phone number if any


def test_a_forbidden_page_is_french_in_the_sites_layout(client, home, rf):
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/"), PermissionDenied())

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Forbidden" not in html
    assert 'class="site-header"' in html


def test_a_request_for_an_unknown_host_is_a_french_400_without_the_layout(client):
    response = client.get("/", HTTP_HOST="evil.example")

    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="fr">' in html and "Bad Request" not in html
