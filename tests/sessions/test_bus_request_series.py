"""A request answered by a series: the town hall of Prèsville asked for the van, and Claire, a
coordinator, answers with the fortnightly visits she planned there rather than one stop."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mediation.models import RecurrenceRule, StopSeries, Van
from sessions import sms
from sessions.backoffice.errors import DECISION_ERRORS
from sessions.bus_requests import BusRequestError, bus_request_decide
from sessions.demand_models import BusRequest
from tests.factories import make_commune, make_coordinator, make_stop

pytestmark = pytest.mark.django_db


@pytest.fixture
def van(village):
    return Van.objects.create(name="Bus 1", home_base=village)


def make_series(van, commune, **overrides) -> StopSeries:
    today = timezone.localdate()
    values = {
        "van": van,
        "commune": commune,
        "place_name": "Parking de la salle des fêtes",
        "rule": RecurrenceRule.EVERY_N_WEEKS,
        "interval_weeks": 2,
        "weekday": 1,
        "start_date": today + dt.timedelta(days=10),
        "end_date": today + dt.timedelta(days=200),
    } | overrides
    return StopSeries.objects.create(**values)


def triage(client, bus_request, **data):
    url = reverse("bus_requests:edit", args=[bus_request.pk])
    return client.post(url, {"status": "", "stop": "", "series": "", "decline_reason": ""} | data)


def test_claire_plans_with_a_series_and_the_town_hall_reads_its_place_and_dates(
    client, town_hall_request, village, van, sent
):
    client.force_login(make_coordinator())
    series = make_series(van, village)
    first_stop = make_stop(
        commune=village, series=series, date=series.start_date + dt.timedelta(days=1)
    )

    with sent():
        response = triage(client, town_hall_request, status="planned", series=series.pk)

    assert response.status_code == 302
    town_hall_request.refresh_from_db()
    assert (town_hall_request.status, town_hall_request.series, town_hall_request.stop) == (
        "planned",
        series,
        None,
    )
    [message] = mail.outbox
    assert message.to == ["mairie@presville.example"]
    assert "Parking de la salle des fêtes" in message.body
    assert series.rule_label() in message.body
    # The generated stop's page, and the commune's page for every other date.
    assert reverse("cms:stop", args=[first_stop.pk]) in message.body
    assert reverse("cms:commune", args=[village.slug]) in message.body
    [text] = sms.outbox
    assert text.to == "+33612345678"
    assert reverse("cms:commune", args=[village.slug]) in text.body


def test_a_series_not_generated_yet_is_told_by_its_dates(town_hall_request, village, van, sent):
    series = make_series(van, village)

    with sent():
        bus_request_decide(
            bus_request=town_hall_request, status="planned", series=series, by=make_coordinator()
        )

    from mediation.templatetags.french_dates import longdate

    body = mail.outbox[0].body
    with translation.override("fr"):
        # Every other Tuesday from the series' start: the first two dates are listed.
        first = series.start_date + dt.timedelta(days=(1 - series.start_date.weekday()) % 7)
        assert longdate(first) in body
        assert longdate(first + dt.timedelta(days=14)) in body
    assert "/escales/" not in body


def test_planning_with_neither_stop_nor_series_is_refused_in_french_next_to_the_stop(
    client, town_hall_request
):
    claire = make_coordinator()
    client.force_login(claire)

    response = triage(client, town_hall_request, status="planned")

    assert response.status_code == 200
    with translation.override("fr"):
        french = str(DECISION_ERRORS["no_answer"][1])
    with translation.override("en"):
        english = str(DECISION_ERRORS["no_answer"][1])
    assert french != english  # translated, not the English source
    assert response.context["form"].errors["stop"] == [french]
    assert french in response.content.decode()
    town_hall_request.refresh_from_db()
    assert town_hall_request.status == "new"
    with pytest.raises(BusRequestError) as error:
        bus_request_decide(bus_request=town_hall_request, status="planned", by=claire)
    assert error.value.code == "no_answer"


def test_the_series_choice_offers_only_series_not_over_yet(client, town_hall_request, village, van):
    client.force_login(make_coordinator())
    today = timezone.localdate()
    current = make_series(van, village, start_date=today - dt.timedelta(days=30))
    future = make_series(van, village, place_name="Place de l'église")
    over = make_series(
        van,
        village,
        start_date=today - dt.timedelta(days=300),
        end_date=today - dt.timedelta(days=1),
    )

    response = client.get(reverse("bus_requests:edit", args=[town_hall_request.pk]))

    choices = {choice.pk for choice in response.context["form"].fields["series"].queryset}
    assert choices == {current.pk, future.pk}
    assert over.pk not in choices


def test_a_request_already_answered_by_a_series_now_over_keeps_it_in_the_choice(
    client, town_hall_request, village, van
):
    today = timezone.localdate()
    over = make_series(
        van, village, start_date=today - dt.timedelta(days=90), end_date=today - dt.timedelta(1)
    )
    BusRequest.objects.filter(pk=town_hall_request.pk).update(status="planned", series=over)
    client.force_login(make_coordinator())

    response = client.get(reverse("bus_requests:edit", args=[town_hall_request.pk]))

    assert over in response.context["form"].fields["series"].queryset


def test_the_triage_form_loads_in_a_constant_number_of_queries_with_many_series(
    client, town_hall_request, village, van
):
    client.force_login(make_coordinator())
    url = reverse("bus_requests:edit", args=[town_hall_request.pk])
    make_series(van, village)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(20):
        make_series(van, make_commune(), place_name=f"Place {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_the_list_and_the_detail_show_the_series_that_answers(
    client, town_hall_request, village, van, sent
):
    claire = make_coordinator()
    client.force_login(claire)
    series = make_series(van, village)
    with sent():
        bus_request_decide(
            bus_request=town_hall_request, status="planned", series=series, by=claire
        )

    listing = client.get(reverse("bus_requests:index")).content.decode()
    detail = client.get(reverse("bus_requests:inspect", args=[town_hall_request.pk]))

    assert "Parking de la salle des fêtes" in listing
    assert "Parking de la salle des fêtes" in detail.content.decode()


def test_changing_from_a_series_to_a_stop_tells_the_requester_again(
    town_hall_request, village, van, sent
):
    claire = make_coordinator()
    series = make_series(van, village)
    stop = make_stop(commune=village)

    with sent():
        bus_request_decide(
            bus_request=town_hall_request, status="planned", series=series, by=claire
        )
        bus_request_decide(
            bus_request=town_hall_request, status="planned", series=series, by=claire
        )
        bus_request_decide(bus_request=town_hall_request, status="planned", stop=stop, by=claire)

    assert len(mail.outbox) == 2
    assert reverse("cms:stop", args=[stop.pk]) in mail.outbox[1].body
    town_hall_request.refresh_from_db()
    assert (town_hall_request.stop, town_hall_request.series) == (stop, None)
