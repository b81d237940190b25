"""Read-only queries behind the public pages, each a fixed number of queries.

The workshops of listed stops come in one query for the whole list (no N+1), as plain rows.
The short queries of the uncached public pages are compiled once per process
(mediation/prepared.py): compiling them cost more than the database's answer.
"""

import datetime as dt
import functools
import operator
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Window
from django.utils import timezone

from mediation.models import PARIS, Commune, Epci, Stop, StopStatus
from mediation.prepared import MARKER_DATE, MARKER_PK, MARKER_TIME, PreparedQuery
from mediation.schedule import nearest_upcoming_stops
from mediation.services import STOP_PUBLIC_FIELDS
from sessions.models import Workshop

# Distance bands on the commune page, in km: within each, the soonest stop comes first, so
# that a resident sees when they can go without trading a short trip for a long one.
DISTANCE_BANDS = (10, 20)
NEARBY_STOPS = 8


# What a stop's summary (cms/stop_summaries.py) shows, and no more.
SUMMARY_STOP_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "status",
    "cancellation_reason",
    "place_name",
    "address",
    "commune__name",
)


class WorkshopLine(NamedTuple):
    """A workshop as a stop's summary lists it: a plain row, no model built (building each
    workshop's module cost more than the rest of the home page's list). A tuple: made from
    the query's row and hashed (it keys the memo of its line) in C, a hundred times a page."""

    start_time: dt.time
    module_slug: str
    module_title: str


@dataclass(frozen=True, slots=True)
class ListedStop:
    """A stop as the home and commune pages list it, with its workshops (and how far)."""

    stop: Stop
    workshops: list[WorkshopLine]
    distance_km: float | None = None


def _lines_by_stop(rows) -> dict[int, list[WorkshopLine]]:
    lines: dict[int, list[WorkshopLine]] = {}
    make = functools.partial(tuple.__new__, WorkshopLine)  # WorkshopLine() is a Python call
    for row in rows:
        lines.setdefault(row[0], []).append(make(row[1:]))
    return lines


def _summary_lines(workshops):
    return workshops.order_by("start_time", "pk").values_list(
        "stop_id", "start_time", "module__slug", "module__title"
    )


def now_for_lists() -> dict:
    """Today and the time of day, as the lists' queries take them: a stop that ended this
    morning is no longer listed this afternoon."""
    local = timezone.localtime()
    return {"today": local.date(), "time_of_day": local.time().replace(microsecond=0)}


_NOW_MARKERS = {"today": MARKER_DATE, "time_of_day": MARKER_TIME}


def first_end(listed: list[ListedStop]) -> dt.datetime | None:
    """When the first of these listed stops ends, and so leaves the list (a page that lists
    them is stale from then on: see tour_cache.stale_at); None if none is listed."""
    return min((item.stop.ends_at for item in listed), default=None)


@functools.cache
def _next_stops_queries(limit: int) -> tuple[PreparedQuery, PreparedQuery]:
    def stops(today, time_of_day):
        return (
            Stop.objects.not_over(today, time_of_day)
            .select_related("commune")
            .only(*SUMMARY_STOP_FIELDS)[:limit]
        )

    def lines(today, time_of_day):
        return _summary_lines(
            Workshop.objects.filter(stop__in=stops(today, time_of_day).values("pk"))
        )

    return PreparedQuery(stops, **_NOW_MARKERS), PreparedQuery(lines, **_NOW_MARKERS)


def next_stops(*, limit: int) -> list[ListedStop]:
    """The next stops of the tour, cancelled ones included so that residents learn of them,
    each with its workshops: two queries, compiled once per process."""
    stops_query, lines_query = _next_stops_queries(limit)
    now = now_for_lists()
    stops = stops_query.objects(**now)
    if not stops:
        return []  # no workshops to read
    lines = _lines_by_stop(lines_query.rows(**now))
    return [ListedStop(stop, lines.get(stop.pk, [])) for stop in stops]


# The commune's own stops: their commune is the page's, already read.
_OWN_STOP_FIELDS = (
    "commune",
    *(field for field in SUMMARY_STOP_FIELDS if not field.startswith("commune__")),
)


@functools.cache
def _commune_stops_query(limit: int) -> PreparedQuery:
    # Every coming stop counted in the same query (a window over all the rows, taken before
    # the limit): the page says how many more there are than it lists.
    return PreparedQuery(
        lambda commune_id, today, time_of_day: (
            Stop.objects.not_over(today, time_of_day)
            .filter(commune_id=commune_id)
            .only(*_OWN_STOP_FIELDS)
            .annotate(total=Window(Count("pk")))[:limit]
        ),
        commune_id=MARKER_PK,
        **_NOW_MARKERS,
    )


_commune_by_slug = PreparedQuery(
    lambda slug: (
        Commune.objects.select_related("epci", "local_content__photo").filter(slug=slug).order_by()
    ),
    slug="commune-slug-marker",
)


