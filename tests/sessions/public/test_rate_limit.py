"""The public form refuses a flood from one address with a clear 429 page, never a 500."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions.models import Registration
from sessions.public.views import SIGNUP_LIMIT, SIGNUP_WINDOW_SECONDS
from tests.factories import make_commune

# Each limit is reached within one window (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("within_one_rate_limit_window")]


def post(client, workshop, number: int, address: str = "203.0.113.5"):
    data = {
        "first_name": "Jean",
        "last_name": "Dupont",
        "phone": f"06 12 34 {number // 100:02d} {number % 100:02d}",
        "home_commune": "Bourg-de-Test",
        "consent": "on",
        "waiting_list_ok": "on",
    }
    return client.post(reverse("workshops:signup", args=[workshop.pk]), data, REMOTE_ADDR=address)


@pytest.fixture
def big_workshop(workshop):
    make_commune(name="Bourg-de-Test")
    workshop.capacity = 100
    workshop.save()
    return workshop


def test_it_refuses_more_sign_ups_than_the_limit_from_one_address(client, big_workshop):
    statuses = [post(client, big_workshop, n).status_code for n in range(SIGNUP_LIMIT + 2)]

    assert statuses == [302] * SIGNUP_LIMIT + [429, 429]
    assert Registration.objects.count() == SIGNUP_LIMIT
    refused = post(client, big_workshop, 99)
    assert 'id="rate-limited"' in refused.content.decode()


def test_the_refused_form_comes_back_as_typed(client, big_workshop):
    # The town hall's PC signs up its eleventh resident in ten minutes: refused for now,
    # but what the secretary typed is still there, to send again later or read on the phone.
    for n in range(SIGNUP_LIMIT):
        post(client, big_workshop, n)

    refused = post(client, big_workshop, 77)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert 'id="rate-limited"' in html and 'id="signup-form"' in html
    assert 'value="Dupont"' in html and 'value="06 12 34 00 77"' in html


def test_another_address_is_not_held_back(client, big_workshop):
    for n in range(SIGNUP_LIMIT + 1):
        post(client, big_workshop, n)

    assert post(client, big_workshop, 50, address="198.51.100.7").status_code == 302


def test_the_limit_lifts_after_the_window(client, big_workshop):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(SIGNUP_LIMIT + 1):
            post(client, big_workshop, n)
        assert post(client, big_workshop, 60).status_code == 429
        traveller.shift(SIGNUP_WINDOW_SECONDS + 1)
        assert post(client, big_workshop, 61).status_code in {200, 302}


def test_reading_the_form_is_never_limited(client, big_workshop):
    for n in range(SIGNUP_LIMIT + 1):
        post(client, big_workshop, n)

    assert client.get(reverse("workshops:signup", args=[big_workshop.pk])).status_code == 200


def test_behind_a_proxy_it_counts_the_address_the_proxy_saw(rf, settings):
    from sessions.public.ratelimit import client_address

    settings.RATE_LIMIT_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9")

    # The left-most entry is whatever the client claimed; only the proxy's own is trusted.
    assert client_address(request) == "203.0.113.9"
    settings.RATE_LIMIT_PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"


def test_an_ipv6_client_counts_as_its_whole_64_network(client, big_workshop):
    # A subscriber picks any address in its /64: changing the last 64 bits changes nothing.
    addresses = [f"2001:db8:1:2::{n:x}" for n in range(SIGNUP_LIMIT + 1)]
    statuses = [
        post(client, big_workshop, n, address=a).status_code for n, a in enumerate(addresses)
    ]

    assert statuses == [302] * SIGNUP_LIMIT + [429]
    assert post(client, big_workshop, 70, address="2001:db8:1:3::1").status_code == 302


def test_the_network_of_a_client_groups_ipv6_by_64_and_keeps_ipv4_whole(rf):
    from mediation.clients import client_network

    def network(address):
        return client_network(rf.get("/", REMOTE_ADDR=address))

    assert network("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64"
    assert network("203.0.113.5") == "203.0.113.5"
    assert network("::ffff:203.0.113.5") == "203.0.113.5"


def test_axes_stores_a_real_address_for_every_client(rf):
    from mediation.clients import client_network_for_axes

    def stored(**meta):
        return client_network_for_axes(rf.get("/", **meta))

    assert stored(REMOTE_ADDR="2001:db8:1:2:aaaa::1") == "2001:db8:1:2::"
    assert stored(REMOTE_ADDR="203.0.113.5") == "203.0.113.5"
    request = rf.get("/")
    del request.META["REMOTE_ADDR"]
    assert client_network_for_axes(request) == "0.0.0.0"
