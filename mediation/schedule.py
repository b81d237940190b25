"""Questions residents ask of the schedule: when does the van come here, or nearest to here."""

import datetime as dt
import functools
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from mediation.models import EARTH_RADIUS_KM, Commune, Stop
from mediation.prepared import (
    MARKER_DATE,
    MARKER_END_DATE,
    MARKER_PK,
    MARKER_TIME,
    PreparedQuery,
)

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


class _Candidate(NamedTuple):
    """A commune around, as Commune.distance_km reads it, with its number of coming stops."""

    pk: int
    latitude: Decimal
    longitude: Decimal
    coming: int


_LATITUDE = Commune._meta.get_field("latitude")
_LONGITUDE = Commune._meta.get_field("longitude")


def _box_bounds(commune: Commune, radius_km: float) -> dict[str, Decimal]:
    """The square of _bounding_box, as the query's parameters (Decimals as Django makes them)."""
    box = dict(_bounding_box(commune, radius_km).children)
    return {
        "lat_min": _LATITUDE.to_python(box["latitude__gte"]),
        "lat_max": _LATITUDE.to_python(box["latitude__lte"]),
        "lon_min": _LONGITUDE.to_python(box["longitude__gte"]),
        "lon_max": _LONGITUDE.to_python(box["longitude__lte"]),
    }


@functools.cache
def _candidates_query(*, include_own: bool, bounded: bool) -> PreparedQuery:
    """The communes in a square that have coming stops, with their number: compiled once per
    process, as the search runs on every commune page (compiling cost more than the answer)."""

    def build(today, lat_min, lat_max, lon_min, lon_max, pk=None, until=None):
        # Today's stops that have ended are counted: leaving them out would read each stop's
        # row for its end time, where the (commune, date) index alone answers. The count only
        # decides how far to look: at worst, a commune page lists one nearby stop fewer for each
        # of today's ended stops among the nearest. The stops listed are chosen exactly
        # (_ranked_stops_query).
        coming = Stop.objects.filter(commune_id=OuterRef("pk"), date__gte=today).not_cancelled()
        if bounded:
            coming = coming.filter(date__lte=until)
        # Counted per commune by a subquery on the (commune, date) index of stops not
        # cancelled: a few entries for each commune of the square, and no stop read (COUNT(*),
        # not COUNT(id): the id is not in the index). Joining the stops and counting them with
        # a filter made PostgreSQL read the whole stop table, past years included, on every
        # page. COUNT as a plain function: no GROUP BY, so a commune without stops counts 0.
        counted = Func(template="COUNT(*)", output_field=IntegerField())
        count = coming.order_by().annotate(n=counted).values("n")
        around = Commune.objects.filter(
            latitude__gte=lat_min,
            latitude__lte=lat_max,
            longitude__gte=lon_min,
            longitude__lte=lon_max,
        )
        if not include_own:
            around = around.exclude(pk=pk)
        # Plain rows: the box holds dozens of communes, and building a model for each cost
        # more than the query. Communes without coming stops are dropped by the caller (a
        # filter on the count would make the database count twice).
        return (
            around.order_by()
            .annotate(coming=Subquery(count, output_field=IntegerField()))
            .values_list("pk", "latitude", "longitude", "coming")
        )

    # Values found nowhere else in the query, each standing for a parameter.
    markers = {
        "today": MARKER_DATE,
        "lat_min": Decimal("-81.1111111"),
        "lat_max": Decimal("-82.2222222"),
        "lon_min": Decimal("-83.3333333"),
        "lon_max": Decimal("-84.4444444"),
    }
    if not include_own:
        markers["pk"] = MARKER_PK
    if bounded:
        markers["until"] = MARKER_END_DATE
    return PreparedQuery(build, **markers)


@functools.cache
def _ranked_stops_query(
    *, limit: int, bounded: bool, fields: tuple[str, ...] | None
) -> PreparedQuery:
    """The first `limit` coming stops of the chosen communes, nearest commune first, then
    soonest: compiled once per process and number of communes."""

    def build(ids, ranks, today, after, until=None):
        rank = Case(
            *(When(commune_id=pk, then=Value(rank)) for pk, rank in zip(ids, ranks, strict=True)),
            output_field=IntegerField(),
        )
        stops = Stop.objects.filter(commune_id__in=ids).not_over(today, after).not_cancelled()
        if bounded:
            stops = stops.filter(date__lte=until)
        stops = stops.select_related("commune")
        if fields is not None:
            # The commune's coordinates always: they give the distance.
            stops = stops.only(*fields, "commune__latitude", "commune__longitude")
        return stops.annotate(rank=rank).order_by("rank", "date", "start_time", "pk")[:limit]

    markers = {"ids": [], "ranks": [], "today": MARKER_DATE, "after": MARKER_TIME}
    if bounded:
        markers["until"] = MARKER_END_DATE
    return PreparedQuery(build, **markers)


def nearest_upcoming_stops(
    commune: Commune,
    *,
    limit: int = 5,
    today: dt.date | None = None,
    after: dt.time | None = None,
    until: dt.date | None = None,
    include_own: bool = False,
    fields: tuple[str, ...] | None = None,
) -> list[NearbyStop]:
    """Upcoming, not cancelled stops in other communes, nearest first (then soonest).

    The cost does not grow with the tour: the communes around this one are found by an
    indexed range on their coordinates (a square that doubles until it holds `limit`
    stops), counting their stops on the (commune, date) index; then only the `limit` stops
    shown are loaded. Usually two queries; distances are between the communes' centroids, so
    every commune gets an answer even where the van never stops. `fields`: the only fields
    of the stops (and of their commune, "commune__…") to read, as QuerySet.only() takes them.
    `after`: the stops of `today` that have ended at this time are left out.
    """
    today = today or timezone.localdate()
    # Midnight: no stop ends then (it ends after it starts), so none of today's is left out.
    after = after or dt.time.min
    query = _candidates_query(include_own=include_own, bounded=until is not None)
    values = {"today": today}
    if not include_own:
        values["pk"] = commune.pk
    if until is not None:
        values["until"] = until
    radius = FIRST_RADIUS_KM
    while True:
        candidates = [
            _Candidate(*row)
            for row in query.rows(**values, **_box_bounds(commune, radius))
            if row[3]
        ]
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
    values = {
        "ids": list(distances),
        "ranks": list(distances.values()),
        "today": today,
        "after": after,
    }
    if until is not None:
        values["until"] = until
    stops = _ranked_stops_query(limit=limit, bounded=until is not None, fields=fields).objects(
        **values
    )
    return [NearbyStop(stop, commune.distance_km(stop.commune)) for stop in stops]
