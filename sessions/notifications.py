"""What residents read about their registrations: each kind of message, by e-mail and SMS.

`compose` turns a queued `OutboundMessage` into its subject, text and HTML parts, its
calendar attachment and its SMS text, from the registration as it is when the worker sends
it. SMS texts are GSM 7-bit and at most two segments (`sessions.gsm.fit`), with the short
personal link; e-mails carry the signed link. Sending is `sessions.messaging`'s job.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.ical import make_event, new_calendar, to_ics, workshop_uid
from mediation.models import Branding
from mediation.templatetags.french_dates import hour, longdate
from mediation.text import with_french_prepositions
from sessions import gsm
from sessions.links import personal_link, short_link
from sessions.message_models import MessageKind, OutboundMessage
from sessions.models import Registration

# Values of an SMS that may be shortened to fit, least important first; never the link.
# A cancelled stop's reason (up to 300 characters) goes before the module and the commune:
# "à Saint-Va... : Déclarer... est annulé" left residents guessing which bus was not coming.
SHRINKABLE = ("place", "reason", "module", "commune")


@dataclass
class Composed:
    subject: str = ""
    text: str = ""
    html: str = ""
    sms: str = ""
    sms_segments: int = 0
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def workshop_ics(registration: Registration, *, cancelled: bool = False) -> bytes:
    """The workshop as a calendar event, with the same UID in every message.

    A cancellation is a `METHOD:CANCEL` calendar whose SEQUENCE is higher than any the
    resident received before, so that calendar apps remove the event.
    """
    workshop = registration.workshop
    stop = workshop.stop
    calendar = new_calendar(workshop.module.title, method="CANCEL" if cancelled else "PUBLISH")
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
            url="" if cancelled else personal_link(registration).url,
            sequence=stop.sequence + 1 if cancelled else stop.sequence,
            cancelled=cancelled,
            organizer=settings.DEFAULT_FROM_EMAIL if cancelled else "",
        )
    )
    return to_ics(calendar)


def sms_values(registration: Registration, **extra: str) -> dict[str, str]:
    workshop = registration.workshop
    stop = workshop.stop
    return {
        "module": workshop.module.title,
        "when": _("%(date)s at %(time)s")
        % {"date": longdate(stop.date), "time": hour(workshop.start_time)},
        "date": longdate(stop.date),
        "time": hour(workshop.start_time),
        "place": stop.place_name,
        "commune": stop.commune.name,
        "link": short_link(registration).url,
        **extra,
    }


def sms_template(kind: str, params: dict) -> str:
    """The SMS of a kind of message, before the site's name and phone frame it."""
    if kind == MessageKind.CONFIRMED:
        return _("Registration confirmed: %(module)s, %(when)s, %(place)s, %(commune)s. ") + _(
            "See or cancel: %(link)s"
        )
    if kind == MessageKind.WAITING:
        return _(
            "Waiting list for %(module)s, %(when)s, %(commune)s. We will tell you if a seat "
            "frees up. Your registration: %(link)s"
        )
    if kind == MessageKind.PROMOTED:
        return _(
            "A seat freed up: you are registered for %(module)s, %(when)s, %(place)s, "
            "%(commune)s. See or cancel: %(link)s"
        )
    if kind == MessageKind.CANCELLED:
        return _("Your registration for %(module)s, %(when)s, %(commune)s, is cancelled.")
    if kind == MessageKind.STOP_CANCELLED:
        text = _("The van will not come on %(date)s to %(commune)s: %(module)s is cancelled.")
        return text + " %(reason)s" if params.get("reason") else text
    if kind == MessageKind.REMINDER and params.get("days") == 0:
        return _("Reminder: %(module)s today at %(time)s, %(place)s, %(commune)s. ") + _(
            "Cancel: %(link)s"
        )
    if kind == MessageKind.REMINDER and params.get("days") == 1:
        return _("Reminder: %(module)s tomorrow at %(time)s, %(place)s, %(commune)s. ") + _(
            "Cancel: %(link)s"
        )
    if kind == MessageKind.REMINDER:
        return _("Reminder: %(module)s, %(when)s, %(place)s, %(commune)s. ") + _("Cancel: %(link)s")
    if kind == MessageKind.BROADCAST:
        return _("%(commune)s, %(date)s: %(text)s")
    raise ValueError(f"No SMS for {kind}")


