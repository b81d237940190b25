"""iCalendar building blocks: one event per stop or workshop, in the Europe/Paris time zone.

Calendar clients replace an event only when it keeps its UID and its SEQUENCE grows,
and remove it when its STATUS is CANCELLED; callers pass stable UIDs and sequences.
"""

import datetime as dt

from django.conf import settings
from icalendar import Calendar, Event, Timezone


def new_calendar(name: str, *, method: str = "PUBLISH") -> Calendar:
    """A calendar; `method="CANCEL"` for a message that removes its events (RFC 5546)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Bus numérique//Tournée//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def make_event(
    *,
    uid: str,
    summary: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    description: str = "",
    url: str = "",
    sequence: int = 0,
    cancelled: bool = False,
    last_modified: dt.datetime | None = None,
    organizer: str = "",
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("dtstamp", last_modified or dt.datetime.now(dt.UTC))
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if last_modified:
        event.add("last-modified", last_modified)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if organizer:
        event.add("organizer", f"mailto:{organizer}")
    return event


def to_ics(calendar: Calendar) -> bytes:
    """Serialise, adding the VTIMEZONE definitions the events' time zones need.

    A calendar must hold at least one component (RFC 5545, 3.4): a feed with no stop yet
    carries the Paris time zone alone, so that phones subscribed to it keep accepting it.
    """
    calendar.add_missing_timezones()
    if not calendar.subcomponents:
        calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    return calendar.to_ical()


def stop_uid(stop_pk: int) -> str:
    host = settings.SITE_URL.split("://", 1)[-1]
    return f"escale-{stop_pk}@{host}"


def workshop_uid(workshop_pk: int) -> str:
    host = settings.SITE_URL.split("://", 1)[-1]
    return f"atelier-{workshop_pk}@{host}"
