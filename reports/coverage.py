"""Coverage: how far each commune is from the tour over a period, and who is left out.

For every commune: the distance from its centre to the nearest commune where the van stops
in the period (0 when it stops there), its population, how many visits its residents made
to the van (accompaniments as the statistics page counts them: present attendances and
individual helps, by commune of residence: no personal data), how many requests for a
visit it sent and how many residents wait for a stop alert there. Six queries whatever the
volume; the nearest-stop search runs over plain floats loaded once
(771 communes × the few hundred communes with a stop).
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from mediation.models import Commune, Stop
from mediation.models.geography import great_circle_km
from reports.activity import Period, individual_helps, present_attendances
from sessions.models import BusRequest, BusRequestStatus, StopAlert

# Upper bounds (km, exclusive) of the distance classes, after "a stop in the commune".
CLASS_BOUNDS = (10.0, 20.0, 30.0)
CLASS_LABELS = (
    _("A stop in the commune"),
    _("Less than 10 km"),
    _("10 to 20 km"),
    _("20 to 30 km"),
    _("30 km or more"),
)
NO_STOP_LABEL = _("No stop in the period")
# The shares of population that funders ask about, per EPCI.
SUMMARY_THRESHOLDS_KM = (10, 20)


@dataclass
class CommuneCoverage:
    insee_code: str
    name: str
    slug: str
    epci_name: str
    population: int
    distance_km: float | None  # None when the period has no stop at all
    nearest_name: str = ""
    stops: int = 0
    visits: int = 0
    requests: int = 0
    pending_requests: int = 0
    alerts: int = 0  # residents waiting to hear of a stop near this commune

    @property
    def distance_class(self) -> int | None:
        """0 for a stop in the commune, then one class per band of CLASS_BOUNDS."""
        if self.distance_km is None:
            return None
        if self.stops:
            return 0
        for index, bound in enumerate(CLASS_BOUNDS, start=1):
            if self.distance_km < bound:
                return index
        return len(CLASS_BOUNDS) + 1

    @property
    def distance_label(self) -> str:
        index = self.distance_class
        return str(NO_STOP_LABEL if index is None else CLASS_LABELS[index])

    @property
    def left_out_score(self) -> float:
        """People times kilometres: a big village far away before a hamlet as far away."""
        return self.population * (self.distance_km or 0.0)


@dataclass
class EpciCoverage:
    name: str
    communes: int = 0
    population: int = 0
    within: dict[int, int] = field(default_factory=dict)  # threshold km -> population
    stops: int = 0
    requests: int = 0

    def share(self, km: int) -> float | None:
        """Share of the population within `km` of a stop, 0 to 1 (None: nobody lives here)."""
        return self.within.get(km, 0) / self.population if self.population else None

    @property
    def share_10(self) -> float | None:
        return self.share(10)

    @property
    def share_20(self) -> float | None:
        return self.share(20)

    @property
    def percent_10(self) -> float | None:
        return None if self.share_10 is None else 100 * self.share_10

    @property
    def percent_20(self) -> float | None:
        return None if self.share_20 is None else 100 * self.share_20


@dataclass
class CoverageReport:
    start: dt.date
    end: dt.date
    communes: list[CommuneCoverage]  # farthest first, weighted by population
    epcis: list[EpciCoverage]
    stop_count: int
    visited_communes: int

    @property
    def total(self) -> EpciCoverage:
        whole = EpciCoverage(name=str(_("Whole département")))
        for epci in self.epcis:
            whole.communes += epci.communes
            whole.population += epci.population
            whole.stops += epci.stops
            whole.requests += epci.requests
            for km, people in epci.within.items():
                whole.within[km] = whole.within.get(km, 0) + people
        return whole

    @property
    def classes(self) -> dict[str, int]:
        return {
            c.insee_code: c.distance_class for c in self.communes if c.distance_class is not None
        }


def _nearest(points: list[tuple[float, float, str]], lat: float, lon: float):
    """The nearest of `points` (lat, lon, name) and its great-circle distance.

    The search compares squared equirectangular distances (a few multiplications each, exact
    enough to rank points within a département); only the winner gets the haversine.
    """
    cos_lat = math.cos(math.radians(lat))
    best, best_d2 = None, math.inf
    for point in points:
        dy = point[0] - lat
        dx = (point[1] - lon) * cos_lat
        d2 = dx * dx + dy * dy
        if d2 < best_d2:
            best, best_d2 = point, d2
    if best is None:
        return None, ""
    return great_circle_km(lat, lon, best[0], best[1]), best[2]


def coverage_report(*, start: dt.date, end: dt.date) -> CoverageReport:
    """Coverage of every commune by the stops (not cancelled) from `start` to `end` included."""
    stops = Stop.objects.not_cancelled().filter(date__gte=start, date__lte=end)
    stops_by_commune = dict(
        stops.order_by().values("commune_id").annotate(n=Count("id")).values_list("commune_id", "n")
    )
    # A visit is an accompaniment, as the statistics page counts them: a person present at a
    # workshop, or helped on their own at the van.
    visits: dict[int, int] = defaultdict(int)
    period = Period(start, end)
    for accompaniments, home in (
        (present_attendances(period), "registration__home_commune_id"),
        (individual_helps(period), "home_commune_id"),
    ):
        for commune_id, n in (
            accompaniments.filter(**{f"{home}__isnull": False})
            .order_by()
            .values(home)
            .annotate(n=Count("id"))
            .values_list(home, "n")
        ):
            visits[commune_id] += n
    requests: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    in_period = BusRequest.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    for commune_id, status, n in (
        in_period.order_by()
        .values("commune_id", "status")
        .annotate(n=Count("id"))
        .values_list("commune_id", "status", "n")
    ):
        requests[commune_id][0] += n
        if status == BusRequestStatus.NEW:
            requests[commune_id][1] += n

    alerts = dict(
        StopAlert.objects.active()
        .order_by()
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    rows = list(
        Commune.objects.order_by("name").values_list(
            "pk", "insee_code", "name", "slug", "population", "latitude", "longitude", "epci__name"
        )
    )
    stop_points = [
        (float(lat), float(lon), name)
        for pk, _code, name, _slug, _pop, lat, lon, _epci in rows
        if pk in stops_by_commune
    ]
    communes: list[CommuneCoverage] = []
    epcis: dict[str, EpciCoverage] = {}
    for pk, code, name, slug, population, lat, lon, epci_name in rows:
        own_stops = stops_by_commune.get(pk, 0)
        if own_stops:
            distance, nearest = 0.0, name
        else:
            distance, nearest = _nearest(stop_points, float(lat), float(lon))
        item = CommuneCoverage(
            insee_code=code,
            name=name,
            slug=slug,
            epci_name=epci_name or "",
            population=population,
            distance_km=distance,
            nearest_name=nearest,
            stops=own_stops,
            visits=visits.get(pk, 0),
            requests=requests[pk][0] if pk in requests else 0,
            pending_requests=requests[pk][1] if pk in requests else 0,
            alerts=alerts.get(pk, 0),
        )
        communes.append(item)
        epci = epcis.setdefault(item.epci_name, EpciCoverage(name=item.epci_name))
        epci.communes += 1
        epci.population += population
        epci.stops += own_stops
        epci.requests += item.requests
        for km in SUMMARY_THRESHOLDS_KM:
            if distance is not None and distance <= km:
                epci.within[km] = epci.within.get(km, 0) + population
    communes.sort(key=lambda c: (-c.left_out_score, -(c.distance_km or 0), c.name))
    return CoverageReport(
        start=start,
        end=end,
        communes=communes,
        epcis=sorted(epcis.values(), key=lambda e: (e.share(20) or 0, e.share(10) or 0, e.name)),
        stop_count=sum(stops_by_commune.values()),
        visited_communes=sum(1 for c in communes if c.visits),
    )
