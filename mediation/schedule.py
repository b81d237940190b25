"""Questions residents ask of the schedule: when does the van come here, or nearest to here."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from mediation.models import Commune, Stop


@dataclass(frozen=True)
class NearbyStop:
    stop: Stop
    distance_km: float


def nearest_upcoming_stops(
    commune: Commune,
    *,
    limit: int = 5,
    today: dt.date | None = None,
    until: dt.date | None = None,
    include_own: bool = False,
) -> list[NearbyStop]:
    """Upcoming, not cancelled stops in other communes, nearest first (then soonest).

    One query whatever the number of stops; distances are computed from the communes'
    centroids, so every commune gets an answer even where the van never stops.
    """
    stops = Stop.objects.upcoming(today or timezone.localdate()).not_cancelled()
    if until:
        stops = stops.filter(date__lte=until)
    if not include_own:
        stops = stops.exclude(commune=commune)
    nearby = [
        NearbyStop(stop, commune.distance_km(stop.commune))
        for stop in stops.select_related("commune")
    ]
    nearby.sort(key=lambda item: (round(item.distance_km, 1), item.stop.date, item.stop.start_time))
    return nearby[:limit]
