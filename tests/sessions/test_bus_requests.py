"""Requests for a visit: the town hall of Prèsville asks; Claire, a coordinator, answers."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sessions import sms
from sessions.bus_requests import BusRequestError, bus_request_decide, bus_requests_purge
from sessions.demand_models import BusRequest
from sessions.message_models import OutboundMessage
from tests.factories import make_coordinator, make_mediator, make_stop

pytestmark = pytest.mark.django_db


def form(**overrides):
    return {
        "request-requester_kind": "mairie",
        "request-organisation": "Mairie de Presville",
        "request-contact_name": "Martine Leroy",
        "request-email": "mairie@presville.example",
        "request-expected_people": "12",
        "request-venue": "Salle des fêtes",
        "request-preferred_period": "Un mardi matin en mai",
        "request-needs": "Déclaration de revenus en mai",
        "request-consent": "on",
    } | overrides


def test_a_town_hall_sends_a_request_and_is_thanked(client, village):
    response = client.post(reverse("workshops:bus_request", args=[village.slug]), form())

    assert response.status_code == 302
    assert response.url == reverse("workshops:bus_request_sent", args=[village.slug])
    request = BusRequest.objects.get()
    assert (request.commune, request.expected_people, request.status) == (village, 12, "new")
    assert request.needs == "Déclaration de revenus en mai"


def test_a_request_without_contact_or_consent_is_refused_next_to_the_fields(client, village):
    response = client.post(
        reverse("workshops:bus_request", args=[village.slug]),
        form(**{"request-email": "", "request-consent": "", "request-expected_people": "0"}),
    )

    errors = response.context["form"].errors
    assert set(errors) == {"phone", "consent", "expected_people"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not BusRequest.objects.exists()


def test_a_bot_filling_the_honeypot_is_refused(client, village):
    response = client.post(
        reverse("workshops:bus_request", args=[village.slug]),
        form(**{"request-website": "http://spam.example"}),
    )

    assert response.status_code == 400
    assert not BusRequest.objects.exists()


@pytest.mark.usefixtures("within_one_rate_limit_window")
def test_the_request_form_is_rate_limited_per_address(client, village):
    url = reverse("workshops:bus_request", args=[village.slug])
    statuses = [client.post(url, form()).status_code for _ in range(11)]

    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert BusRequest.objects.count() == 10


def test_claire_plans_the_request_and_the_town_hall_gets_the_stop(
    client, town_hall_request, village, sent
):
    client.force_login(make_coordinator())
    stop = make_stop(commune=village)
    url = reverse("bus_requests:edit", args=[town_hall_request.pk])
    assert client.get(url).status_code == 200

    with sent():
        response = client.post(url, {"status": "planned", "stop": stop.pk, "decline_reason": ""})

    assert response.status_code == 302
    town_hall_request.refresh_from_db()
    assert (town_hall_request.status, town_hall_request.stop) == ("planned", stop)
    [message] = mail.outbox
    assert message.to == ["mairie@presville.example"]
    assert reverse("cms:stop", args=[stop.pk]) in message.body
    assert [m.to for m in sms.outbox] == ["+33612345678"]


def test_declining_needs_a_reason_which_the_requester_reads(client, town_hall_request, sent):
    client.force_login(make_coordinator())
    url = reverse("bus_requests:edit", args=[town_hall_request.pk])

    with sent():
        refused = client.post(url, {"status": "declined", "stop": "", "decline_reason": " "})
    assert refused.status_code == 200
    assert refused.context["form"].errors["decline_reason"]
    assert mail.outbox == []

    with sent():
        client.post(
            url, {"status": "declined", "stop": "", "decline_reason": "Pas de parking assez grand."}
        )
    town_hall_request.refresh_from_db()
    assert town_hall_request.status == "declined"
    assert "Pas de parking assez grand." in mail.outbox[0].body


def test_planning_without_a_stop_is_refused(client, town_hall_request):
    client.force_login(make_coordinator())

    response = client.post(
        reverse("bus_requests:edit", args=[town_hall_request.pk]),
        {"status": "planned", "stop": "", "decline_reason": ""},
    )

    assert response.context["form"].errors["stop"]
    town_hall_request.refresh_from_db()
    assert town_hall_request.status == "new"


def test_the_same_decision_twice_tells_the_requester_once(town_hall_request, village, sent):
    claire = make_coordinator()
    stop = make_stop(commune=village)

    with sent():
        for _ in range(2):
            bus_request_decide(
                bus_request=town_hall_request, status="planned", stop=stop, by=claire
            )

    assert len(mail.outbox) == 1
    with pytest.raises(BusRequestError) as error:
        bus_request_decide(bus_request=town_hall_request, status="declined", by=claire)
    assert error.value.code == "no_reason"


def _decline_by_text_message(bus_request, reason: str) -> None:
    """The requester left a phone only: the coordinator's reason goes by SMS."""
    BusRequest.objects.filter(pk=bus_request.pk).update(email="")
    bus_request.refresh_from_db()
    bus_request_decide(
        bus_request=bus_request, status="declined", reason=reason, by=make_coordinator()
    )