def frame_sms(body_template: str, values: dict[str, str], branding: Branding) -> gsm.Fitted:
    """The SMS with the site's name before and the contact phone after, fitted."""
    template = _("%(site)s: ") + body_template
    if branding.contact_phone:
        template += " " + _("Questions: %(phone)s")
    values = {**values, "site": branding.site_name, "phone": branding.contact_phone}
    fitted = gsm.fit(template, values, shrinkable=SHRINKABLE)
    if not values.get("commune"):
        return fitted
    # "à Le Crotoy" → "au Crotoy", "de Abbeville" → "d'Abbeville": never longer, and in GSM 7.
    name = gsm.to_gsm7(values["commune"])
    text = gsm.to_gsm7(with_french_prepositions(fitted.text, name))
    return gsm.Fitted(text=text, segments=gsm.segments(text))


def _subject(kind: str, values: dict[str, str], params: dict) -> str:
    subjects = {
        MessageKind.CONFIRMED: _("Registration confirmed: %(module)s"),
        MessageKind.WAITING: _("Waiting list: %(module)s"),
        MessageKind.PROMOTED: _("A seat is free for you: %(module)s"),
        MessageKind.CANCELLED: _("Registration cancelled: %(module)s"),
        MessageKind.STOP_CANCELLED: _("Cancelled: %(module)s on %(date)s"),
        MessageKind.BROADCAST: _("About your workshop: %(module)s on %(date)s"),
    }
    if kind == MessageKind.REMINDER:
        if params.get("days") == 0:
            return _("Today: %(module)s") % values
        if params.get("days") == 1:
            return _("Tomorrow: %(module)s") % values
        return _("Reminder: %(module)s on %(date)s") % values
    return subjects[kind] % values


def compose(message: OutboundMessage, branding: Branding | None = None) -> Composed:
    """The message's parts; a message with no registration is sent as it was queued."""
    registration = message.registration
    if registration is None:
        return Composed(
            subject=message.subject,
            text=message.body,
            html=message.html,
            # The body is text, not a template: a "%" in it (a reason "complet à 100 %")
            # is the resident's to read, never a format directive.
            sms=gsm.fit("%(body)s", {"body": message.body}).text
            if message.channel == "sms"
            else "",
        )
    branding = branding or Branding.load()
    kind, params = message.kind, message.params or {}
    if kind == MessageKind.REMINDER:
        # "Tomorrow" counted from the day it leaves: a reminder queued the evening before
        # may leave the next morning (no SMS at night, or a provider down), on the day itself.
        days = (registration.workshop.stop.date - timezone.localdate()).days
        params = {**params, "days": days}
    extra = {"reason": params.get("reason", ""), "text": params.get("text", "")}
    values = sms_values(registration, **extra)
    if message.channel == "sms":
        fitted = frame_sms(sms_template(kind, params), values, branding)
        return Composed(sms=fitted.text, sms_segments=fitted.segments)
    workshop = registration.workshop
    cancelled = kind in {MessageKind.CANCELLED, MessageKind.STOP_CANCELLED}
    context = {
        "kind": kind,
        "registration": registration,
        "workshop": workshop,
        "stop": workshop.stop,
        "module": workshop.module,
        "link": personal_link(registration).url,
        "branding": branding,
        "reason": params.get("reason", ""),
        "text": params.get("text", ""),
        "days": params.get("days"),
    }
    composed = Composed(
        subject=_subject(kind, values, params),
        text=render_to_string("sessions/messages/email.txt", context),
        html=render_to_string("sessions/messages/email.html", context),
    )
    if cancelled or kind in {MessageKind.CONFIRMED, MessageKind.PROMOTED, MessageKind.REMINDER}:
        composed.attachments.append(
            ("atelier.ics", workshop_ics(registration, cancelled=cancelled), "text/calendar")
        )
    return composed
