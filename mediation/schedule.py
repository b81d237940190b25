"""Questions residents ask of the schedule: when does the van come here, or nearest to here."""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from mediation.models import EARTH_RADIUS_KM, Commune, Stop, StopStatus

# The search starts with the communes in a square of this half-side around the commune and
# doubles it until enough stops are found; the largest covers any French département.
FIRST_RADIUS_KM = 12.0
LAST_RADIUS_KM = 400.0


@dataclass(frozen=True)
class NearbyStop:
    stop: Stop
    distance_km: float


def _bounding_box(commune: Commune, radius_km: float) -> Q:
    """Communes whose centroid lies in a square around this one: an indexed range query."""
    latitude, longitude = float(commune.latitude), float(commune.longitude)
    delta_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
    delta_lon = delta_lat / max(math.cos(math.radians(latitude)), 0.01)
    return Q(
        latitude__gte=latitude - delta_lat,
        latitude__lte=latitude + delta_lat,
        longitude__gte=longitude - delta_lon,
        longitude__lte=longitude + delta_lon,
    )


def nearest_upcoming_stops(
    commune: Commune,
    *,
    limit: int = 5,
    today: dt.date | None = None,
    until: dt.date | None = None,
    include_own: bool = False,
) -> list[NearbyStop]:
    """Upcoming, not cancelled stops in other communes, nearest first (then soonest).

    The cost does not grow with the tour: the communes around this one are found by an
    indexed range on their coordinates (a square that doubles until it holds `limit`
    stops), counting their stops on the (commune, date) index; then only the `limit` stops
    shown are loaded. Usually two queries; distances are between the communes' centroids, so
    every commune gets an answer even where the van never stops.
    """
    today = today or timezone.localdate()
    coming = Q(stops__date__gte=today) & ~Q(stops__status=StopStatus.CANCELLED)
    if until:
        coming &= Q(stops__date__lte=until)
    radius = FIRST_RADIUS_KM
    while True:
        around = Commune.objects.filter(_bounding_box(commune, radius))
        if not include_own:
            around = around.exclude(pk=commune.pk)
        candidates = list(
            around.annotate(coming=Count("stops", filter=coming))
            .filter(coming__gt=0)
            .only("pk", "latitude", "longitude")
        )
        ranked = sorted(
            ((round(commune.distance_km(other), 1), other) for other in candidates),
            key=lambda item: (item[0], item[1].pk),
        )
        # Only stops within the radius are surely nearer than any outside the square.
        within = [(distance, other) for distance, other in ranked if distance <= radius]
        if sum(other.coming for _, other in within) >= limit or radius >= LAST_RADIUS_KM:
            break
        radius *= 2
    chosen, count = [], 0
    for distance, other in ranked:
        # Take whole groups at the same rounded distance: their stops sort by date.
        if count >= limit and distance > chosen[-1][0]:
            break
        chosen.append((distance, other))
        count += other.coming
    if not chosen:
        return []
    # Tenths of a kilometre: the same rounding as the order above.
    distances = {other.pk: round(distance * 10) for distance, other in chosen}
    rank = Case(
        *(When(commune_id=pk, then=Value(distance)) for pk, distance in distances.items()),
        output_field=IntegerField(),
    )
    stops = Stop.objects.filter(commune_id__in=distances, date__gte=today).not_cancelled()
    if until:
        stops = stops.filter(date__lte=until)
    stops = (
        stops.select_related("commune")
        .annotate(rank=rank)
        .order_by("rank", "date", "start_time", "pk")[:limit]
    )
    return [NearbyStop(stop, commune.distance_km(stop.commune)) for stop in stops]
