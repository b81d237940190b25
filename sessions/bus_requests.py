"""Requests for a visit ("Faites venir le bus"), and their triage by a coordinator.

A request is new until a coordinator plans it (with the stop or the series of stops that
answers it) or declines it (with a reason); the requester is told either outcome. Contact
details are wiped a year after the request: the commune, who asked and what was asked stay
for the coverage report.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from mediation.errors import DomainError
from mediation.models import Commune, Stop, StopSeries
from sessions import demand_notifications
from sessions.alerts import forget_contact_in_message_log
from sessions.contacts import normalise_email, normalise_phone
from sessions.demand_models import BusRequest, BusRequestStatus, RequesterKind

REQUEST_KEPT_FOR = dt.timedelta(days=365)


class BusRequestError(DomainError):
    """A request that cannot be recorded or decided."""


@transaction.atomic
def bus_request_create(
    *,
    commune: Commune,
    requester_kind: str,
    contact_name: str,
    phone: str = "",
    email: str = "",
    organisation: str = "",
    expected_people: int | None = None,
    venue: str = "",
    preferred_period: str = "",
    needs: str = "",
    consent: bool,
    now: dt.datetime | None = None,
    submission_key: str = "",
) -> BusRequest:
    """Record a request for a visit.

    The same form sent again (`submission_key`, sessions/sent_by_form.py) makes no second
    request for coordinators to triage: a second tap gets back the request it made, and a
    form corrected and sent again (the back button) corrects that request while it waits."""
    if not consent:
        raise BusRequestError("no_consent")
    phone, email = normalise_phone(phone), normalise_email(email)
    if not phone and not email:
        raise BusRequestError("no_contact")
    if requester_kind not in RequesterKind.values:
        raise BusRequestError("bad_kind")
    details = {
        "requester_kind": requester_kind,
        "organisation": organisation,
        "contact_name": contact_name,
        "phone": phone,
        "email": email,
        "expected_people": expected_people,
        "venue": venue,
        "preferred_period": preferred_period,
        "needs": needs,
    }
    sent_before = BusRequest.objects.select_for_update().sent_by_form(submission_key).first()
    if sent_before is None:
        try:
            with transaction.atomic():
                return BusRequest.objects.create(
                    commune=commune,
                    consent_at=now or timezone.now(),
                    submission_key=submission_key,
                    **details,
                )
        except IntegrityError:
            # Sent twice at the same instant (one_bus_request_per_form): the first one's.
            sent_before = (
                BusRequest.objects.select_for_update().sent_by_form(submission_key).first()
            )
            if sent_before is None:
                raise
    if sent_before.status == BusRequestStatus.NEW and sent_before.commune_id == commune.pk:
        for name, value in details.items():
            setattr(sent_before, name, value)
        sent_before.save(update_fields=list(details))
    return sent_before


@transaction.atomic
def bus_request_decide(
    *,
    bus_request: BusRequest,
    status: str,
    by,
    stop: Stop | None = None,
    series: StopSeries | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> BusRequest:
    """Plan (with the stop or the series that answers it) or decline (with a reason); tell
    the requester.

    Deciding again the same way changes nothing and sends nothing; changing a decision tells
    the requester the new one.
    """
    bus_request = BusRequest.objects.select_for_update().get(pk=bus_request.pk)
    reason = reason.strip()
    if status == BusRequestStatus.PLANNED and stop is None and series is None:
        raise BusRequestError("no_answer")
    if status == BusRequestStatus.DECLINED and not reason:
        raise BusRequestError("no_reason")
    if status not in (BusRequestStatus.PLANNED, BusRequestStatus.DECLINED):
        raise BusRequestError("not_a_decision")
    if bus_request.anonymised_at is not None:
        raise BusRequestError("anonymised")
    if status == BusRequestStatus.PLANNED:
        reason = ""
    else:
        stop = series = None
    before = (bus_request.status, bus_request.stop_id, bus_request.series_id)
    after = (status, stop.pk if stop else None, series.pk if series else None)
    if before == after and bus_request.decline_reason == reason:
        return bus_request
    bus_request.status = status
    bus_request.stop = stop
    bus_request.series = series
    bus_request.decline_reason = reason
    bus_request.decided_at = now or timezone.now()
    bus_request.decided_by = by
    bus_request.save()
    # Queued in this transaction: nothing leaves if the decision rolls back.
    demand_notifications.bus_request_outcome(bus_request)
    return bus_request


@transaction.atomic
def bus_requests_purge(*, now: dt.datetime | None = None) -> int:
    """Wipe the contact details of requests older than a year; the figures stay."""
    now = now or timezone.now()
    expired = BusRequest.objects.filter(
        created_at__lt=now - REQUEST_KEPT_FOR, anonymised_at__isnull=True
    )
    for phone, email in expired.values_list("phone", "email"):
        forget_contact_in_message_log(phone, email)
    return expired.update(contact_name="", phone="", email="", needs="", anonymised_at=now)
