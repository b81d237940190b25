"""Purge, subject access export and erasure: all three walk the registry, none names a field.

- `personal_data_purge` (daily cron): registrations whose stop is older than the retention
  period are anonymised everywhere the registry knows of; stored message files are expired.
- `person_find` / `person_export`: staff find one person by phone or e-mail and download all
  that is held about them.
- `person_erase`: erasure on request; upcoming sign-ups are cancelled first (their seats go to
  the waiting list), then everything is wiped as by the purge. Exports and erasures are
  recorded in PersonalDataRequest (who, when), which names no one.
"""

import contextlib
import datetime as dt
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mediation.templatetags.french_dates import longdate, longdatetime
from sessions.contacts import display_phone, normalise_email, normalise_phone
from sessions.message_models import Broadcast
from sessions.models import PersonalDataRequest, Registration, RegistrationStatus
from sessions.privacy.message_files import (
    contact_variants,
    message_files_expire,
    message_files_find,
    message_files_remove,
)
from sessions.privacy.registry import (
    ANONYMISED_LABEL,
    BLANK,
    DELETE_ROW,
    EMPTY_JSON,
    LABEL,
    REDACT_KEYS,
    SOURCES,
)


class PersonalDataError(Exception):
    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


def _wipe(registration_ids: list[int], *, now: dt.datetime) -> None:
    """Wipe every registered personal field of these registrations, source by source."""
    registrations = Registration.objects.filter(pk__in=registration_ids)
    for source in SOURCES:
        if source.rows_by_contact is not None:
            continue  # held by contact, with a retention of its own (see the registry)
        rows = source.rows_of(registrations)
        if any(personal.wipe == DELETE_ROW for personal in source.fields):
            rows.delete()
            continue
        updates = {}
        for personal in source.fields:
            model_field = source.model_class._meta.get_field(personal.name)
            if personal.wipe == BLANK:
                updates[personal.name] = None if model_field.null else ""
            elif personal.wipe == LABEL:
                updates[personal.name] = ANONYMISED_LABEL
            elif personal.wipe == EMPTY_JSON:
                updates[personal.name] = {}
            elif personal.wipe == REDACT_KEYS:
                for row in rows.only("pk", personal.name):
                    data = getattr(row, personal.name) or {}
                    if any(data.get(key) for key in personal.keys):
                        redacted = data | {key: "" for key in personal.keys if key in data}
                        type(row).objects.filter(pk=row.pk).update(**{personal.name: redacted})
        if updates:
            rows.update(**updates)
    registrations.update(
        anonymised_at=now,
        # Any personal link still around stops working.
        token_version=F("token_version") + 1,
        updated_at=now,
    )


def _broadcast_texts(registration_ids: list[int]) -> set[str]:
    """The words of the messages to these registrations' stops, as each backend wrote them."""
    from sessions.gsm import to_gsm7

    stops = Registration.objects.filter(pk__in=registration_ids).values("workshop__stop")
    # Already wiped by an earlier erasure: the label would match any message with a dash.
    texts = (
        Broadcast.objects.filter(stop__in=stops)
        .exclude(text=ANONYMISED_LABEL)
        .values_list("text", flat=True)
    )
    return {variant for text in texts for variant in (text, to_gsm7(text)) if variant.strip()}


def _contacts_of(registration_ids: list[int]) -> set[str]:
    pairs = Registration.objects.filter(pk__in=registration_ids).values_list("phone", "email")
    return contact_variants(
        phones=[phone for phone, _ in pairs], emails=[address for _, address in pairs]
    )


