"""Figures for a period: what the statistics page, its workbook and the report PDF show.

A fixed number of aggregate queries, whatever the number of attendances: counts are made by
the database (conditional counts, GROUP BY), and only workshops (a few thousand a year) and
individual helps' theme lists come back as rows.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.models import StopStatus
from reports import coop
from reports.activity import Period, individual_helps, present_attendances, workshop_themes
from sessions.models import Attendance, RegistrationChannel, Workshop
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


def _counts_by_value(queryset, fields: dict) -> dict[str, Counter]:
    """One query: for every field, how many rows hold each value (blank included)."""
    aggregates = {"total": Count("pk"), "first_visits": Count("pk", filter=Q(first_visit=True))}
    for name, choices in fields.items():
        for value in ["", *choices.values]:
            aggregates[f"{name}:{value}"] = Count("pk", filter=Q(**{name: value}))
    result = queryset.aggregate(**aggregates)
    counts = {name: Counter() for name in fields}
    for key, count in result.items():
        if ":" in key:
            name, value = key.split(":", 1)
            counts[name][value] = count
    counts["_"] = Counter(total=result["total"], first_visits=result["first_visits"])
    return counts


def _by_month(period: Period, collective, individual) -> Breakdown:
    counts = Counter()
    for queryset, date in (
        (collective, "registration__workshop__stop__date"),
        (individual, "stop__date"),
    ):
        # Grouped by day (a few hundred rows a year), then by month here: SQLite truncates
        # dates with a Python function called on every row.
        for (day,), count in _grouped(queryset, [date]).items():
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


def _grouped(queryset, keys: list[str]) -> dict[tuple, int]:
    rows = queryset.values(*keys).annotate(n=Count("pk")).order_by()
    return {tuple(row[key] for key in keys): row["n"] for row in rows}


def figures_for(period: Period, *, today: dt.date | None = None) -> Figures:
    today = today or timezone.localdate()
    figures = Figures(period=period)
    collective = present_attendances(period)
    individual = individual_helps(period)
    held = ~Q(status=StopStatus.CANCELLED) & Q(date__lte=today)

    stops = period.stops().aggregate(
        held=Count("pk", filter=held),
        cancelled=Count("pk", filter=Q(status=StopStatus.CANCELLED)),
        communes=Count("commune", filter=held, distinct=True),
    )
    workshops = list(
        Workshop.objects.filter(period.stop_filter("stop__"), stop__date__lte=today)
        .exclude(stop__status=StopStatus.CANCELLED)
        .annotate(
            present=Count(
                "registrations__attendance",
                filter=Q(registrations__attendance__present=True),
            )
        )
        .values_list(
            "start_time",
            "end_time",
            "themes",
            "module__theme",
            "capacity",
            "seats_taken",
            "present",
        )
    )
    recorded = Attendance.objects.filter(
        period.stop_filter("registration__workshop__stop__")
    ).exclude(registration__channel=RegistrationChannel.WALK_IN)
    no_shows = recorded.aggregate(all=Count("pk"), absent=Count("pk", filter=Q(present=False)))
    ours = _counts_by_value(collective, BREAKDOWN_FIELDS)
    theirs = _counts_by_value(individual, BREAKDOWN_FIELDS)
    individual_minutes = _grouped(individual, ["minutes_spent"])
    individual_themes = list(individual.values_list("themes", flat=True))

    # Key figures.
    collective_count, individual_count = ours["_"]["total"], theirs["_"]["total"]
    held_workshops = [w for w in workshops if w[6]]
    workshop_minutes = [
        (w[1].hour * 60 + w[1].minute) - (w[0].hour * 60 + w[0].minute) for w in held_workshops
    ]
    minutes = sum(workshop_minutes) + sum(m * n for (m,), n in individual_minutes.items())
    capacity = sum(w[4] for w in workshops)
    figures.key = {
        "stops_held": stops["held"],
        "stops_cancelled": stops["cancelled"],
        "workshops": len(workshops),
        "accompaniments": collective_count + individual_count,
        "collective": collective_count,
        "individual": individual_count,
        "first_visits": ours["_"]["first_visits"] + theirs["_"]["first_visits"],
        "hours": round(minutes / 60, 1),
        "communes_reached": stops["communes"],
        "fill_rate": round(100 * sum(w[5] for w in workshops) / capacity, 1) if capacity else 0,
        "no_show_rate": (
            round(100 * no_shows["absent"] / no_shows["all"], 1) if no_shows["all"] else 0
        ),
    }
    figures.by_month = _by_month(period, collective, individual)

    # The Coop's sections.
    themes = Counter()
    for _start, _end, own, module_theme, _cap, _taken, present in held_workshops:
        for theme in workshop_themes(own, module_theme):
            themes[theme] += present
    for own in individual_themes:
        themes.update(own)
    b = figures.breakdowns
    b["kinds"] = Breakdown(
        _("Individual and collective"),
        [
            (coop.TYPE_ACTIVITE["Individuel"], individual_count),
            (coop.TYPE_ACTIVITE["Collectif"], collective_count),
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
        [(str(label), both["redirection"][v]) for v, label in Redirection.choices]
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

    # Where residents came from, and where the van went.
    homes = Counter()
    names = {}
    for queryset, prefix in (
        (collective, "registration__home_commune__"),
        (individual, "home_commune__"),
    ):
        for (code, name), count in _grouped(
            queryset, [f"{prefix}insee_code", f"{prefix}name"]
        ).items():
            homes[code or ""] += count
            names[code or ""] = name or _("Not recorded")
    figures.home_communes = [(code, names[code], n) for code, n in homes.most_common()]
    figures.epcis = _by_place(period, collective, individual, "commune__epci__name", today)
    figures.communes = _by_place(period, collective, individual, "commune__name", today)
    return figures


def _by_place(period, collective, individual, key: str, today: dt.date) -> list[dict]:
    """Stops and people per EPCI or per commune of the stop, largest first."""
    held = ~Q(status=StopStatus.CANCELLED) & Q(date__lte=today)
    rows: dict[str, dict] = {}

    def row(name) -> dict:
        name = name or "—"
        return rows.setdefault(
            name, {"name": name, "stops": 0, "collective": 0, "individual": 0, "total": 0}
        )

    for item in period.stops().values(key).annotate(n=Count("pk", filter=held)).order_by():
        if item["n"]:
            row(item[key])["stops"] += item["n"]
    for queryset, prefix, kind in (
        (collective, "registration__workshop__stop__", "collective"),
        (individual, "stop__", "individual"),
    ):
        for (name,), count in _grouped(queryset, [prefix + key]).items():
            row(name)[kind] += count
            row(name)["total"] += count
    return sorted(rows.values(), key=lambda r: (-r["total"], -r["stops"], r["name"]))
