"""Private calendars: a mediator's own stops, a van's, at a secret address that can be revoked."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from mediation.ical import stop_uid
from mediation.models import PrivateFeed
from mediation.planning.feeds import private_feed_create, private_feed_revoke
from tests.factories import make_mediator, make_stop

pytestmark = pytest.mark.django_db


def feed_path(token: str) -> str:
    return reverse("private_feed", kwargs={"token": token})


def events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_a_mediator_subscribes_to_her_own_stops_only(client, frozen, van, amiens):
    ines, thomas = make_mediator("ines"), make_mediator("thomas")
    hers = make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 12))
    hers.mediators.add(ines)
    make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 13)).mediators.add(thomas)
    _feed, token = private_feed_create(user=ines)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert [str(e["uid"]) for e in events(response)] == [stop_uid(hers.pk)]


def test_a_van_feed_lists_the_vans_stops(client, frozen, van, amiens):
    ours = make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 12))
    make_stop(commune=amiens, date=dt.date(2027, 1, 12))
    _feed, token = private_feed_create(van=van)
    found = events(client.get(feed_path(token)))
    assert [e["summary"] for e in found] == [f"{amiens.name} – {ours.place_name}"]


def test_a_revoked_address_is_refused(client, frozen, van):
    feed, token = private_feed_create(van=van)
    private_feed_revoke(feed=feed)
    assert client.get(feed_path(token)).status_code == 404


def test_a_new_address_revokes_the_old_one_and_only_a_hash_is_kept(client, frozen, van):
    _old, old_token = private_feed_create(van=van)
    _new, new_token = private_feed_create(van=van)
    assert client.get(feed_path(old_token)).status_code == 404
    assert client.get(feed_path(new_token)).status_code == 200
    assert not PrivateFeed.objects.filter(token_hash=new_token).exists()
    assert client.get(feed_path("made-up-token")).status_code == 404


def test_a_mediator_makes_her_address_in_the_back_office_and_sees_it_once(client, frozen):
    ines = make_mediator("ines")
    client.force_login(ines)
    response = client.post(reverse("planning:calendar_create"), follow=True)
    url = response.context["new_url"]
    assert url.startswith("http") and "/agenda/prive/" in url
    token = url.rsplit("/", 1)[-1].removesuffix(".ics")
    assert client.get(feed_path(token)).status_code == 200
    assert client.get(reverse("planning:calendars")).context["new_url"] == ""


def test_a_mediator_cannot_make_an_address_for_a_van_or_revoke_anothers(client, frozen, van):
    ines, thomas = make_mediator("ines"), make_mediator("thomas")
    his, _token = private_feed_create(user=thomas)
    client.force_login(ines)
    # The admin turns a refusal into a redirect to the dashboard with a message.
    client.post(reverse("planning:calendar_create"), {"van": van.pk})
    client.post(reverse("planning:calendar_revoke", args=[his.pk]))
    assert not PrivateFeed.objects.filter(van=van).exists()
    his.refresh_from_db()
    assert his.revoked_at is None
