"""Telling everyone at a stop: one short message to all the registrants of a stop or workshop.

Staff preview first (how many people, by which channel, how many SMS segments), then send;
the message goes through the queue like every other and lands in each registration's log.
Sending is idempotent: the preview's `uuid` names the broadcast, so a double click or two
requests at once send it once.
"""

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from mediation.errors import DomainError
from mediation.models import Branding, Stop
from mediation.templatetags.french_dates import longdate
from sessions import gsm
from sessions.contacts import can_receive_sms, reached_by_nothing
from sessions.message_models import Broadcast, MessageKind, SmsOptOut
from sessions.messaging import is_daytime, next_morning, notify_after_commit
from sessions.models import Registration, Workshop
from sessions.notifications import frame_sms, sms_template

# Long enough for "le bus aura 30 minutes de retard, nous arrivons à 10 h"; the SMS frame
# (site name, commune, date, phone) takes the rest of two segments.
MAX_TEXT_LENGTH = 160


class BroadcastError(DomainError):
    """A message to a stop that cannot be sent: `empty`, `too_long`, `no_recipient`,
    `forbidden`."""


@dataclass(frozen=True)
class BroadcastPreview:
    recipients: int
    by_sms: int
    by_email: int
    sms: str
    segments: int
    # Registrants neither an SMS nor an e-mail reaches (a landline, no contact, STOP): staff
    # call them, so the preview names them with their number.
    to_call: tuple[Registration, ...] = ()
    # At night the SMS wait for the morning (sessions.messaging): when they leave, else None.
    sms_leave_at: dt.datetime | None = None

    @property
    def unreachable(self) -> int:
        return len(self.to_call)

    @property
    def total_segments(self) -> int:
        return self.by_sms * self.segments


def broadcast_allowed(user, stop: Stop) -> bool:
    """Coordinators (who may change stops), and the mediators of that stop."""
    if not user.is_authenticated or not user.is_staff:
        return False
    # Coordinators plan the tour (has_perm is cached on the user: cheap in a list of stops).
    if user.has_perm("mediation.change_stop"):
        return True
    return stop.mediators.filter(pk=user.pk).exists()


def broadcast_recipients(*, stop: Stop, workshop: Workshop | None = None):
    registrations = Registration.objects.active().filter(
        workshop__stop=stop, anonymised_at__isnull=True
    )
    if workshop is not None:
        registrations = registrations.filter(workshop=workshop)
    return registrations.select_related("workshop__stop__commune", "workshop__module")


def broadcast_sms(*, stop: Stop, text: str) -> gsm.Fitted:
    """The SMS every registrant receives (the same for all: no personal link)."""
    values = {"commune": stop.commune.name, "date": longdate(stop.date), "text": text}
    return frame_sms(sms_template(MessageKind.BROADCAST, {}), values, Branding.load())


def broadcast_preview(*, stop: Stop, workshop: Workshop | None = None, text: str):
    """What sending would do; raises BroadcastError `empty`, `too_long` or `no_recipient`."""
    text = " ".join(text.split())
    if not text:
        raise BroadcastError("empty")
    fitted = broadcast_sms(stop=stop, text=text)
    if len(text) > MAX_TEXT_LENGTH or gsm.to_gsm7(text) not in fitted.text:
        raise BroadcastError("too_long")
    registrants = list(
        broadcast_recipients(stop=stop, workshop=workshop).order_by(
            "workshop__start_time", "last_name", "first_name", "pk"
        )
    )
    if not registrants:
        raise BroadcastError("no_recipient")
    # A landline given over the phone, or a number that answered STOP, gets no SMS (the
    # worker skips it): not counted, neither in the SMS nor in the segments billed.
    opted_out = SmsOptOut.among(registrant.phone for registrant in registrants)
    now = timezone.now()
    return BroadcastPreview(
        recipients=len(registrants),
        by_sms=sum(
            1
            for registrant in registrants
            if can_receive_sms(registrant.phone) and registrant.phone not in opted_out
        ),
        by_email=sum(1 for registrant in registrants if registrant.email),
        sms=fitted.text,
        segments=fitted.segments,
        sms_leave_at=None if is_daytime(now) else next_morning(now),
        to_call=tuple(
            registrant
            for registrant in registrants
            if reached_by_nothing(registrant.phone, registrant.email, opted_out=opted_out)
        ),
    )


@transaction.atomic
def broadcast_send(
    *,
    uuid: uuid_module.UUID,
    stop: Stop,
    text: str,
    by,
    workshop: Workshop | None = None,
) -> tuple[Broadcast, bool]:
    """Queue the message for every registrant; returns the broadcast and whether it is new.

    The same `uuid` twice returns the first broadcast and sends nothing more. Raises
    BroadcastError as `broadcast_preview`, or `forbidden` for staff who may not.
    """
    if not broadcast_allowed(by, stop):
        raise BroadcastError("forbidden")
    existing = Broadcast.objects.filter(uuid=uuid).first()
    if existing is not None:
        return existing, False
    preview = broadcast_preview(stop=stop, workshop=workshop, text=text)
    try:
        with transaction.atomic():
            broadcast = Broadcast.objects.create(
                uuid=uuid,
                stop=stop,
                workshop=workshop,
                text=" ".join(text.split()),
                recipients=preview.recipients,
                created_by=by,
            )
    except IntegrityError:
        # The same form sent twice at once: the other request won and sends it.
        return Broadcast.objects.get(uuid=uuid), False
    notify_after_commit(
        broadcast_recipients(stop=stop, workshop=workshop),
        kind=MessageKind.BROADCAST,
        params={"text": broadcast.text, "broadcast": broadcast.pk},
        dedupe_key=f"broadcast-{broadcast.pk}",
    )
    return broadcast, True