def test_a_phone_only_requester_reads_the_reason_in_the_text_message(town_hall_request, sent):
    with sent():
        _decline_by_text_message(town_hall_request, "Le bus est complet ce printemps.")

    assert "Le bus est complet ce printemps." in sms.outbox[0].body


def test_a_reason_with_a_percent_sign_reaches_the_requester_as_claire_wrote_it(
    town_hall_request, sent
):
    # Claire writes as the French do, "100 %": the SMS once failed to compose ("unsupported
    # format character") and never left; "100%a" would have come out as "100{}".
    with sent():
        _decline_by_text_message(
            town_hall_request, "Planning rempli à 100 % par les demandes de mai."
        )

    (message,) = OutboundMessage.objects.filter(channel="sms")
    assert (message.state, message.error) == ("sent", "")
    assert "rempli à 100 % par les demandes de mai." in sms.outbox[0].body


def test_a_mediator_does_not_see_the_requests_nor_their_contacts(client, town_hall_request):
    client.force_login(make_mediator())

    response = client.get(reverse("bus_requests:index"))

    assert (response.status_code, response.get("Location")) in {(403, None), (302, "/admin/")}


def test_a_coordinator_lists_the_requests(client, town_hall_request):
    client.force_login(make_coordinator())

    response = client.get(reverse("bus_requests:index"))

    assert response.status_code == 200
    assert "Mairie de Presville" in response.content.decode()


def test_a_coordinator_reads_when_a_request_came_in_paris_time(client, town_hall_request):
    # Sent at 8:05 in Presville one winter morning: 7:05 in UTC, as the database keeps it.
    sent_at = dt.datetime(2026, 1, 13, 8, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    BusRequest.objects.filter(pk=town_hall_request.pk).update(created_at=sent_at)
    client.force_login(make_coordinator())

    page = client.get(reverse("bus_requests:inspect", args=[town_hall_request.pk]))

    assert page.status_code == 200
    record = page.content.decode()
    assert "mardi 13 janvier 2026, 8\xa0h\xa005" in record
    assert "07:05" not in record
    # The number as it is dialled; no stop answers it yet; none of the database's ids.
    shown = record[record.index("<dl") : record.index("</dl>")]
    assert "06 12 34 56 78" in shown
    assert "Aucune" in shown
    assert ">ID<" not in shown
    listed = client.get(reverse("bus_requests:index")).content.decode()
    assert "mardi 13 janvier 2026, 8\xa0h\xa005" in listed


def test_contact_details_are_wiped_a_year_later_and_the_figures_stay(town_hall_request):
    BusRequest.objects.filter(pk=town_hall_request.pk).update(
        created_at=timezone.now() - dt.timedelta(days=366)
    )

    assert bus_requests_purge() == 1
    town_hall_request.refresh_from_db()
    assert (town_hall_request.contact_name, town_hall_request.phone, town_hall_request.email) == (
        "",
        "",
        "",
    )
    assert town_hall_request.commune.name == "Presville"
    assert bus_requests_purge() == 0