@transaction.atomic
def personal_data_purge(*, now: dt.datetime | None = None) -> int:
    """Anonymise the registrations whose stop ended more than the retention period ago.

    Counts, commune of residence, channel, status and attendance figures stay. Returns how
    many registrations were anonymised.
    """
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    limit = timezone.localdate(now) - dt.timedelta(days=days)
    ids = list(
        Registration.objects.filter(
            workshop__stop__date__lt=limit, anonymised_at__isnull=True
        ).values_list("pk", flat=True)
    )
    variants = _contacts_of(ids)
    _wipe(ids, now=now)
    # Files are not rolled back with the database: only once the wipe is committed.
    transaction.on_commit(lambda: _purge_message_files(variants, days=days, now=now))
    return len(ids)


def _purge_message_files(variants: set[str], *, days: int, now: dt.datetime) -> None:
    message_files_remove(variants)
    message_files_expire(retention_days=days, now=now)


def contact_normalise(contact: str) -> tuple[str, str]:
    """("+33612345678", "") for a phone, ("", "a@b.fr") for an e-mail; PersonalDataError."""
    contact = contact.strip()
    if "@" in contact:
        return "", normalise_email(contact)
    try:
        phone = normalise_phone(contact)
    except ValidationError:
        raise PersonalDataError("invalid_contact") from None
    if not phone:
        raise PersonalDataError("invalid_contact")
    return phone, ""


def person_find(*, contact: str):
    """Every registration, anonymised or not, made with this phone or e-mail."""
    phone, email = contact_normalise(contact)
    match = Q(phone=phone) if phone else Q(email=email)
    return (
        Registration.objects.filter(match, anonymised_at__isnull=True)
        .select_related("workshop__module", "workshop__stop__commune", "home_commune")
        .order_by("-workshop__stop__date", "pk")
    )


def person_find_by_contact(*, contact: str) -> list[tuple[str, int]]:
    """What else is held under this phone or e-mail, outside any registration: for each
    source held by contact (alerts, requests for a visit) that has some, its name and count."""
    phone, email = contact_normalise(contact)
    held = []
    for source in SOURCES:
        if source.rows_by_contact is None:
            continue
        if count := source.rows_by_contact([phone], [email]).count():
            options = source.model_class._meta
            held.append((str(options.verbose_name_plural), count))
    return held


def _rows_of_person(source, registrations, phone: str, email: str):
    if source.rows_by_contact is not None:
        return source.rows_by_contact([phone], [email])
    return source.rows_of(registrations)


def _erase_contact_sources(phone: str, email: str) -> None:
    """Sources held by contact (alerts, requests for a visit), wiped as the registry says."""
    from sessions.alerts import forget_contact_in_message_log

    # Messages to the contact that no registration links (alert codes, call-backs).
    forget_contact_in_message_log(*[contact for contact in (phone, email) if contact])
    for source in SOURCES:
        if source.rows_by_contact is None:
            continue
        rows = source.rows_by_contact([phone], [email])
        if any(personal.wipe == DELETE_ROW for personal in source.fields):
            rows.delete()
        else:
            rows.update(**{personal.name: "" for personal in source.fields})


def _as_data(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


@transaction.atomic
def person_export(*, contact: str, by) -> bytes:
    """All that is held about one person, as a JSON document; the request is recorded."""
    held = _held_under(contact)
    document = {
        "generated_at": timezone.now(),
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
        "registrations": [
            {
                "workshop": str(registration.workshop.module),
                "date": registration.workshop.stop.date,
                "commune": str(registration.workshop.stop.commune),
                "status": registration.status,
                "channel": registration.channel,
                "created_at": registration.created_at,
                "consent_at": registration.consent_at,
                "home_commune": str(registration.home_commune or ""),
            }
            for registration in held.registrations
        ],
        "records": {
            source.model: [
                {"id": row.pk} | _as_data(row, [f.name for f in source.fields])
                for row in held.rows_of(source)
            ]
            for source in SOURCES
            if not source.shared  # other people's; what she was sent is in her own copies
        },
        "stored_messages": [message.text for message in held.messages],
    }
    _record_export(by=by, held=held)
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


@dataclass
class _Held:
    """What is held under one phone or e-mail: what an export and a summary both read."""

    registrations: list[Registration]
    phone: str
    email: str
    messages: list

    def rows_of(self, source):
        held = Registration.objects.filter(pk__in=[r.pk for r in self.registrations])
        return _rows_of_person(source, held, self.phone, self.email)


def _held_under(contact: str) -> _Held:
    phone, email = contact_normalise(contact)
    return _Held(
        registrations=list(person_find(contact=contact)),
        phone=phone,
        email=email,
        messages=message_files_find(contact_variants(phones=[phone], emails=[email])),
    )


def _record_export(*, by, held: _Held) -> None:
    PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.EXPORT,
        handled_by=by,
        registrations=len(held.registrations),
        messages=len(held.messages),
    )


