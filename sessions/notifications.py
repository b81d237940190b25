"""The messages residents receive about their registrations, by e-mail and by SMS.

E-mail goes through Django's e-mail backend with the workshop as an .ics attachment; SMS
through `sessions.sms`. Each function sends to every channel the registration has.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from mediation.ical import make_event, new_calendar, to_ics, workshop_uid
from mediation.models import Branding
from mediation.templatetags.french_dates import hour, longdate
from sessions.links import personal_link
from sessions.models import Registration, RegistrationStatus
from sessions.sms import send_sms


def workshop_ics(registration: Registration, *, cancelled: bool = False) -> bytes:
    """The workshop as a calendar event; the stop's SEQUENCE lets a cancellation replace it."""
    workshop = registration.workshop
    stop = workshop.stop
    calendar = new_calendar(workshop.module.title)
    location = ", ".join(
        part for part in (stop.place_name, stop.address, stop.commune.name) if part
    )
    description = "\n".join(
        [workshop.module.goal, ""]
        + (
            [_("Documents to bring:")] + workshop.module.document_list
            if workshop.module.document_list
            else []
        )
    )
    calendar.add_component(
        make_event(
            uid=workshop_uid(workshop.pk),
            summary=workshop.module.title,
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            location=location,
            description=description.strip(),
            url=personal_link(registration).url,
            sequence=stop.sequence,
            cancelled=cancelled,
        )
    )
    return to_ics(calendar)


def _when(registration: Registration) -> str:
    workshop = registration.workshop
    return _("%(date)s at %(time)s") % {
        "date": longdate(workshop.stop.date),
        "time": hour(workshop.start_time),
    }


def _send(
    registration: Registration,
    *,
    kind: str,
    subject: str,
    sms: str,
    attach_ics: bool = False,
    cancelled: bool = False,
    **extra,
) -> None:
    branding = Branding.load()
    link = personal_link(registration).url
    if registration.email:
        body = render_to_string(
            "sessions/messages/email.txt",
            {
                "kind": kind,
                "registration": registration,
                "workshop": registration.workshop,
                "stop": registration.workshop.stop,
                "module": registration.workshop.module,
                "link": link,
                "branding": branding,
                **extra,
            },
        )
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
        )
        if attach_ics or cancelled:
            message.attach(
                "atelier.ics",
                workshop_ics(registration, cancelled=cancelled),
                "text/calendar",
            )
        message.send()
    if registration.phone:
        contact = (
            " " + _("Questions: %(phone)s") % {"phone": branding.contact_phone}
            if branding.contact_phone
            else ""
        )
        send_sms(registration.phone, f"{branding.site_name}: {sms}{contact}")


def registration_confirmed(registration: Registration) -> None:
    module = registration.workshop.module.title
    if registration.status == RegistrationStatus.WAITING:
        subject = _("Waiting list: %(module)s") % {"module": module}
        sms = _(
            "You are on the waiting list for %(module)s, %(when)s. We will tell you if a "
            "seat frees up. Your registration: %(link)s"
        )
        kind = "waiting"
    else:
        subject = _("Registration confirmed: %(module)s") % {"module": module}
        sms = _(
            "Your registration is confirmed: %(module)s, %(when)s, %(place)s. "
            "See or cancel: %(link)s"
        )
        kind = "confirmed"
    _send(
        registration,
        kind=kind,
        subject=subject,
        sms=sms % _sms_values(registration),
        attach_ics=kind == "confirmed",
    )


def registration_promoted(registration: Registration) -> None:
    values = _sms_values(registration)
    _send(
        registration,
        kind="promoted",
        subject=_("A seat is free for you: %(module)s") % values,
        sms=_(
            "Good news: a seat freed up. You are registered for %(module)s, %(when)s, "
            "%(place)s. See or cancel: %(link)s"
        )
        % values,
        attach_ics=True,
    )


def registration_cancelled(registration: Registration) -> None:
    values = _sms_values(registration)
    _send(
        registration,
        kind="cancelled",
        subject=_("Registration cancelled: %(module)s") % values,
        sms=_("Your registration for %(module)s, %(when)s, is cancelled.") % values,
        cancelled=True,
    )


def stop_cancelled(registration: Registration) -> None:
    values = _sms_values(registration)
    reason = registration.workshop.stop.cancellation_reason
    sms = _("The van will not come on %(date)s to %(commune)s: %(module)s is cancelled.") % values
    if reason:
        sms += " " + reason
    _send(
        registration,
        kind="stop_cancelled",
        subject=_("Cancelled: %(module)s on %(date)s") % values,
        sms=sms,
        cancelled=True,
        reason=reason,
    )


def reminder(registration: Registration, *, days: int) -> None:
    values = _sms_values(registration)
    if days == 1:
        sms = _("Reminder: %(module)s tomorrow at %(time)s, %(place)s. Cancel: %(link)s")
        subject = _("Tomorrow: %(module)s") % values
    else:
        sms = _("Reminder: %(module)s %(when)s, %(place)s. Cancel: %(link)s")
        subject = _("Reminder: %(module)s on %(date)s") % values
    _send(registration, kind="reminder", subject=subject, sms=sms % values, attach_ics=True)


def _sms_values(registration: Registration) -> dict[str, str]:
    workshop = registration.workshop
    stop = workshop.stop
    return {
        "module": workshop.module.title,
        "when": _when(registration),
        "date": longdate(stop.date),
        "time": hour(workshop.start_time),
        "place": f"{stop.place_name}, {stop.commune.name}",
        "commune": stop.commune.name,
        "link": personal_link(registration).url,
    }
