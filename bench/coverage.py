"""Coverage benchmark: the back-office coverage report over the 771 communes and a year's tour.

Data: the 771 communes of the Somme, a year of stops (five a week, 5 % cancelled, in
communes drawn at random) with three workshops each, six registrations per workshop with
their attendance (residents from the stop's commune or a neighbour), and 150 requests for a
visit, in a throwaway SQLite database. The target: the whole page (figures, shaded map,
tables) renders in under a second.
"""

import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

STOPS_PER_WEEK = 5
REGISTRATIONS_PER_WORKSHOP = 6
REQUESTS = 150
REPEATS = 15
TARGET_SECONDS = 1.0


def configure(folder: Path) -> None:
    """Point Django at a new SQLite file before anything imports the settings."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    os.environ.pop("MEDIATION_ENV", None)
    import django

    django.setup()


def median_time(function, *, repeats: int = REPEATS) -> tuple[float, float]:
    function()  # warm: templates compiled, the base map projected once per process
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def make_data(year_start: dt.date) -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from mediation.demo import seed_branding, seed_modules
    from mediation.models import Commune, Stop, StopStatus
    from mediation.services import communes_import
    from sessions.models import Attendance, BusRequest, Registration, Workshop

    call_command("migrate", verbosity=0)
    communes_import()
    seed_branding(site_name="Le Bus numérique")
    modules = seed_modules()
    rng = random.Random(80)
    communes = list(Commune.objects.order_by("insee_code"))
    now = timezone.now()
    with transaction.atomic():
        stops = []
        for day in range(0, 365, 7):
            for weekday in range(STOPS_PER_WEEK):
                cancelled = rng.random() < 0.05
                stops.append(
                    Stop(
                        commune=rng.choice(communes),
                        date=year_start + dt.timedelta(days=day + weekday),
                        start_time=dt.time(9, 30),
                        end_time=dt.time(16, 30),
                        place_name="Place de la mairie",
                        status=StopStatus.CANCELLED if cancelled else StopStatus.CONFIRMED,
                    )
                )
        Stop.objects.bulk_create(stops, batch_size=500)
        workshops = [
            Workshop(
                stop=stop,
                module=module,
                start_time=dt.time(10 + number * 2, 0),
                end_time=dt.time(11 + number * 2, 0),
            )
            for stop in Stop.objects.all()
            for number, module in enumerate(rng.sample(modules, 3))
        ]
        Workshop.objects.bulk_create(workshops, batch_size=500)
        registrations = [
            Registration(
                workshop=workshop,
                first_name="Jeanine",
                phone=f"+336{number:08d}",
                home_commune=rng.choice(communes),
            )
            for number, workshop in enumerate(
                w for w in Workshop.objects.all() for _ in range(REGISTRATIONS_PER_WORKSHOP)
            )
        ]
        Registration.objects.bulk_create(registrations, batch_size=500)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    uuid=uuid.uuid4(),
                    registration=registration,
                    present=rng.random() < 0.85,
                    recorded_at=now,
                )
                for registration in Registration.objects.all()
            ],
            batch_size=500,
        )
        BusRequest.objects.bulk_create(
            [
                BusRequest(
                    commune=rng.choice(communes),
                    requester_kind="mairie",
                    contact_name="Secrétariat de mairie",
                    email="mairie@example.org",
                    consent_at=now,
                )
                for _ in range(REQUESTS)
            ]
        )
    return {
        "communes": len(communes),
        "stops": len(stops),
        "workshops": len(workshops),
        "attendances": len(registrations),
        "requests": REQUESTS,
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-coverage-") as folder:
        configure(Path(folder))
        from django.contrib.auth import get_user_model
        from django.db import connection, reset_queries
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from reports.coverage import coverage_report
        from reports.coverage_exports import export_xlsx

        year_start = dt.date(dt.date.today().year, 1, 1)
        year_end = dt.date(year_start.year, 12, 31)
        started = time.perf_counter()
        volumes = make_data(year_start)
        print(f"Coverage benchmark ({platform.python_version()}, {sys.platform})")
        print(f"data: {volumes} built in {time.perf_counter() - started:.1f} s")

        admin = get_user_model().objects.create_superuser("bench", password="bench")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(admin)
        period = {"start": year_start.isoformat(), "end": year_end.isoformat()}

        def page():
            response = client.get("/admin/couverture/", period)
            assert response.status_code == 200, response.status_code

        # DEBUG keeps the last 9,000 queries: full after building the data, so start afresh.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            coverage_report(start=year_start, end=year_end)
        figures = {
            "figures only (coverage_report)": median_time(
                lambda: coverage_report(start=year_start, end=year_end)
            ),
            "whole page (figures, shaded map, tables)": median_time(page),
            "XLSX export": median_time(
                lambda: export_xlsx(coverage_report(start=year_start, end=year_end)), repeats=5
            ),
        }
        print(f"{'what':<45} {'median':>9} {'max':>9}")
        for name, (median, worst) in figures.items():
            print(f"{name:<45} {median * 1000:>7.0f} ms {worst * 1000:>7.0f} ms")
        print(f"queries for the figures: {len(queries)}")
        page_median = figures["whole page (figures, shaded map, tables)"][0]
        verdict = "OK" if page_median < TARGET_SECONDS else "TOO SLOW"
        print(f"target: the page under {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
