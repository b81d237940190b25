"""The activity export's rows: one per person helped per activity, in the Coop's columns.

Rows are built from flat `values()` read with `iterator()`, so that an export of three years
holds a few thousand rows in memory at a time, whatever its length. Workshops and individual
helps are read apart, each ordered by date, and merged.
"""

import datetime as dt
import heapq
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation

from mediation.models import Epci, Stop
from reports import coop
from sessions.models import Attendance, AttendanceVersion, IndividualHelp, Operator
from sessions.vocabulary import THEMES_FROM_MODULE_THEME

CHUNK = 2000
# Stable ids for workshops in the "ID CRA" column (they have no UUID of their own).
WORKSHOP_NAMESPACE = uuid.UUID("5b1f0c52-63a4-4a8e-9a1c-0c6f1f0e2d14")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    epci: Epci | None = None

    def file_stem(self, what: str) -> str:
        """A file's name without its extension: "activites-2026-01-01-2026-12-31[-epci]"."""
        stem = f"{what}-{self.start.isoformat()}-{self.end.isoformat()}"
        return f"{stem}-{self.epci.slug}" if self.epci else stem

    def query(self) -> dict[str, str]:
        """The period as the statistics page's address gives it."""
        query = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return query | {"epci": self.epci.slug} if self.epci else query

    def stops(self) -> QuerySet:
        stops = Stop.objects.filter(date__gte=self.start, date__lte=self.end)
        return stops.in_epci(self.epci) if self.epci else stops

    def stop_filter(self, prefix: str) -> Q:
        query = Q(**{f"{prefix}date__gte": self.start, f"{prefix}date__lte": self.end})
        if self.epci:
            query &= Q(**{f"{prefix}commune__epci": self.epci})
        return query


def present_attendances(period: Period) -> QuerySet:
    return Attendance.objects.filter(
        period.stop_filter("registration__workshop__stop__"), present=True
    )


def individual_helps(period: Period) -> QuerySet:
    return IndividualHelp.objects.filter(period.stop_filter("stop__"))


def workshop_themes(themes: list[str], module_theme: str) -> list[str]:
    return themes or [str(value) for value in THEMES_FROM_MODULE_THEME[module_theme]]


