"""One-click unsubscribe (RFC 8058): Odette, in Prèsville, gets "Prévenez-moi" e-mails; her mail
client shows an "unsubscribe" button, which POSTs `List-Unsubscribe=One-Click` to the link."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.alerts import stop_alert_create, stop_alerts_send
from sessions.demand_models import StopAlert
from sessions.message_models import OutboundMessage
from tests.factories import make_commune, make_stop

pytestmark = pytest.mark.django_db
ODETTE = "odette@example.org"


@pytest.fixture
def home():
    return make_commune(
        name="Presville", slug="presville", latitude=Decimal("50.0"), longitude=Decimal("2.3")
    )


@pytest.fixture
def near():
    return make_commune(name="Centreville", latitude=Decimal("49.9"), longitude=Decimal("2.3"))


def a_stop_in(commune):
    return make_stop(commune=commune, date=timezone.localdate() + dt.timedelta(days=7))


def confirmed_alert(commune) -> StopAlert:
    alert = stop_alert_create(commune=commune, radius_km=20, email=ODETTE, consent=True)
    alert.confirmed_at = timezone.now() - dt.timedelta(minutes=1)
    alert.save()
    mail.outbox = []
    return alert


def unsubscribe_url(alert: StopAlert) -> str:
    return settings.SITE_URL + reverse("workshops:alert_unsubscribe", args=[alert.key])


def test_the_stop_e_mail_carries_both_headers_with_her_unsubscribe_link(home, near, sent):
    alert = confirmed_alert(home)

    with sent():
        stop_alerts_send(stop=a_stop_in(near))

    [message] = mail.outbox
    # What goes on the wire, not only what was asked for.
    sent_message = message.message()
    assert sent_message["List-Unsubscribe"] == f"<{unsubscribe_url(alert)}>"
    assert sent_message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url(alert) in message.body


def test_the_confirmation_e_mail_carries_them_too(home, sent):
    with sent():
        alert = stop_alert_create(commune=home, radius_km=20, email=ODETTE, consent=True)

    [message] = mail.outbox
    assert message.message()["List-Unsubscribe"] == f"<{unsubscribe_url(alert)}>"
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_one_click_post_unsubscribes_without_token_and_later_stops_say_nothing(
    home, near, sent
):
    alert = confirmed_alert(home)
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no token: a mail client

    response = mail_client.post(
        reverse("workshops:alert_unsubscribe", args=[alert.key]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not StopAlert.objects.filter(email=ODETTE).exists()
    with sent():
        assert stop_alerts_send(stop=a_stop_in(near)) == 0
    assert mail.outbox == []


def test_opening_the_link_does_not_unsubscribe_and_the_page_button_does(home, near, sent):
    alert = confirmed_alert(home)
    browser = Client(enforce_csrf_checks=True)
    url = reverse("workshops:alert_unsubscribe", args=[alert.key])

    page = browser.get(url)
    assert page.status_code == 200
    assert StopAlert.objects.filter(pk=alert.pk).exists()
    # The page's own button, as a browser without JavaScript sends it.
    token = page.cookies[settings.CSRF_COOKIE_NAME].value if page.cookies else ""
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 200
    assert not StopAlert.objects.filter(pk=alert.pk).exists()


def test_unsubscribing_blanks_the_headers_kept_in_the_message_log(home, near, sent):
    alert = confirmed_alert(home)
    with sent():
        stop_alerts_send(stop=a_stop_in(near))
    assert OutboundMessage.objects.filter(recipient=ODETTE).exclude(headers={}).exists()

    Client().post(reverse("workshops:alert_unsubscribe", args=[alert.key]))

    assert not OutboundMessage.objects.filter(headers__has_key="List-Unsubscribe").exists()


def test_a_request_outcome_has_no_unsubscribe_header(home, sent):
    from sessions.bus_requests import bus_request_decide
    from sessions.demand_models import BusRequest
    from tests.factories import make_coordinator

    request = BusRequest.objects.create(
        commune=home,
        requester_kind="habitant",
        contact_name="Odette",
        email=ODETTE,
        consent_at=timezone.now(),
    )
    with sent():
        bus_request_decide(
            bus_request=request, status="declined", reason="Pas cette année.", by=make_coordinator()
        )

    [message] = mail.outbox
    assert message.message()["List-Unsubscribe"] is None
