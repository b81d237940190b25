"""Figures benchmark: the activity export and the statistics page at three years' volume.

Data: the 771 communes of the Somme; three years (2024-2026) of about a thousand stops with
five workshops each, up to 20 sign-ups per workshop, 85 % present, plus individual helps:
about 100,000 attendance records, in a throwaway SQLite database.

Peak memory is measured in a fresh process per task (the peak resident size, VmHWM, of a
child that does only that task), next to the same process reading the same rows from the
database and doing nothing with them: the difference is what writing the file costs.
"""

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

YEARS = (2024, 2025, 2026)
# BENCH_REPORTS_STOPS=10 makes a quick check of the benchmark itself, not a measure.
STOPS_PER_YEAR = int(os.environ.get("BENCH_REPORTS_STOPS", 340))
WORKSHOPS_PER_STOP = 5
SIGNUPS = (14, 20)
PRESENT_RATE = 0.85
INDIVIDUAL_HELPS_PER_STOP = (5, 15)


def configure(folder: Path) -> None:
    """Point Django at a SQLite file in `folder` before anything imports the settings."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    os.environ.pop("MEDIATION_ENV", None)
    import django

    django.setup()


def make_data() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from mediation.models import Commune, StopStatus, TutorialModule
    from mediation.services import communes_import
    from sessions.models import (
        AgeBracket,
        Attendance,
        Autonomy,
        Equipment,
        Gender,
        IndividualHelp,
        Redirection,
        Registration,
        Situation,
        Stop,
        Workshop,
    )
    from sessions.vocabulary import Theme

    call_command("migrate", verbosity=0)
    communes_import()
    rng = random.Random(14)
    communes = list(Commune.objects.all())
    mediator = get_user_model().objects.create_user("ines", first_name="Inès", last_name="M")
    modules = [
        TutorialModule.objects.create(
            title=f"Module {n}", slug=f"module-{n}", goal="-", theme=theme, level=level
        )
        for n, (theme, level) in enumerate(
            [
                ("demarches", "beginner"),
                ("argent_impots", "beginner"),
                ("social_sante", "intermediate"),
                ("email", "beginner"),
                ("securite", "intermediate"),
                ("navigation", "beginner"),
            ]
        )
    ]
    stops = []
    for year in YEARS:
        days = sorted(rng.sample(range(365), STOPS_PER_YEAR))
        for day in days:
            stops.append(
                Stop(
                    commune=rng.choice(communes),
                    date=dt.date(year, 1, 1) + dt.timedelta(days=day),
                    start_time=dt.time(9),
                    end_time=dt.time(17),
                    place_name="Place de la mairie",
                    status=StopStatus.CANCELLED if rng.random() < 0.04 else StopStatus.CONFIRMED,
                )
            )
    Stop.objects.bulk_create(stops, batch_size=500)
    stops = list(Stop.objects.exclude(status=StopStatus.CANCELLED))
    workshops = [
        Workshop(
            stop=stop,
            module=rng.choice(modules),
            start_time=dt.time(9 + 2 * n),
            end_time=dt.time(10 + 2 * n, 30),
            capacity=20,
            seats_taken=rng.randint(*SIGNUPS),
        )
        for stop in stops
        for n in range(WORKSHOPS_PER_STOP)
    ]
    Workshop.objects.bulk_create(workshops, batch_size=1000)
    registrations = []
    for workshop in Workshop.objects.select_related("stop").iterator():
        for _n in range(workshop.seats_taken):
            registrations.append(
                Registration(
                    workshop=workshop, first_name="Prénom", home_commune=rng.choice(communes)
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)
    now = timezone.now()

    def person() -> dict:
        return {
            "autonomy": rng.choice(["", *Autonomy.values]),
            "equipment": rng.choice(["", *Equipment.values]),
            "redirection": rng.choice(["", "", "", *Redirection.values]),
            "first_visit": rng.random() < 0.3,
            "age_bracket": rng.choice(["", *AgeBracket.values]),
            "situation": rng.choice(["", *Situation.values]),
            "gender": rng.choice(Gender.values),
            "recorded_at": now,
            "recorded_by": mediator,
        }

    attendances = [
        Attendance(
            uuid=uuid.uuid4(), registration_id=pk, present=rng.random() < PRESENT_RATE, **person()
        )
        for pk in Registration.objects.values_list("pk", flat=True).iterator()
    ]
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    helps = [
        IndividualHelp(
            uuid=uuid.uuid4(),
            stop=stop,
            minutes_spent=rng.choice([10, 15, 20, 30, 45, 60]),
            themes=rng.sample(Theme.values, 2),
            home_commune=rng.choice(communes),
            **person(),
        )
        for stop in stops
        for _n in range(rng.randint(*INDIVIDUAL_HELPS_PER_STOP))
    ]
    IndividualHelp.objects.bulk_create(helps, batch_size=2000)
    return {
        "stops": len(stops),
        "workshops": len(workshops),
        "attendances": len(attendances),
        "individual_helps": len(helps),
    }


# --- Tasks, each run in a fresh process --------------------------------------------------


def _period(years: str):
    from reports.activity import Period

    first, last = years.split("-")
    return Period(dt.date(int(first), 1, 1), dt.date(int(last), 12, 31))


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process: unlike ru_maxrss, the peak starts afresh
    with the new program (ru_maxrss would carry the parent's size over fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def task(name: str, years: str, folder: Path) -> dict:
    from reports.activity import (
        _collective_rows,
        _individual_rows,
        activity_rows,
        individual_helps,
        present_attendances,
    )
    from reports.exports import write_activity_csv, write_activity_xlsx

    period = _period(years)
    baseline = memory_mb("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = 0
    if name == "read":
        # The same rows and columns, read from the database and thrown away.
        for queryset in (present_attendances(period), individual_helps(period)):
            for _row in queryset.values().iterator(chunk_size=2000):
                rows += 1
    elif name == "rows":
        rows = sum(1 for _row in activity_rows(period))
    elif name == "xlsx":
        rows = write_activity_xlsx(period, folder / f"export-{years}.xlsx")
    elif name == "csv":
        with open(folder / f"export-{years}.csv", "w", encoding="utf-8", newline="") as file:
            rows = write_activity_csv(period, file)
    elif name == "xlsx_in_memory":
        # The naive way, for contrast: every row in a list, then an ordinary workbook.
        from openpyxl import Workbook

        everything = list(_collective_rows(period)) + list(_individual_rows(period))
        workbook = Workbook()
        for row in everything:
            workbook.active.append(row)
        workbook.save(folder / f"naive-{years}.xlsx")
        rows = len(everything)
    elapsed = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": elapsed,
        "cpu_seconds": time.process_time() - cpu_started,
        "baseline_mb": baseline,
        "peak_mb": memory_mb("VmHWM"),
    }


def run_task(name: str, years: str, folder: Path) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.reports", "--task", name, years, str(folder)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def statistics_page_times(year: int, repeats: int = 7) -> dict:
    """Median wall and CPU time of the statistics page for a year (and of its figures alone).

    CPU time (this process, SQLite included since it runs in-process) is what the page costs;
    wall time also counts waiting for a core, which on this shared machine is most of it.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from reports.activity import Period
    from reports.statistics import figures_for
    from reports.views import statistics as statistics_view

    user = get_user_model().objects.create_superuser("claire", password="-")
    query = {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    period = Period(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def page():
        request = RequestFactory().get("/admin/rapports/", query)
        request.user = user
        return statistics_view(request).render()

    def timed(function) -> tuple[float, float]:
        walls, cpus = [], []
        for _n in range(repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        return statistics.median(walls), statistics.median(cpus)

    page()
    with CaptureQueriesContext(connection) as captured:
        page()
    page_wall, page_cpu = timed(page)
    figures_wall, figures_cpu = timed(lambda: figures_for(period))
    return {
        "page_wall": page_wall,
        "page_cpu": page_cpu,
        "figures_wall": figures_wall,
        "figures_cpu": figures_cpu,
        "queries": len(captured),
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as name:
        folder = Path(name)
        configure(folder)
        started = time.perf_counter()
        volume = make_data()
        print(f"Figures benchmark: data made in {time.perf_counter() - started:.0f} s: {volume}")
        times = statistics_page_times(2025)
        print(
            f"  statistics page for 2025 ({times['queries']} queries): "
            f"{times['page_cpu'] * 1000:.0f} ms CPU, {times['page_wall'] * 1000:.0f} ms wall; "
            f"figures alone {times['figures_cpu'] * 1000:.0f} ms CPU, "
            f"{times['figures_wall'] * 1000:.0f} ms wall (load average {os.getloadavg()[0]:.1f})"
        )
        print("  task           years       rows   CPU     wall    RSS before → peak")
        for years in ("2026-2026", "2024-2026"):
            for task_name in ("read", "rows", "csv", "xlsx", "xlsx_in_memory"):
                result = run_task(task_name, years, folder)
                print(
                    f"  {task_name:<14} {years}  {result['rows']:>7}  "
                    f"{result['cpu_seconds']:5.1f} s {result['seconds']:5.1f} s"
                    f"  {result['baseline_mb']:5.0f} → {result['peak_mb']:5.0f} MB"
                )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--task":
        configure(Path(sys.argv[4]))
        print(json.dumps(task(sys.argv[2], sys.argv[3], Path(sys.argv[4]))))
    else:
        main()
