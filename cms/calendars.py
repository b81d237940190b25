"""The tour as iCalendar feeds that phones subscribe to (webcal)."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cms.url_patterns import url_pattern
from mediation.ical import event_lines, feed_ics, stop_uid
from mediation.models import PARIS, Branding, StopStatus
from mediation.templatetags.french_dates import hours
from mediation.text import with_french_prepositions


class _Texts:
    """The feed's sentences, translated once per feed rather than once per event."""

    def __init__(self, *, site_name: str, phone: str):
        self.site_name = site_name
        self.intro = _("%(service)s in %(commune)s, %(hours)s.")
        self.summary = _("%(service)s in %(commune)s")
        self.cancelled_summary = _("Cancelled: %(summary)s")
        self.cancelled = _("This stop is cancelled.")
        self.workshops = _("Workshops:")
        self.contact = _("Information and sign-up: %(phone)s") % {"phone": phone} if phone else ""
        self.base_url = settings.SITE_URL.rstrip("/")
        self.stop_url = url_pattern("cms:stop", "pk")
        self._hours: dict[tuple[dt.time, dt.time], str] = {}

    def hours(self, start: dt.time, end: dt.time) -> str:
        text = self._hours.get((start, end))
        if text is None:
            text = self._hours[(start, end)] = hours(start, end)
        return text

    def url(self, pk: int) -> str:
        return self.base_url + self.stop_url(pk)


def stop_event(stop: dict, *, texts: _Texts) -> str:
    """The stop's VEVENT, as text, from a row of `cms.schedule.feed_stops`."""
    url = texts.url(stop["pk"])
    commune = stop["commune__name"]
    cancelled = stop["status"] == StopStatus.CANCELLED
    location = ", ".join(part for part in (stop["place_name"], stop["address"], commune) if part)
    service = {"service": texts.site_name, "commune": commune}
    intro = texts.intro % {**service, "hours": texts.hours(stop["start_time"], stop["end_time"])}
    lines = [with_french_prepositions(intro, commune)]
    if cancelled:
        lines.append(texts.cancelled)
        if stop["cancellation_reason"]:
            lines.append(stop["cancellation_reason"])
    if stop["workshops"]:
        lines.append(texts.workshops)
        lines.extend(
            f"- {title} ({texts.hours(start, end)})" for title, start, end in stop["workshops"]
        )
    if stop["directions"]:
        lines.append(stop["directions"])
    if texts.contact:
        lines.append(texts.contact)
    lines.append(url)
    summary = with_french_prepositions(texts.summary % service, commune)
    if cancelled:
        summary = texts.cancelled_summary % {"summary": summary}
    return event_lines(
        uid=stop_uid(stop["pk"]),
        summary=summary,
        starts_at=dt.datetime.combine(stop["date"], stop["start_time"], tzinfo=PARIS),
        ends_at=dt.datetime.combine(stop["date"], stop["end_time"], tzinfo=PARIS),
        location=location,
        description="\n".join(lines),
        url=url,
        sequence=stop["sequence"],
        cancelled=cancelled,
        last_modified=stop["updated_at"],
    )


def feed_response(
    request: HttpRequest, *, stops: list[dict], name: str | None, filename: str
) -> HttpResponse:
    branding = Branding.load()
    title = f"{branding.site_name} – {name}" if name else branding.site_name
    texts = _Texts(site_name=branding.site_name, phone=branding.contact_phone)
    events = [stop_event(stop, texts=texts) for stop in stops]
    response = HttpResponse(feed_ics(title, events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
