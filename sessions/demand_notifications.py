"""Messages about alerts and requests for a visit, by e-mail and by SMS, one function per kind.

They leave like every message to residents: logged and queued in the caller's transaction
(`sessions.messaging.enqueue_after_commit`), sent by the worker. SMS are framed and fitted
like the registration messages (`notifications.frame_sms`). Every message about an alert
carries its unsubscribe link, and its e-mails the List-Unsubscribe headers (RFC 8058).
"""

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.models import Branding, Stop, StopSeries
from mediation.planning.series import series_dates
from mediation.templatetags.french_dates import hour, hours, longdate
from mediation.text import with_french_prepositions
from sessions.demand_models import BusRequest, BusRequestStatus, StopAlert
from sessions.message_models import Channel
from sessions.messaging import enqueue_after_commit
from sessions.notifications import frame_sms


def site_link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers mail clients show as an "unsubscribe" button, one click, no page (RFC 8058):
    they POST `List-Unsubscribe=One-Click` to the URL."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _deliver(
    *,
    phone: str,
    email: str,
    subject: str,
    template: str,
    context: dict,
    sms: str,
    values: dict,
    unsubscribe: str = "",
    answers_the_recipient: bool = False,
) -> None:
    branding = Branding.load()
    if values.get("commune"):
        subject = with_french_prepositions(subject, values["commune"])  # "au Crotoy"
    if email:
        body = render_to_string(template, {"branding": branding, **context})
        enqueue_after_commit(
            channel=Channel.EMAIL,
            recipient=email,
            subject=subject,
            body=body,
            headers=unsubscribe_headers(unsubscribe) if unsubscribe else None,
        )
    if phone:
        text = frame_sms(sms, values, branding).text
        enqueue_after_commit(
            channel=Channel.SMS,
            recipient=phone,
            body=text,
            answers_the_recipient=answers_the_recipient,
        )


def alert_confirmation(alert: StopAlert, code: str = "") -> None:
    """The code to type (SMS) or the link to follow (e-mail) before anything else is sent."""
    unsubscribe = site_link("workshops:alert_unsubscribe", key=alert.key)
    _deliver(
        phone=alert.phone,
        email=alert.email,
        subject=_("Confirm your alert for %(commune)s") % {"commune": alert.commune.name},
        template="sessions/messages/alert_confirmation.txt",
        context={
            "alert": alert,
            "confirm_link": site_link("workshops:alert_confirm_link", key=alert.key),
            "unsubscribe": unsubscribe,
        },
        sms=_(
            "your code is %(code)s. Type it on the page to confirm your alert. "
            "Not you? Ignore this message."
        ),
        values={"code": code},
        unsubscribe=unsubscribe,
        # Odette waits for it on the page, whatever the hour: it leaves at once.
        answers_the_recipient=True,
    )


def alert_new_stop(alert: StopAlert, stop: Stop, *, distance_km: float) -> None:
    unsubscribe = site_link("workshops:alert_unsubscribe", key=alert.key)
    values = {
        "commune": stop.commune.name,
        "date": longdate(stop.date),
        "time": hour(stop.start_time),
        "place": stop.place_name,
        "link": site_link("cms:stop", pk=stop.pk),
        "unsubscribe": unsubscribe,
    }
    _deliver(
        phone=alert.phone,
        email=alert.email,
        subject=_("The van comes to %(commune)s on %(date)s") % values,
        template="sessions/messages/alert_new_stop.txt",
        context={
            "alert": alert,
            "stop": stop,
            "hours": hours(stop.start_time, stop.end_time),
            "distance_km": round(distance_km),
            "stop_link": values["link"],
            "unsubscribe": unsubscribe,
        },
        sms=_(
            "the van comes to %(commune)s on %(date)s at %(time)s, %(place)s. "
            "Workshops and sign-up: %(link)s Stop these messages: %(unsubscribe)s"
        ),
        values=values,
        unsubscribe=unsubscribe,
    )


# How many dates of a series the requester reads (the commune page has the rest).
SERIES_DATES_SHOWN = 6


def series_next_dates(series: StopSeries, *, today: dt.date) -> list[tuple[dt.date, str]]:
    """The series' next dates, each with its stop's page once the stops are generated."""
    stops = list(
        series.stops.upcoming(today).not_cancelled().only("pk", "date")[:SERIES_DATES_SHOWN]
    )
    if stops:
        return [(stop.date, site_link("cms:stop", pk=stop.pk)) for stop in stops]
    dates, _skipped = series_dates(series, today=today)
    return [(day, "") for day in dates[:SERIES_DATES_SHOWN]]


def bus_request_outcome(bus_request: BusRequest) -> None:
    """The coordinator's answer: the stop or the series that answers the request, or why not."""
    planned = bus_request.status == BusRequestStatus.PLANNED
    stop = bus_request.stop if planned else None
    series = bus_request.series if planned else None
    values = {"commune": bus_request.commune.name}
    context = {"bus_request": bus_request, "stop": stop, "series": series}
    if series is not None:
        next_dates = series_next_dates(series, today=timezone.localdate())
        commune_link = site_link("cms:commune", slug=series.commune.slug)
        context |= {
            "series_rule": series.rule_label(),
            "series_hours": hours(series.start_time, series.end_time),
            "series_dates": next_dates,
            "commune_link": commune_link,
        }
        values |= {
            "date": longdate(next_dates[0][0] if next_dates else series.start_date),
            "place": f"{series.place_name}, {series.commune.name}",
            "rule": series.rule_label(),
            "last": longdate(series.end_date),
            "link": commune_link,
        }
        subject = _("The van is coming: %(commune)s, from %(date)s") % values
        sms = _(
            "thank you for your request: the van comes %(rule)s from %(date)s to %(last)s, "
            "%(place)s. Dates: %(link)s"
        )
    if stop is not None:
        values |= {
            "date": longdate(stop.date),
            "place": f"{stop.place_name}, {stop.commune.name}",
            "link": site_link("cms:stop", pk=stop.pk),
        }
        context |= {"hours": hours(stop.start_time, stop.end_time), "stop_link": values["link"]}
        subject = _("The van is coming: %(commune)s, %(date)s") % values
        sms = _(
            "thank you for your request: the van comes on %(date)s, %(place)s. Details: %(link)s"
        )
    if stop is None and series is None:
        subject = _("Your request for a visit to %(commune)s") % values
        sms = _(
            "we cannot bring the van to %(commune)s for now. We sent the reason by e-mail "
            "or call us."
        )
        if not bus_request.email:
            values["reason"] = bus_request.decline_reason
            sms = _("we cannot bring the van to %(commune)s for now: %(reason)s")
    _deliver(
        phone=bus_request.phone,
        email=bus_request.email,
        subject=subject,
        template="sessions/messages/bus_request_outcome.txt",
        context=context,
        sms=sms,
        values=values,
    )
