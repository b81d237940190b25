"""The demo tour, planned the way a coordinator plans it: two vans, each with fortnightly series.

Public holidays and the year-end closure are skipped by the series themselves, so the demo
never has a stop on 25 December, 1 January or a Sunday. Deterministic (a fixed random seed);
skipped if a tour exists.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mediation.models import (
    ClosurePeriod,
    Commune,
    RecurrenceRule,
    SeriesWorkshop,
    Stop,
    StopSeries,
    StopStatus,
    TutorialModule,
    Van,
)
from mediation.planning.rules import OffDays
from mediation.planning.series import series_generate

TOUR_WEEKS = 12
PLACES = [
    ("Place de la mairie", "Devant la mairie"),
    ("Parking de la salle des fêtes", "À côté de la salle des fêtes"),
    ("Place de l’église", "Sur la place, face à l’église"),
]
MORNING = (dt.time(9, 30), dt.time(12, 30))
AFTERNOON = (dt.time(14, 0), dt.time(17, 0))
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = 1, 2, 3, 4

# (name, plate, INSEE code of its home base, mediator, weekdays, east of this longitude or west)
DEMO_VANS = [
    ("Bus numérique 1", "GA-801-BN", "80021", "mediatrice", (TUESDAY, THURSDAY, FRIDAY), "east"),
    ("Bus numérique 2", "GB-802-BN", "80001", "mediateur", (WEDNESDAY, FRIDAY), "west"),
]
# Amiens' longitude: the first van tours the east of the Somme, the second the west.
EAST_WEST_LONGITUDE = 2.3


@transaction.atomic
def seed_tour(*, today: dt.date | None = None) -> list[Stop]:
    """Two vans, fortnightly series of village stops for 12 weeks; skipped if a tour exists."""
    if Stop.objects.exists():
        return []
    today = today or timezone.localdate()
    rng = random.Random(80)
    # Villages rather than the big towns, which have their own France Services.
    villages = list(Commune.objects.filter(population__lt=3000).order_by("insee_code"))
    if not villages:
        return []
    users = {user.username: user for user in get_user_model().objects.all()}
    modules = list(TutorialModule.objects.active().order_by("slug"))
    end = today + dt.timedelta(weeks=TOUR_WEEKS) - dt.timedelta(days=1)
    ClosurePeriod.objects.get_or_create(
        label="Fermeture de fin d’année",
        start_date=dt.date(today.year, 12, 24),
        end_date=dt.date(today.year + 1, 1, 2),
    )
    monday = today - dt.timedelta(days=today.weekday())
    stops: list[Stop] = []
    for name, plate, base_code, username, weekdays, side in DEMO_VANS:
        base = Commune.objects.filter(insee_code=base_code).first() or villages[0]
        van, _created = Van.objects.get_or_create(
            name=name, defaults={"plate": plate, "home_base": base, "tablets_carried": 6}
        )
        east = [c for c in villages if float(c.longitude) >= EAST_WEST_LONGITUDE]
        pool = east if side == "east" else [c for c in villages if c not in east]
        pool = pool or villages
        for week in range(2):
            for index, weekday in enumerate(weekdays):
                place, directions = PLACES[rng.randrange(len(PLACES))]
                start, finish = (MORNING, AFTERNOON)[(week + index) % 2]
                series = StopSeries.objects.create(
                    van=van,
                    commune=rng.choice(pool),
                    place_name=place,
                    directions=directions,
                    rule=RecurrenceRule.EVERY_N_WEEKS,
                    interval_weeks=2,
                    weekday=weekday,
                    start_date=monday + dt.timedelta(weeks=week),
                    end_date=end,
                    start_time=start,
                    end_time=finish,
                )
                if username in users:
                    series.mediators.add(users[username])
                # One series shows workshops planned with the series itself; the others get
                # theirs from the demo's workshops step.
                if week == 1 and index == 0 and len(modules) >= 2:
                    middle = (dt.datetime.combine(today, start) + dt.timedelta(hours=1)).time()
                    SeriesWorkshop.objects.create(
                        series=series,
                        module=modules[0],
                        start_time=start,
                        end_time=middle,
                        capacity=8,
                    )
                    SeriesWorkshop.objects.create(
                        series=series,
                        module=modules[1],
                        start_time=(
                            dt.datetime.combine(today, start) + dt.timedelta(hours=1)
                        ).time(),
                        end_time=finish,
                        capacity=6,
                    )
                series_generate(series=series, today=today)
    stops = list(Stop.objects.order_by("date", "start_time"))
    # The mediators' tablet shows today's stop: give them one to try, on a working day.
    if stops and not any(stop.date == today for stop in stops) and _working_day(today):
        first_van = Van.objects.order_by("name").first()
        stop = Stop.objects.create(
            van=first_van,
            commune=first_van.home_base,
            date=today,
            start_time=dt.time(9, 30),
            end_time=dt.time(17, 0),
            place_name=PLACES[0][0],
            directions=PLACES[0][1],
            status=StopStatus.CONFIRMED,
        )
        stop.mediators.add(*[users[u] for u in ("mediatrice", "mediateur") if u in users])
        stops.insert(0, stop)
    # The first four weeks are confirmed; later ones still planned.
    Stop.objects.filter(date__lt=today + dt.timedelta(weeks=4)).update(status=StopStatus.CONFIRMED)
    # The demo's cancelled stop is cancelled with its workshops (sessions.demo), through the
    # same service as in the back office.
    return stops


def _working_day(day: dt.date) -> bool:
    return day.weekday() < 6 and OffDays(day, day).why(day) is None
