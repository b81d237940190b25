"""The tour as iCalendar feeds that phones subscribe to (webcal)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from mediation.ical import event_lines, feed_ics, stop_uid
from mediation.models import Branding, Stop
from mediation.templatetags.french_dates import hours


def stop_event(stop: Stop, *, site_name: str, phone: str) -> str:
    """The stop's VEVENT, as text: a feed of the whole tour writes hundreds of them."""
    base = settings.SITE_URL.rstrip("/")
    url = base + reverse("cms:stop", kwargs={"pk": stop.pk})
    location = ", ".join(
        part for part in (stop.place_name, stop.address, stop.commune.name) if part
    )
    lines = [
        _("%(service)s in %(commune)s, %(hours)s.")
        % {
            "service": site_name,
            "commune": stop.commune.name,
            "hours": hours(stop.start_time, stop.end_time),
        }
    ]
    if stop.is_cancelled:
        lines.append(_("This stop is cancelled."))
        if stop.cancellation_reason:
            lines.append(stop.cancellation_reason)
    workshops = list(stop.workshops.all())
    if workshops:
        lines.append(_("Workshops:"))
        lines.extend(
            f"- {workshop.module.title} ({hours(workshop.start_time, workshop.end_time)})"
            for workshop in workshops
        )
    if stop.directions:
        lines.append(stop.directions)
    if phone:
        lines.append(_("Information and sign-up: %(phone)s") % {"phone": phone})
    lines.append(url)
    summary = _("%(service)s in %(commune)s") % {"service": site_name, "commune": stop.commune.name}
    if stop.is_cancelled:
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
    return event_lines(
        uid=stop_uid(stop.pk),
        summary=summary,
        starts_at=stop.starts_at,
        ends_at=stop.ends_at,
        location=location,
        description="\n".join(lines),
        url=url,
        sequence=stop.sequence,
        cancelled=stop.is_cancelled,
        last_modified=stop.updated_at,
    )


def feed_response(
    request: HttpRequest, *, stops: list[Stop], name: str | None, filename: str
) -> HttpResponse:
    branding = Branding.load()
    title = f"{branding.site_name} – {name}" if name else branding.site_name
    events = [
        stop_event(stop, site_name=branding.site_name, phone=branding.contact_phone)
        for stop in stops
    ]
    response = HttpResponse(feed_ics(title, events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
