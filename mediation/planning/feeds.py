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
from mediation.models import PARIS, PrivateFeed, Stop, StopStatus, Van

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
    # icalendar's objects a van's season of stops cost half a millisecond an event. Plain
    # values, not model instances: a mediator's season is a thousand stops, and a queryset
    # and two users a stop for their names cost two thirds of the feed.
    rows = list(stops.values_list(
        "pk", "date", "start_time", "end_time", "place_name", "address", "directions",
        "status", "cancellation_reason", "sequence", "updated_at", "commune__name", "van__name",
    ))  # fmt: skip
    names = mediator_names([row[0] for row in rows])
    events = []
    for (
        pk, date, start, end, place, address, directions,
        status, reason, sequence, updated_at, commune, van,
    ) in rows:  # fmt: skip
        cancelled = status == StopStatus.CANCELLED
        lines = [
            _("Van: %(van)s") % {"van": van or "—"},
            _("Mediators: %(names)s") % {"names": ", ".join(names.get(pk, ())) or "—"},
        ]
        if directions:
            lines.append(directions)
        if cancelled and reason:
            lines.append(reason)
        events.append(
            event_lines(
                uid=stop_uid(pk),
                summary=f"{commune} – {place}",
                starts_at=dt.datetime.combine(date, start, tzinfo=PARIS),
                ends_at=dt.datetime.combine(date, end, tzinfo=PARIS),
                location=", ".join(p for p in (place, address, commune) if p),
                description="\n".join(lines),
                sequence=sequence,
                cancelled=cancelled,
                last_modified=updated_at,
            )
        )
    return feed_ics(_("Tour – %(name)s") % {"name": name}, events)


def mediator_names(stop_ids: list[int]) -> dict[int, list[str]]:
    """Each stop's mediators, by their full name or else their username, in one query."""
    through = Stop.mediators.through.objects.filter(stop_id__in_array=stop_ids)
    names: dict[int, list[str]] = {}
    for stop_id, first, last, username in through.order_by("stop_id", "user_id").values_list(
        "stop_id", "user__first_name", "user__last_name", "user__username"
    ):
        # As User.get_full_name() says it, then get_username() without one.
        names.setdefault(stop_id, []).append(f"{first} {last}".strip() or username)
    return names
