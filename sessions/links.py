"""Personal links: a signed token that lets a resident see or cancel a registration.

The token carries the registration's uuid, its `token_version` (bumping it revokes every
link sent before) and an expiry shortly after the workshop; no account is needed.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from mediation.errors import DomainError
from sessions.models import Registration

SALT = "workshops.registration.personal-link"
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
    """The registration a token names, or PersonalLinkError: `invalid`, `expired`, `revoked`."""
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
    if registration is None or registration.is_anonymised:
        raise PersonalLinkError("invalid")
    if registration.token_version != version:
        raise PersonalLinkError("revoked")
    return registration