def _stamp(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    # The project's time zone (no request ever activates another), read once and not through
    # timezone.localtime(), whose lookup of the active zone was a sixth of a year's export.
    return moment.astimezone(timezone.get_default_timezone()).strftime("%d/%m/%Y à %H:%M")


def _first_postal_code(codes: str | None) -> str:
    return (codes or "").replace(",", " ").split()[0] if (codes or "").strip() else ""


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


PLACE = ["place_name", "address", "commune__name", "commune__postal_codes", "commune__insee_code"]
PERSON = [
    "equipment",
    "autonomy",
    "redirection",
    "gender",
    "age_bracket",
    "situation",
    "recorded_at",
    "recorded_by__first_name",
    "recorded_by__last_name",
]


def _common(values: dict, *, place: str, home: str) -> dict:
    return {
        "registered": values["created"] or values["recorded_at"],
        "modified": values["recorded_at"],
        "first_name": values["recorded_by__first_name"] or "",
        "last_name": values["recorded_by__last_name"] or "",
        "place": [values[f"{place}{name}"] or "" for name in PLACE],
        "home": [
            values[f"{home}name"] or "",
            _first_postal_code(values[f"{home}postal_codes"]),
            values[f"{home}insee_code"] or "",
        ],
    }


def _row(*, date, kind, participants, place_type, common, minutes, title, values, themes, level):
    place_name, address, commune, postal_codes, insee = common["place"]
    registered, modified = common["registered"], common["modified"]
    operator = values["operator"]
    if values["autonomy"]:
        stars = coop.autonomy_stars(values["autonomy"])
    else:
        stars = coop.level_stars(level) if level else ""
    redirected = bool(values["redirection"])
    return [
        date,
        _stamp(registered),
        "" if registered == modified else _stamp(modified),
        common["first_name"],
        common["last_name"],
        coop.MEDIATOR_ROLE if common["first_name"] or common["last_name"] else "",
        "",
        coop.TYPE_ACTIVITE[kind],
        participants,
        coop.place_type(place_type),
        place_name,
        address,
        commune,
        _first_postal_code(postal_codes),
        insee,
        minutes,
        title,
        coop.equipment(values["equipment"]),
        "\n".join(coop.themes(themes)),
        operator,  # replaced by its label in activity_rows
        values["procedure_name"] or "",
        stars,
        (coop.YES if redirected else coop.NO) if kind == "Individuel" else "",
        coop.redirection(values["redirection"]),
        *common["home"],
        coop.gender(values["gender"]),
        coop.age_bracket(values["age_bracket"]),
        coop.situation(values["situation"]),
    ]


def _collective_rows(period: Period) -> Iterator[list]:
    workshop = "registration__workshop__"
    first_version = (
        AttendanceVersion.objects.filter(attendance=OuterRef("pk"))
        .order_by()
        .values("attendance")
        .annotate(first=Min("recorded_at"))
        .values("first")
    )
    rows = (
        present_attendances(period)
        .annotate(created=Subquery(first_version))
        .order_by(
            f"{workshop}stop__date",
            f"{workshop}start_time",
            f"{workshop}id",
            "registration__created_at",
            "pk",
        )
        .values(
            *PERSON,
            "created",
            f"{workshop}id",
            f"{workshop}stop__date",
            f"{workshop}start_time",
            f"{workshop}end_time",
            f"{workshop}themes",
            f"{workshop}procedure_name",
            f"{workshop}operator",
            f"{workshop}place_type",
            f"{workshop}module__title",
            f"{workshop}module__level",
            f"{workshop}module__theme",
            *(f"{workshop}stop__{name}" for name in PLACE),
            "registration__home_commune__name",
            "registration__home_commune__postal_codes",
            "registration__home_commune__insee_code",
        )
    )
    group: list[dict] = []
    for values in rows.iterator(chunk_size=CHUNK):
        if group and group[0][f"{workshop}id"] != values[f"{workshop}id"]:
            yield from _workshop_rows(group)
            group = []
        group.append(values)
    if group:
        yield from _workshop_rows(group)


def _workshop_rows(group: list[dict]) -> Iterator[list]:
    workshop = "registration__workshop__"
    first = group[0]
    themes = workshop_themes(first[f"{workshop}themes"], first[f"{workshop}module__theme"])
    workshop_id = str(uuid.uuid5(WORKSHOP_NAMESPACE, str(first[f"{workshop}id"])))
    for index, values in enumerate(group, start=1):
        values = values | {
            "operator": first[f"{workshop}operator"],
            "procedure_name": first[f"{workshop}procedure_name"],
        }
        yield [
            *_row(
                date=first[f"{workshop}stop__date"],
                kind="Collectif",
                participants=1 if len(group) == 1 else f"{index}/{len(group)}",
                place_type=first[f"{workshop}place_type"],
                common=_common(
                    values, place=f"{workshop}stop__", home="registration__home_commune__"
                ),
                minutes=_minutes(first[f"{workshop}start_time"], first[f"{workshop}end_time"]),
                title=first[f"{workshop}module__title"],
                values=values,
                themes=themes,
                level=first[f"{workshop}module__level"],
            ),
            workshop_id,
        ]


def _individual_rows(period: Period) -> Iterator[list]:
    rows = (
        individual_helps(period)
        .order_by("stop__date", "recorded_at", "pk")
        .values(
            *PERSON,
            "uuid",
            "stop__date",
            "minutes_spent",
            "themes",
            "procedure_name",
            "operator",
            "place_type",
            *(f"stop__{name}" for name in PLACE),
            "home_commune__name",
            "home_commune__postal_codes",
            "home_commune__insee_code",
        )
    )
    for values in rows.iterator(chunk_size=CHUNK):
        values["created"] = None
        yield [
            *_row(
                date=values["stop__date"],
                kind="Individuel",
                participants=1,
                place_type=values["place_type"],
                common=_common(values, place="stop__", home="home_commune__"),
                minutes=values["minutes_spent"],
                title="",
                values=values,
                themes=values["themes"],
                level="",
            ),
            str(values["uuid"]),
        ]


TAGS = coop.EXPORT_COLUMNS.index("Tags")


def activity_rows(period: Period) -> Iterator[list]:
    """The export's rows in date order, without its header (coop.EXPORT_COLUMNS)."""
    with translation.override("fr"):
        operators = {value: str(label) for value, label in Operator.choices}
    rows = heapq.merge(_collective_rows(period), _individual_rows(period), key=lambda row: row[0])
    for row in rows:
        if row[TAGS]:
            row[TAGS] = operators[row[TAGS]]
        yield row