# A number as stored (+33612345678): shown as the person says it (06 12 34 56 78).
STORED_PHONE = re.compile(r"\+\d{8,15}")


def _readable(value) -> str:
    if isinstance(value, str) and STORED_PHONE.fullmatch(value):
        return display_phone(value)
    if isinstance(value, dt.datetime):
        return longdatetime(value)
    if isinstance(value, dt.date):
        return longdate(value)
    return str(value)


def _shown_values(row, fields) -> list[tuple[str, str]]:
    """(label, value) of the fields a person reads, empty ones left out."""
    shown = []
    for personal in fields:
        if not personal.shown:
            continue
        label = str(row._meta.get_field(personal.name).verbose_name)
        value = getattr(row, personal.name)
        if personal.wipe == REDACT_KEYS:
            # A JSON record: only its personal keys (a note) mean something to the person.
            values = [(value or {}).get(key) for key in personal.keys]
            shown += [(label, _readable(item)) for item in values if item]
        elif value not in (None, "", {}, []):
            shown.append((label, _readable(value)))
    return shown


@transaction.atomic
def person_summary(*, contact: str, by) -> dict:
    """The same as `person_export`, for the person to read (art. 15): in words, by kind of
    record, without secrets nor technical copies; the request is recorded as an export."""
    held = _held_under(contact)
    sections = []
    for source in SOURCES:
        if source.shared:
            continue
        rows = [
            values for row in held.rows_of(source) if (values := _shown_values(row, source.fields))
        ]
        if rows:
            sections.append({"title": source.model_class._meta.verbose_name_plural, "rows": rows})
    _record_export(by=by, held=held)
    return {
        "contact": display_phone(held.phone) if held.phone else held.email,
        "generated_at": timezone.now(),
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
        "registrations": held.registrations,
        "sections": sections,
        "stored_messages": [message.text for message in held.messages],
    }


@transaction.atomic
def person_erase(*, contact: str, by) -> PersonalDataRequest:
    """Erase everything held about one person, at their request; recorded with who and when."""
    from sessions.services import RegistrationError, registration_cancel

    registrations = list(person_find(contact=contact))
    now = timezone.now()
    for registration in registrations:
        if (
            registration.status != RegistrationStatus.CANCELLED
            and now < registration.workshop.starts_at
        ):
            # Already cancelled by a concurrent request: nothing left to free. Cancelled by
            # staff (`by`), so the person erased gets no receipt; whoever gets the seat is
            # told, as after any cancellation (or listed for staff to call).
            with contextlib.suppress(RegistrationError):
                registration_cancel(registration=registration, by=by)
    ids = [registration.pk for registration in registrations]
    phone, email = contact_normalise(contact)
    variants = (
        contact_variants(phones=[phone], emails=[email])
        | _contacts_of(ids)
        # The other registrants' stored copies of a message to her stops (see the registry).
        | _broadcast_texts(ids)
    )
    _wipe(ids, now=now)
    _erase_contact_sources(phone, email)
    request = PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ERASURE, handled_by=by, registrations=len(ids)
    )

    def remove_files():
        removed = message_files_remove(variants)
        PersonalDataRequest.objects.filter(pk=request.pk).update(messages=removed)

    transaction.on_commit(remove_files)
    return request
