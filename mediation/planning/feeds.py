"""Private calendars: a mediator's own stops, a van's stops, at a secret and revocable address.

The address carries a random token; only its SHA-256 is stored, so the token is shown once,
when it is made. Making a new one revokes the previous one for the same owner.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.ical import event_lines, feed_ics, stop_uid
from mediation.models import PrivateFeed, Stop, Van

# Past stops stay in the feed a while, so that a phone does not drop them the next morning.
FEED_PAST_DAYS = 60


@transaction.atomic
def private_feed_create(*, user=None, van: Van | None = None) -> tuple[PrivateFeed, str]:
    """A new secret address for the user or the van; the previous one stops working."""
    owner = {"user": user} if user is not None else {"van": van}
    # The owner's row, locked, makes simultaneous clicks wait their turn: each then revokes
    # the address made before it, and only the last one works.
    if user is not None:
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    else:
        Van.objects.select_for_update().filter(pk=van.pk).first()
    PrivateFeed.objects.active().filter(**owner).update(revoked_at=timezone.now())
    token = PrivateFeed.new_token()
    feed = PrivateFeed.objects.create(token_hash=PrivateFeed.hash_token(token), **owner)
    return feed, token


@transaction.atomic
def private_feed_revoke(*, feed: PrivateFeed) -> PrivateFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def private_feed_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("private_feed", kwargs={"token": token})


def feed_for_token(token: str) -> PrivateFeed | None:
    """The active feed behind a token, or None (unknown, revoked, or its mediator's account
    closed: someone who left the operator no longer receives the tour)."""
    return (
        PrivateFeed.objects.active()
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .select_related("user", "van")
        .filter(token_hash=PrivateFeed.hash_token(token))
        .first()
    )


def private_feed_ics(feed: PrivateFeed, *, today: dt.date | None = None) -> bytes:
    today = today or timezone.localdate()
    stops = Stop.objects.filter(date__gte=today - dt.timedelta(days=FEED_PAST_DAYS))
    if feed.user_id:
        stops = stops.assigned_to(feed.user)
        name = feed.user.get_full_name() or feed.user.get_username()
    else:
        stops = stops.of_van(feed.van)
        name = feed.van.name
    # Written as text (mediation.ical.event_lines), as the public feeds are: through
    # icalendar's objects a van's season of stops cost half a millisecond an event.
    events = []
    for stop in stops.select_related("commune", "van").prefetch_related("mediators"):
        mediators = ", ".join(m.get_full_name() or m.get_username() for m in stop.mediators.all())
        lines = [
            _("Van: %(van)s") % {"van": stop.van.name if stop.van else "—"},
            _("Mediators: %(names)s") % {"names": mediators or "—"},
        ]
        if stop.directions:
            lines.append(stop.directions)
        if stop.is_cancelled and stop.cancellation_reason:
            lines.append(stop.cancellation_reason)
        events.append(
            event_lines(
                uid=stop_uid(stop.pk),
                summary=f"{stop.commune.name} – {stop.place_name}",
                starts_at=stop.starts_at,
                ends_at=stop.ends_at,
                location=", ".join(
                    p for p in (stop.place_name, stop.address, stop.commune.name) if p
                ),
                description="\n".join(lines),
                sequence=stop.sequence,
                cancelled=stop.is_cancelled,
                last_modified=stop.updated_at,
            )
        )
    return feed_ics(_("Tour – %(name)s") % {"name": name}, events)