def commune_by_slug(slug: str) -> Commune | None:
    """The commune of a page, with its EPCI and what its town hall added to its page
    (CommuneLocalContent.of_commune then reads no more): one query, compiled once per
    process."""
    found = _commune_by_slug.objects(slug=slug)
    return found[0] if found else None


# What the stop page shows, and no more: compiling and reading every column of the stop, its
# commune and each workshop's module was a fifth of the uncached page's time.
STOP_PAGE_FIELDS = (
    *STOP_PUBLIC_FIELDS,
    "commune__name",
    "commune__slug",
    "commune__postal_codes",
    "commune__latitude",
    "commune__longitude",
)
STOP_PAGE_WORKSHOP_FIELDS = (
    "stop",
    "module",
    "start_time",
    "end_time",
    "capacity",
    "seats_taken",
    "signup_opens_at",
    "signup_closes_at",
    "module__title",
    "module__slug",
    "module__documents_to_bring",
)


_stop_for_page = PreparedQuery(
    lambda pk: Stop.objects.select_related("commune").only(*STOP_PAGE_FIELDS).filter(pk=pk),
    pk=MARKER_PK,
)
_stop_page_workshops = PreparedQuery(
    lambda stop_id: (
        Workshop.objects.select_related("module")
        .only(*STOP_PAGE_WORKSHOP_FIELDS)
        .filter(stop_id=stop_id)
        .order_by("start_time", "pk")
    ),
    stop_id=MARKER_PK,
)


# The largest key a database column can hold. The prepared queries pass a key from the URL
# to the database as it is, without the ORM's check: a larger one fails in the driver
# (SQLite: OverflowError) instead of matching nothing.
LARGEST_KEY = 2**63 - 1


def stop_with_workshops(pk: int) -> tuple[Stop, list[Workshop]]:
    """The stop with its commune, and its workshops, only the columns its page shows: two
    queries, compiled once per process (compiling them cost more than running them)."""
    if not 0 < pk <= LARGEST_KEY:
        raise Stop.DoesNotExist
    found = _stop_for_page.objects(pk=pk)
    if not found:
        raise Stop.DoesNotExist
    stop = found[0]
    workshops = _stop_page_workshops.objects(stop_id=pk)
    for workshop in workshops:
        Workshop.stop.field.set_cached_value(workshop, stop)
    return stop, workshops


# Calendar feeds keep recent past stops, so that a stop cancelled yesterday is still
# announced as cancelled to a phone that synchronises today, and look six months ahead:
# a phone need not hold a year of stops, and the feed's size stays that of six months.
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 183


FEED_STOP_FIELDS = (
    "pk",
    "date",
    "start_time",
    "end_time",
    "status",
    "cancellation_reason",
    "place_name",
    "address",
    "directions",
    "sequence",
    "updated_at",
    "commune__name",
)


def feed_stops(*, commune: Commune | None = None, epci: Epci | None = None) -> list[dict]:
    """The feed's stops as plain rows, each with its workshops as (title, start, end).

    Two queries and no model built: the whole tour's feed lists over a thousand stops and
    five thousand workshops, and building their models (each workshop's module with it) cost
    more than the rest of the feed.
    """
    today = timezone.localdate()
    since = today - dt.timedelta(days=FEED_PAST_DAYS)
    until = today + dt.timedelta(days=FEED_FUTURE_DAYS)
    stops = Stop.objects.upcoming(since).filter(date__lte=until)
    if commune is not None:
        stops = stops.in_commune(commune)
    if epci is not None:
        stops = stops.in_epci(epci)
    # The same order at every render, so that an unchanged tour keeps its ETag.
    rows = list(stops.order_by("date", "start_time", "pk").values(*FEED_STOP_FIELDS))
    workshops: dict[int, list[tuple]] = {}
    for stop_id, *workshop in (
        Workshop.objects.filter(stop__in=stops.order_by().values("pk"))
        .order_by("stop_id", "start_time", "pk")
        .values_list("stop_id", "module__title", "start_time", "end_time")
    ):
        workshops.setdefault(stop_id, []).append(tuple(workshop))
    for row in rows:
        row["workshops"] = workshops.get(row["pk"], [])
    return rows


class CommuneVisits(NamedTuple):
    """A commune where the van comes: what the map shows of it, and of its coming visits."""

    insee_code: str
    name: str
    slug: str
    next_date: dt.date
    stop_count: int
    ends_today: dt.time | None  # when its first stop of today ends, if it has one
    search_name: str  # what puts it in French order


