"""The back office's home answers a coordinator's "how is the tour going" and a mediator's day."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.message_models import MessageKind, MessageState, OutboundMessage
from sessions.models import RegistrationStatus
from tests.factories import (
    make_coordinator,
    make_mediator,
    make_registration,
    make_stop,
    make_workshop,
)

pytestmark = pytest.mark.django_db


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_sees_fill_rates_waiting_lists_and_stops_without_a_mediator(client):
    today = timezone.localdate()
    staffed = make_stop(date=today + dt.timedelta(days=2))
    staffed.mediators.add(make_mediator("ines"))
    full = make_workshop(stop=staffed, capacity=4, seats_taken=3)
    make_registration(workshop=full, status=RegistrationStatus.WAITING)
    lonely = make_stop(date=today + dt.timedelta(days=5))
    make_stop(date=today + dt.timedelta(days=90))  # beyond the horizon

    html = dashboard(client, make_coordinator())

    assert f'data-stop="{staffed.pk}" data-percent="75" data-waiting="1"' in html
    unassigned = html.split('id="stops-without-mediator"', 1)[1].split("</ul>", 1)[0]
    assert f'data-stop="{lonely.pk}"' in unassigned
    assert f'data-stop="{staffed.pk}"' not in unassigned
    assert reverse("wagtailsnippets_mediation_stop:edit", args=[lonely.pk]) in unassigned
    assert f"{reverse('registrations:index')}?workshop={full.pk}" in html
    assert 'id="tablet-alerts-panel"' in html


def test_a_mediator_is_led_to_todays_stops_and_the_tablet_app(client):
    ines = make_mediator("ines")
    today = make_stop(date=timezone.localdate())
    today.mediators.add(ines)
    workshop = make_workshop(stop=today)
    make_stop(date=timezone.localdate())  # someone else's

    html = dashboard(client, ines)

    todays = html.split('id="todays-stops"', 1)[1].split("</ul>", 1)[0]
    assert todays.count("data-stop=") == 1
    assert reverse("attendance_workshop", args=[workshop.pk]) in todays
    assert f'href="{reverse("mediator_app:home")}"' in html
    assert 'id="tour-panel"' not in html


def test_a_coordinator_is_told_of_messages_that_did_not_leave(client):
    registration = make_registration()
    for state in (MessageState.FAILED, MessageState.RETRYING, MessageState.SENT):
        OutboundMessage.objects.create(
            registration=registration,
            kind=MessageKind.CONFIRMED,
            channel="sms",
            state=state,
            dedupe_key=f"test-{state}",
        )

    html = dashboard(client, make_coordinator())

    assert 'id="undelivered-messages" data-count="2"' in html
    assert reverse("workshops_undelivered_messages") in html
