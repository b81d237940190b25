"""Personal links: a token that lets a resident see or cancel a registration, no account.

Two kinds, both revoked by bumping the registration's `token_version` and both expiring
shortly after the workshop:
- the signed link (e-mails, calendars): the token carries the registration's uuid, the
  version and the expiry, signed with SECRET_KEY;
- the short link (SMS, where 130 characters of token cost a whole SMS): `/r/<12 characters>`,
  derived from SECRET_KEY and stored only as a SHA-256 digest (`ShortLink`).
"""

import base64
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mediation.errors import DomainError
from sessions.message_models import token_digest
from sessions.models import Registration, ShortLink

SALT = "workshops.registration.personal-link"
SHORT_SALT = "workshops.registration.short-link"
# 12 characters of base 64: 72 bits, far beyond guessing at any request rate.
SHORT_TOKEN_LENGTH = 12
# Residents may still look at their registration the day after; not for ever.
VALID_AFTER_WORKSHOP = dt.timedelta(days=1)


class PersonalLinkError(DomainError):
    """A personal link that cannot be used (bad signature, expired, replaced)."""


@dataclass(frozen=True)
class PersonalLink:
    token: str

    @property
    def path(self) -> str:
        return reverse("workshops:registration_detail", args=[self.token])

    @property
    def url(self) -> str:
        return settings.SITE_URL + self.path


def personal_link(registration: Registration) -> PersonalLink:
    expires = registration.workshop.ends_at + VALID_AFTER_WORKSHOP
    payload = {
        "r": registration.uuid.hex,
        "v": registration.token_version,
        "e": int(expires.timestamp()),
    }
    # A plain Signer: the expiry is in the payload, so the same registration always gets
    # the same link (messages sent at different times agree).
    return PersonalLink(signing.Signer(salt=SALT).sign_object(payload, compress=True))


def registration_from_token(token: str) -> Registration:
    """The registration a token names, or PersonalLinkError: `invalid`, `expired`, `revoked`,
    or `erased` (its personal data were erased, on request or by the purge)."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
        uuid_hex, version, expires = payload["r"], int(payload["v"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise PersonalLinkError("invalid") from error
    if timezone.now().timestamp() > expires:
        raise PersonalLinkError("expired")
    registration = (
        Registration.objects.select_related("workshop__stop__commune", "workshop__module")
        .filter(uuid=uuid_hex)
        .first()
    )
    if registration is None:
        raise PersonalLinkError("invalid")
    if registration.is_anonymised:
        # The signature is checked above: only the holder of a real link learns this.
        raise PersonalLinkError("erased")
    if registration.token_version != version:
        raise PersonalLinkError("revoked")
    return registration


@dataclass(frozen=True)
class ShortPersonalLink:
    token: str

    @property
    def path(self) -> str:
        return reverse("workshops:short_link", args=[self.token])

    @property
    def url(self) -> str:
        return settings.SITE_URL + self.path


def short_link(registration: Registration) -> ShortPersonalLink:
    """The registration's short link at its current version (the same for every message)."""
    mac = salted_hmac(
        SHORT_SALT, f"{registration.uuid.hex}:{registration.token_version}", algorithm="sha256"
    ).digest()
    token = base64.urlsafe_b64encode(mac).decode()[:SHORT_TOKEN_LENGTH]
    digest = token_digest(token)
    if not ShortLink.objects.filter(token_digest=digest).exists():
        try:
            with transaction.atomic():
                ShortLink.objects.create(
                    token_digest=digest,
                    registration=registration,
                    token_version=registration.token_version,
                    expires_at=registration.workshop.ends_at + VALID_AFTER_WORKSHOP,
                )
        except IntegrityError:
            pass  # another worker stored the same link a moment ago
    return ShortPersonalLink(token)


def registration_from_short_token(token: str) -> Registration:
    """The registration a short token names, or PersonalLinkError like the signed links."""
    link = (
        ShortLink.objects.select_related(
            "registration__workshop__stop__commune", "registration__workshop__module"
        )
        .filter(token_digest=token_digest(token))
        .first()
    )
    if link is None:
        # Cut short in the SMS, or deleted with the registration's personal data (an erasure,
        # the purge): nothing is left to tell which, so the page names both.
        raise PersonalLinkError("unknown")
    if link.registration.is_anonymised:
        raise PersonalLinkError("erased")
    if timezone.now() > link.expires_at:
        raise PersonalLinkError("expired")
    if link.registration.token_version != link.token_version:
        raise PersonalLinkError("revoked")
    return link.registration
