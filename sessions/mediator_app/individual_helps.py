"""Individual helps recorded on a tablet (a resident at the van's door, outside any
workshop), offline too, and brought back in the same batches as attendance.

A help is written once: its UUID, made on the tablet, makes a replayed batch change nothing.
It carries no name, only what the national activity report counts.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from mediation.models import Commune, StopStatus
from sessions.mediator_app.records import (
    MAX_MINUTES,
    RecordRefused,
    _choice,
    _int,
    _text,
    _uuid,
    recorded_at_of,
)
from sessions.models import IndividualHelp
from sessions.vocabulary import (
    AgeBracket,
    Autonomy,
    Equipment,
    Gender,
    Operator,
    PlaceType,
    Redirection,
    Situation,
    Theme,
)

KIND = "individual_help"
MAX_THEMES = len(Theme.values)


@dataclass(frozen=True)
class HelpRecord:
    uuid: uuid.UUID
    recorded_at: dt.datetime
    stop_id: int
    minutes_spent: int
    themes: tuple[str, ...]
    procedure_name: str = ""
    operator: str = ""
    place_type: str = PlaceType.VAN
    autonomy: str = ""
    equipment: str = ""
    redirection: str = ""
    first_visit: bool | None = None
    age_bracket: str = ""
    situation: str = ""
    gender: str = Gender.NOT_SAID
    commune_code: str = ""


def help_parse(raw: dict, *, now: dt.datetime | None = None) -> HelpRecord:
    """Check an individual help's shape; raise RecordRefused with the reason if it is wrong."""
    record_uuid = _uuid(raw.get("uuid"), "invalid_uuid")
    # A help is dated by its stop, which the sync checks; only the clock's sense is checked here.
    recorded_at = recorded_at_of(raw, now=now, oldest=False)
    themes = raw.get("themes")
    if (
        not isinstance(themes, list)
        or not themes
        or len(themes) > MAX_THEMES
        or any(theme not in Theme.values for theme in themes)
    ):
        raise RecordRefused("invalid_themes")
    first_visit = raw.get("first_visit")
    if first_visit is not None and not isinstance(first_visit, bool):
        raise RecordRefused("invalid_first_visit")
    return HelpRecord(
        uuid=record_uuid,
        recorded_at=recorded_at,
        stop_id=_int(raw.get("stop"), "invalid_stop", minimum=1),
        minutes_spent=_int(
            raw.get("minutes_spent"), "invalid_minutes_spent", minimum=1, maximum=MAX_MINUTES
        ),
        themes=tuple(dict.fromkeys(themes)),
        procedure_name=_text(raw, "procedure_name", 200, "invalid_procedure_name"),
        operator=_choice(raw, "operator", Operator),
        place_type=_choice(raw, "place_type", PlaceType) or PlaceType.VAN,
        autonomy=_choice(raw, "autonomy", Autonomy),
        equipment=_choice(raw, "equipment", Equipment),
        redirection=_choice(raw, "redirection", Redirection),
        first_visit=first_visit,
        age_bracket=_choice(raw, "age_bracket", AgeBracket),
        situation=_choice(raw, "situation", Situation),
        gender=_choice(raw, "gender", Gender) or Gender.NOT_SAID,
        commune_code=_text(raw, "commune", 5, "invalid_commune"),
    )


def help_apply(*, record: HelpRecord, user, visible_stops) -> bool:
    """Write the help; False when it is already held (a replay). `visible_stops` are the
    stops this user may record at."""
    if IndividualHelp.objects.filter(uuid=record.uuid).exists():
        return False
    stop = visible_stops.filter(pk=record.stop_id).first()
    if stop is None:
        raise RecordRefused("forbidden")
    if stop.status == StopStatus.CANCELLED:
        raise RecordRefused("stop_cancelled")
    commune = None
    if record.commune_code:
        commune = Commune.objects.filter(insee_code=record.commune_code).first()
        if commune is None:
            raise RecordRefused("unknown_commune")
    IndividualHelp.objects.create(
        uuid=record.uuid,
        stop=stop,
        minutes_spent=record.minutes_spent,
        themes=list(record.themes),
        procedure_name=record.procedure_name,
        operator=record.operator,
        place_type=record.place_type,
        autonomy=record.autonomy,
        equipment=record.equipment,
        redirection=record.redirection,
        first_visit=record.first_visit,
        age_bracket=record.age_bracket,
        situation=record.situation,
        gender=record.gender,
        home_commune=commune,
        recorded_at=record.recorded_at,
        recorded_by=user,
    )
    return True
