"""Figures for a period: what the statistics page, its workbook and the report PDF show.

A fixed number of aggregate queries, whatever the number of attendances: counts are made by
the database (conditional counts, GROUP BY), and only workshops (a few thousand a year) and
the distinct theme lists of individual helps come back as rows.
"""

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mediation.models import Commune, StopStatus
from reports import coop
from reports.activity import Period, individual_helps, present_attendances, workshop_themes
from sessions.models import Attendance, RegistrationChannel, RegistrationStatus, Workshop
from sessions.vocabulary import AgeBracket, Autonomy, Equipment, Gender, Redirection, Situation

BREAKDOWN_FIELDS = {
    "equipment": Equipment,
    "autonomy": Autonomy,
    "redirection": Redirection,
    "gender": Gender,
    "age_bracket": AgeBracket,
    "situation": Situation,
}
MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
DURATION_BUCKETS = [(30, "Moins de 30 min"), (60, "30 min à 1 h"), (120, "1 h à 2 h")]
LONGEST_BUCKET = "2 h et plus"


@dataclass
class Breakdown:
    """Counts by label, in display order, with their share of the total."""

    title: str
    items: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.items)

    @property
    def rows(self) -> list[tuple[str, int, float]]:
        total = self.total or 1
        return [(label, count, round(100 * count / total, 1)) for label, count in self.items]


@dataclass
class Figures:
    period: Period
    key: dict[str, float] = field(default_factory=dict)
    by_month: Breakdown | None = None
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)
    home_communes: list[tuple[str, str, int]] = field(default_factory=list)
    epcis: list[dict] = field(default_factory=list)
    communes: list[dict] = field(default_factory=list)


def _counts_by_value(queryset, fields: dict, *, counted: Q, **extra) -> dict[str, Counter]:
    """One scan: for every field, how many rows matching `counted` hold each value (blank
    included), plus the `extra` aggregates."""
    aggregates = {
        "total": Count("pk", filter=counted),
        "first_visits": Count("pk", filter=counted & Q(first_visit=True)),
    }
    for name, choices in fields.items():
        for value in ["", *choices.values]:
            aggregates[f"{name}:{value}"] = Count("pk", filter=counted & Q(**{name: value}))
    result = queryset.aggregate(**aggregates, **extra)
    counts = {name: Counter() for name in fields}
    for key, count in result.items():
        if ":" in key:
            name, value = key.split(":", 1)
            counts[name][value] = count
    counts["_"] = Counter({key: result[key] for key in ["total", "first_visits", *extra]})
    return counts


