"""Messages about alerts and requests for a visit, by e-mail and by SMS, one function per kind.

They leave like every message to residents: logged and queued in the caller's transaction
(`sessions.messaging.enqueue_after_commit`), sent by the worker. SMS are framed and fitted
like the registration messages (`notifications.frame_sms`). Every message about an alert
carries its unsubscribe link.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from mediation.models import Branding, Stop
from mediation.templatetags.french_dates import hour, hours, longdate
from sessions.demand_models import BusRequest, BusRequestStatus, StopAlert
from sessions.message_models import Channel
from sessions.messaging import enqueue_after_commit
from sessions.notifications import frame_sms


def site_link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _deliver(
    *,
    phone: str,
    email: str,
    subject: str,
    template: str,
    context: dict,
    sms: str,
    values: dict,
) -> None:
    branding = Branding.load()
    if email:
        body = render_to_string(template, {"branding": branding, **context})
        enqueue_after_commit(channel=Channel.EMAIL, recipient=email, subject=subject, body=body)
    if phone:
        text = frame_sms(sms, values, branding).text
        enqueue_after_commit(channel=Channel.SMS, recipient=phone, body=text)


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
    )


def bus_request_outcome(bus_request: BusRequest) -> None:
    """The coordinator's answer: the stop that answers the request, or why not."""
    planned = bus_request.status == BusRequestStatus.PLANNED
    stop = bus_request.stop if planned else None
    values = {"commune": bus_request.commune.name}
    if stop is not None:
        values |= {
            "date": longdate(stop.date),
            "place": f"{stop.place_name}, {stop.commune.name}",
            "link": site_link("cms:stop", pk=stop.pk),
        }
        subject = _("The van is coming: %(commune)s, %(date)s") % values
        sms = _(
            "thank you for your request: the van comes on %(date)s, %(place)s. Details: %(link)s"
        )
    else:
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
        context={
            "bus_request": bus_request,
            "stop": stop,
            "hours": hours(stop.start_time, stop.end_time) if stop else "",
            "stop_link": values.get("link", ""),
        },
        sms=sms,
        values=values,
    )
