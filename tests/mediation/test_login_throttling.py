"""Every staff login is throttled: a few wrong passwords, then a cool-off, never for ever."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mediation.demo import DEMO_PASSWORD
from tests.factories import make_mediator

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["wagtailadmin_login", "mediator_app:login"]


@pytest.fixture
def ines():
    mediator = make_mediator("ines")
    mediator.set_password("un mot de passe solide")
    mediator.save()
    return mediator


def attempt(client, page: str, password: str, address: str = "203.0.113.5"):
    return client.post(
        reverse(page), {"username": "ines", "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_after_the_failure_limit_even_the_right_password_waits(client, ines, page):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, page, "devine").status_code == 200  # the form, with its error
    assert attempt(client, page, "devine").status_code == 429

    locked = attempt(client, page, "un mot de passe solide")

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_lock_is_a_cool_off_not_a_life_sentence(client, ines, page):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, page, "devine")
        traveller.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))

        response = attempt(client, page, "un mot de passe solide")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ines.pk)


def test_an_attacker_rotating_ipv6_addresses_in_one_64_stays_locked(client, ines):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wagtailadmin_login", "devine", address=f"2001:db8:5:6::{n + 1:x}")

    response = attempt(client, "wagtailadmin_login", "un mot de passe solide", "2001:db8:5:6::ff")

    assert response.status_code == 429


def test_the_lock_page_is_in_french_and_tells_what_to_do(client, ines):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "mediator_app:login", "devine")
    html = attempt(client, "mediator_app:login", "devine").content.decode()
    assert '<html lang="fr">' in html
    assert "coordinat" in html  # "ask a coordinator"


def test_in_production_the_demo_password_opens_nothing(client, ines, settings):
    ines.set_password(DEMO_PASSWORD)
    ines.save()
    settings.PRODUCTION = True
    assert attempt(client, "wagtailadmin_login", DEMO_PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session
    settings.PRODUCTION = False
    assert attempt(client, "wagtailadmin_login", DEMO_PASSWORD).status_code == 302