def communes_with_upcoming_stops() -> list[CommuneVisits]:
    """Communes where the van comes, with the date of its next visit and the number of visits.

    In French order, as `CommuneQuerySet.in_french_order()` sorts them (by search_name). One
    query: the stops not over yet counted per commune (on the stops' date index), then joined
    to those communes only; hundreds of rows of seven columns, not hundreds of Commune
    instances. Written in SQL: the map asks it on every uncached request, and building the
    statement through the ORM (a join, two aggregates, a negated filter) took twice as long
    as running it. Sorted here, as `mediation.text.french_sort_key` sorts (search_name is
    that key), not by the database: sorting was a fifth of the query's time at volume (1.80 ->
    1.44 ms) for 0.05 ms in Python, and a database in another locale than C may order a space
    otherwise than the site's other lists.
    """
    quote = connection.ops.quote_name
    sql = (
        "SELECT c.insee_code, c.name, c.slug, v.next_date, v.stop_count, v.ends_today, "  # noqa: S608 - quoted
        "c.search_name "
        "FROM (SELECT commune_id, MIN(date) AS next_date, COUNT(*) AS stop_count, "
        "MIN(CASE WHEN date = %s THEN end_time END) AS ends_today "
        f"FROM {quote(Stop._meta.db_table)} WHERE date >= %s AND status <> %s "
        "AND NOT (date = %s AND end_time <= %s) "
        "GROUP BY commune_id) v "
        f"JOIN {quote(Commune._meta.db_table)} c ON c.id = v.commune_id"
    )
    now = now_for_lists()
    today = connection.ops.adapt_datefield_value(now["today"])
    time_of_day = connection.ops.adapt_timefield_value(now["time_of_day"])
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, StopStatus.CANCELLED.value, today, time_of_day])
        rows = cursor.fetchall()
    if rows and not isinstance(rows[0][3], dt.date):  # SQLite gives an aggregate of dates as text
        rows = [
            (
                *row[:3],
                dt.date.fromisoformat(row[3]),
                row[4],
                dt.time.fromisoformat(row[5]) if row[5] else None,
                row[6],
            )
            for row in rows
        ]
    rows.sort(key=operator.itemgetter(6, 0))  # two communes of one name: by INSEE code
    # tuple.__new__ itself: CommuneVisits._make is a Python call per row, hundreds per map.
    return list(map(functools.partial(tuple.__new__, CommuneVisits), rows))


def first_visit_end(communes: list[CommuneVisits]) -> dt.datetime | None:
    """When the first of today's stops among these visits ends (a map that shows them is
    stale from then on); None if none of them is today."""
    ends = [commune for commune in communes if commune.ends_today is not None]
    if not ends:
        return None
    first = min(ends, key=lambda commune: commune.ends_today)
    return dt.datetime.combine(first.next_date, first.ends_today, tzinfo=PARIS)


_listed_lines = PreparedQuery(
    lambda ids: _summary_lines(Workshop.objects.filter(stop_id__in=ids)), ids=[]
)


@dataclass(frozen=True)
class DistanceBand:
    up_to_km: int | None  # None: further than the last band
    from_km: int
    stops: list[ListedStop]


def _by_distance_band(listed: list[ListedStop]) -> list[DistanceBand]:
    """The nearest stops grouped by distance band, soonest first within each."""
    bands, low = [], 0
    for high in (*DISTANCE_BANDS, None):
        inside = [
            item
            for item in listed
            if item.distance_km >= low and (high is None or item.distance_km < high)
        ]
        if inside:
            inside.sort(key=lambda item: (item.stop.date, item.stop.start_time, item.distance_km))
            bands.append(DistanceBand(up_to_km=high, from_km=low, stops=inside))
        low = high or low
    return bands


@dataclass(frozen=True)
class CommuneSchedule:
    stops: list[ListedStop]  # the commune's first coming stops
    more_stops: int  # its coming stops not listed
    nearby: list[DistanceBand]  # the nearest stops in other communes

    @property
    def first_end(self) -> dt.datetime | None:
        """When the first listed stop ends and leaves the page."""
        return first_end([*self.stops, *(item for band in self.nearby for item in band.stops)])


def commune_schedule(
    commune: Commune, *, limit: int, nearby_limit: int = NEARBY_STOPS
) -> CommuneSchedule:
    """What the commune page lists: its first `limit` coming stops (a town the van visits
    weekly would otherwise list a year of stops; the calendar feed holds them all) and how
    many more there are, the nearest stops in other communes by distance band, each stop
    with its workshops. Four queries, compiled once per process: the commune's stops and
    their count, the nearest stops (two, mediation.schedule), the workshops of all of them.
    """
    now = now_for_lists()
    stops = _commune_stops_query(limit).objects(commune_id=commune.pk, **now)
    for stop in stops:
        Stop.commune.field.set_cached_value(stop, commune)
    nearby = nearest_upcoming_stops(
        commune,
        limit=nearby_limit,
        today=now["today"],
        after=now["time_of_day"],
        fields=SUMMARY_STOP_FIELDS,
    )
    ids = [stop.pk for stop in stops] + [item.stop.pk for item in nearby]
    lines = _lines_by_stop(_listed_lines.rows(ids=ids))
    return CommuneSchedule(
        stops=[ListedStop(stop, lines.get(stop.pk, [])) for stop in stops],
        more_stops=stops[0].total - len(stops) if stops else 0,
        nearby=_by_distance_band(
            [
                ListedStop(item.stop, lines.get(item.stop.pk, []), item.distance_km)
                for item in nearby
            ]
        ),
    )