def _months(period: Period, by_stop: Counter, stops: dict) -> Breakdown:
    counts = Counter()
    for stop, count in by_stop.items():
        day = stops[stop]["date"]
        counts[(day.year, day.month)] += count
    items = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        items.append((f"{MONTHS[month - 1]} {year}", counts[(year, month)]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return Breakdown(_("Accompaniments by month"), items)


def _duration_label(minutes: int) -> str:
    for limit, label in DURATION_BUCKETS:
        if minutes < limit:
            return label
    return LONGEST_BUCKET


# A JSON list of themes read as its text: decoded once per distinct list (`_themes_of`), not
# once per row, which took a sixth of a year's figures.
_THEMES_TEXT = Cast("themes", TextField())


def _themes_of(text: str | None) -> list[str]:
    return json.loads(text) if text else []


def _grouped(queryset, keys: list[str]) -> dict[tuple, int]:
    rows = queryset.values(*keys).annotate(n=Count("pk")).order_by()
    return {tuple(row[key] for key in keys): row["n"] for row in rows}


def figures_for(period: Period, *, now: dt.datetime | None = None) -> Figures:
    here_now = timezone.localtime(now)
    today, time_of_day = here_now.date(), here_now.time()
    figures = Figures(period=period)
    individual = individual_helps(period)
    stops = {
        row["pk"]: row
        for row in period.stops().values("pk", "date", "start_time", "commune", "status").order_by()
    }
    # Held once begun: today's stop at 10:00 counts only from 10:00, not from midnight (a
    # report printed in the morning would count a stop nobody had come to yet).
    held_stops = {
        pk
        for pk, row in stops.items()
        if row["status"] != StopStatus.CANCELLED
        and (row["date"], row["start_time"]) <= (today, time_of_day)
    }
    # Present attendances counted once per (workshop, stop, home commune): the workshops'
    # figures, the visits by stop and the residents' communes all add up from these rows (a
    # few thousand a year), instead of three scans of a year's attendances and registrations.
    present_by_workshop, collective_by_stop, homes = Counter(), Counter(), Counter()
    workshops_by_stop: dict[int, set[int]] = {}
    for (workshop, stop, commune), count in _grouped(
        present_attendances(period),
        [
            "registration__workshop",
            "registration__workshop__stop",
            "registration__home_commune",
        ],
    ).items():
        present_by_workshop[workshop] += count
        collective_by_stop[stop] += count
        homes[commune] += count
        workshops_by_stop.setdefault(stop, set()).add(workshop)
    # Themes as their JSON text (`_themes_of`): a year holds thousands of workshops and
    # individual helps, and a few dozen distinct lists of themes.
    workshops = [
        (*row, present_by_workshop[pk])
        for pk, *row in Workshop.objects.filter(stop__in=held_stops).values_list(
            "pk",
            "start_time",
            "end_time",
            _THEMES_TEXT,
            "module__theme",
            "capacity",
            "seats_taken",
        )
    ]
    # Every attendance recorded in the period, present or not, in one scan: present ones are
    # counted, and registrants who held a seat recorded absent give the no-show rate (a
    # walk-in, someone on the waiting list or who had cancelled left no seat empty).
    recorded = Attendance.objects.filter(period.stop_filter("registration__workshop__stop__"))
    signed_up = Q(registration__status=RegistrationStatus.CONFIRMED) & ~Q(
        registration__channel=RegistrationChannel.WALK_IN
    )
    ours = _counts_by_value(
        recorded,
        BREAKDOWN_FIELDS,
        counted=Q(present=True),
        signed_up=Count("pk", filter=signed_up),
        absent=Count("pk", filter=signed_up & Q(present=False)),
    )
    theirs = _counts_by_value(individual, BREAKDOWN_FIELDS, counted=Q())
    individual_minutes = _grouped(individual, ["minutes_spent"])
    individual_themes = _grouped(individual.annotate(themes_text=_THEMES_TEXT), ["themes_text"])
    by_stop = {
        "collective": collective_by_stop,
        "individual": Counter(dict(_flat(_grouped(individual, ["stop"])))),
    }
    # Activities as the Coop counts them (see "kinds" below): a workshop of a stop held
    # where someone came, and each individual help.
    activities_by_stop = by_stop["individual"] + Counter(
        {stop: len(ids) for stop, ids in workshops_by_stop.items() if stop in held_stops}
    )
    for (commune,), count in _grouped(individual, ["home_commune"]).items():
        homes[commune] += count

    # Key figures.
    collective_count, individual_count = ours["_"]["total"], theirs["_"]["total"]
    held_workshops = [w for w in workshops if w[6]]
    workshop_minutes = [
        (w[1].hour * 60 + w[1].minute) - (w[0].hour * 60 + w[0].minute) for w in held_workshops
    ]
    minutes = sum(workshop_minutes) + sum(m * n for (m,), n in individual_minutes.items())
    capacity = sum(w[4] for w in workshops)
    figures.key = {
        "stops_held": len(held_stops),
        "stops_cancelled": sum(
            1 for row in stops.values() if row["status"] == StopStatus.CANCELLED
        ),
        # Held: someone came. A workshop of a stop held where nobody came (or whose
        # attendance is not synced yet, today's) still offered its seats (fill rate).
        "workshops": len(held_workshops),
        "accompaniments": collective_count + individual_count,
        "collective": collective_count,
        "individual": individual_count,
        "first_visits": ours["_"]["first_visits"] + theirs["_"]["first_visits"],
        "hours": round(minutes / 60, 1),
        "communes_reached": len({stops[pk]["commune"] for pk in held_stops}),
        # None when there is nothing to measure (no seat offered, no registrant recorded):
        # a rate of 0 would read as empty workshops or perfect attendance.
        "fill_rate": (
            round(100 * sum(w[5] for w in workshops) / capacity, 1) if capacity else None
        ),
        "no_show_rate": (
            round(100 * ours["_"]["absent"] / ours["_"]["signed_up"], 1)
            if ours["_"]["signed_up"]
            else None
        ),
    }
    figures.by_month = _months(period, by_stop["collective"] + by_stop["individual"], stops)

    # The Coop's sections.
    present_by_themes = Counter()
    for _start, _end, own, module_theme, _cap, _taken, present in held_workshops:
        present_by_themes[own, module_theme] += present
    themes = Counter()
    for (own, module_theme), present in present_by_themes.items():
        for theme in workshop_themes(_themes_of(own), module_theme):
            themes[theme] += present
    for (own,), count in individual_themes.items():
        for theme in _themes_of(own):
            themes[theme] += count
    b = figures.breakdowns
    # Activities as the Coop counts them: a workshop where someone came is one collective
    # activity, whatever its number of participants (counted apart), and each individual
    # help one individual activity; the durations below add up to the same total.
    b["kinds"] = Breakdown(
        _("Individual and collective"),
        [
            (coop.TYPE_ACTIVITE["Individuel"], individual_count),
            (coop.TYPE_ACTIVITE["Collectif"], len(held_workshops)),
        ],
    )
    for key, title, wanted in (
        ("themes", _("Digital mediation themes"), coop.THEMATIQUES_NON_ADMINISTRATIVES),
        ("procedures", _("Administrative procedure themes"), coop.THEMATIQUES_ADMINISTRATIVES),
    ):
        counted = Counter()
        for theme, count in themes.items():
            label = coop.THEMATIQUES[coop.THEME_TO_COOP[theme]]
            if coop.THEME_TO_COOP[theme] in wanted and count:
                counted[label] += count
        b[key] = Breakdown(title, counted.most_common())
    both = {name: ours[name] + theirs[name] for name in BREAKDOWN_FIELDS}
    not_recorded = _("Not recorded")
    b["equipment"] = Breakdown(
        _("Equipment used"),
        [(coop.equipment(v), both["equipment"][v]) for v in Equipment.values]
        + [(not_recorded, both["equipment"][""])],
    )
    durations = Counter()
    for minutes_ in workshop_minutes:
        durations[_duration_label(minutes_)] += 1
    for (minutes_,), count in individual_minutes.items():
        durations[_duration_label(minutes_)] += count
    labels = [label for _limit, label in DURATION_BUCKETS] + [LONGEST_BUCKET]
    b["durations"] = Breakdown(_("Activity durations"), [(x, durations[x]) for x in labels])
    b["autonomy"] = Breakdown(
        _("Autonomy reached"),
        [(coop.autonomy(v), both["autonomy"][v]) for v in Autonomy.values]
        + [(not_recorded, both["autonomy"][""])],
    )
    b["redirections"] = Breakdown(
        _("Redirections"),
        # The choices are worded for a sentence ("redirected to the town hall"): a row of
        # the table starts with a capital, as the others do ("CAF", "France Services").
        [(capfirst(str(label)), both["redirection"][v]) for v, label in Redirection.choices]
        + [(_("Not redirected"), both["redirection"][""])],
    )
    b["gender"] = Breakdown(
        _("Gender"), [(coop.gender(v), both["gender"][v]) for v in Gender.values]
    )
    b["age_brackets"] = Breakdown(
        _("Age brackets"),
        [(coop.age_bracket(v), both["age_bracket"][v]) for v in reversed(AgeBracket.values)]
        + [(coop.age_bracket(""), both["age_bracket"][""])],
    )
    b["situation"] = Breakdown(
        _("Status"),
        [(coop.situation(v), both["situation"][v]) for v in Situation.values]
        + [(coop.situation(""), both["situation"][""])],
    )

    _places(
        figures,
        stops=stops,
        held_stops=held_stops,
        by_stop=by_stop,
        activities_by_stop=activities_by_stop,
        homes=homes,
    )
    return figures


def _flat(grouped: dict[tuple, int]):
    return ((key, count) for (key,), count in grouped.items())


def _places(
    figures: Figures,
    *,
    stops: dict,
    held_stops: set,
    by_stop: dict,
    activities_by_stop: Counter,
    homes: Counter,
):
    """Where residents came from, and where the van went: counted by id, named with one
    query, the EPCI table added up from the communes'."""
    visits = {"collective": Counter(), "individual": Counter()}
    stop_count, activities = Counter(), Counter()
    for pk, row in stops.items():
        for kind, counts in by_stop.items():
            visits[kind][row["commune"]] += counts[pk]
        stop_count[row["commune"]] += pk in held_stops
        activities[row["commune"]] += activities_by_stop[pk]
    ids = (set(homes) | set(stop_count)) - {None}
    names = {
        pk: (code, name, epci or "—")
        for pk, code, name, epci in Commune.objects.filter(pk__in=ids).values_list(
            "pk", "insee_code", "name", "epci__name"
        )
    }
    figures.home_communes = [
        (*names[pk][:2], count) if pk else ("", _("Not recorded"), count)
        for pk, count in homes.most_common()
    ]
    by_commune, by_epci = [], {}
    for pk in stop_count:
        row = {"stops": stop_count[pk]} | {kind: visits[kind][pk] for kind in visits}
        row["total"] = row["collective"] + row["individual"]
        row["activities"] = activities[pk]
        if not (row["total"] or row["stops"]):
            continue
        _code, name, epci = names[pk]
        by_commune.append(row | {"name": name})
        group = by_epci.setdefault(epci, dict.fromkeys(row, 0) | {"name": epci})
        for key, value in row.items():
            group[key] += value

    def order(row):
        return (-row["total"], -row["stops"], row["name"])

    figures.communes = sorted(by_commune, key=order)
    figures.epcis = sorted(by_epci.values(), key=order)
