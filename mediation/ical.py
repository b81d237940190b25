"""iCalendar building blocks: one event per stop or workshop, in the Europe/Paris time zone.

Calendar clients replace an event only when it keeps its UID and its SEQUENCE grows,
and remove it when its STATUS is CANCELLED; callers pass stable UIDs and sequences.
"""

import datetime as dt
from functools import cache

from django.conf import settings
from icalendar import Calendar, Event, Timezone

UTC = dt.UTC
# RFC 5545: lines are folded at 75 octets, continuation lines start with a space.
FOLD_AT = 75


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


# --- Feeds of hundreds of events -------------------------------------------------------------
# icalendar builds an object per property and costs about a millisecond an event; a feed of the
# whole tour writes its events directly, with the same escaping and folding, and the time zone
# definition icalendar makes, computed once per process (it depends only on the zone).


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """The line folded every 75 octets (74 after the first), never inside a character.

    Works on the UTF-8 bytes: a whole-tour feed folds tens of thousands of lines, and a loop
    over characters cost most of its time.
    """
    encoded = line.encode()
    if len(encoded) <= FOLD_AT:
        return line + "\r\n"
    parts, start, limit, size = [], 0, FOLD_AT, len(encoded)
    while size - start > limit:
        cut = start + limit
        while encoded[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(encoded[start:cut])
        start, limit = cut, FOLD_AT - 1
    parts.append(encoded[start:])
    return b"\r\n ".join(parts).decode() + "\r\n"


def _local(moment: dt.datetime) -> str:
    # strftime("%Y%m%dT%H%M%S"), without strftime's cost (several per event).
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def _utc(moment: dt.datetime) -> str:
    return _local(moment.astimezone(UTC)) + "Z"


def event_lines(
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
) -> str:
    """The VEVENT that make_event would build, as text (times in the zone of starts_at)."""
    zone = str(starts_at.tzinfo)
    lines = [
        "BEGIN:VEVENT",
        _fold("UID:" + _escape(uid)),
        _fold("SUMMARY:" + _escape(summary)),
        f"DTSTART;TZID={zone}:{_local(starts_at)}",
        f"DTEND;TZID={zone}:{_local(ends_at)}",
        "DTSTAMP:" + _utc(last_modified or dt.datetime.now(UTC)),
        f"SEQUENCE:{int(sequence)}",
        "STATUS:" + ("CANCELLED" if cancelled else "CONFIRMED"),
    ]
    if last_modified:
        lines.append("LAST-MODIFIED:" + _utc(last_modified))
    if location:
        lines.append(_fold("LOCATION:" + _escape(location)))
    if description:
        lines.append(_fold("DESCRIPTION:" + _escape(description)))
    if url:
        lines.append(_fold("URL:" + url))
    lines.append("END:VEVENT")
    return "".join(line if line.endswith("\r\n") else line + "\r\n" for line in lines)


@cache
def _vtimezone(zone: str) -> str:
    from zoneinfo import ZoneInfo

    calendar = Calendar()
    event = Event()
    event.add("dtstart", dt.datetime(2026, 1, 1, tzinfo=ZoneInfo(zone)))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return "".join(component.to_ical().decode() for component in calendar.walk("VTIMEZONE"))


def feed_ics(name: str, events: list[str], *, zone: str | None = None) -> bytes:
    """A calendar named `name` holding these VEVENTs (from event_lines), with their time zone."""
    header = new_calendar(name).to_ical().decode()
    opening, closing = header.rsplit("END:VCALENDAR", 1)
    # Always the time zone: a calendar must hold at least one component (RFC 5545, 3.4), so
    # a feed with no stop yet stays a valid calendar for the phones subscribed to it.
    timezone_part = _vtimezone(zone or settings.TIME_ZONE)
    return (opening + timezone_part + "".join(events) + "END:VCALENDAR" + closing).encode()
