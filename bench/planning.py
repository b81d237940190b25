"""Planning benchmark: generating a year of series for two vans, checking three years of stops.

Self-contained: a throwaway SQLite database in a temporary folder, the 771 communes of the
Somme, two vans with eight fortnightly series each (Tuesday to Friday, weeks A and B: four
stops a week per van, about 400 stops a year). Then the same series over three years (about
1,200 stops) for the conflict check, the planner's month and the dashboard's panel.

Run alone with `python -m bench.planning`, or with every benchmark through `python -m bench`.
"""

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

YEAR_START = dt.date(2027, 1, 4)
REPEATS = 5


def configure(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    os.environ.pop("MEDIATION_ENV", None)
    import django

    django.setup()


def measure(function, *, repeats: int = REPEATS):
    """(median seconds, queries of one run, the last result)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, result, queries = [], None, 0
    for _ in range(repeats):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries, result


def build_series(years: int) -> list:
    from mediation.models import Commune, RecurrenceRule, StopSeries, Van

    villages = list(Commune.objects.filter(population__lt=3000).order_by("insee_code"))
    bases = [Commune.objects.get(insee_code="80021"), Commune.objects.get(insee_code="80001")]
    end = YEAR_START.replace(year=YEAR_START.year + years) - dt.timedelta(days=1)
    # One mediator on both vans' first Tuesday series: a conflict every fortnight, to find.
    from django.contrib.auth import get_user_model

    ines, _created = get_user_model().objects.get_or_create(username="ines")
    series = []
    for number, base in enumerate(bases):
        van = Van.objects.create(name=f"Bus {number + 1}", home_base=base)
        for week in range(2):
            for weekday in range(1, 5):
                commune = villages[(number * 97 + week * 13 + weekday * 7) % len(villages)]
                one = StopSeries.objects.create(
                    van=van,
                    commune=commune,
                    place_name="Place de la mairie",
                    rule=RecurrenceRule.EVERY_N_WEEKS,
                    interval_weeks=2,
                    weekday=weekday,
                    start_date=YEAR_START + dt.timedelta(weeks=week),
                    end_date=end,
                )
                series.append(one)
                if week == 0 and weekday == 1:
                    one.mediators.add(ines)
    return series


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        configure(Path(folder))
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        from mediation.models import Stop, StopSeries, Van
        from mediation.planning.conflicts import find_conflicts, load_planned, upcoming_conflicts
        from mediation.planning.planner import month_bounds, planner_weeks
        from mediation.planning.series import series_generate, series_plan
        from mediation.services import communes_import

        communes_import()
        rows = []

        # One year, two vans.
        series = build_series(1)
        preview, preview_queries, plans = measure(
            lambda: [series_plan(s, today=YEAR_START) for s in series]
        )
        planned = sum(len(p.to_create) for p in plans)
        skipped = sum(len(p.skipped) for p in plans)
        started = time.perf_counter()
        for one in series:
            series_generate(series=one, today=YEAR_START)
        generate = time.perf_counter() - started
        year_stops = Stop.objects.count()
        regenerate, regenerate_queries, _ = measure(
            lambda: [series_plan(s, today=YEAR_START) for s in series]
        )
        rows += [
            (f"preview 16 series, one year ({planned} dates, {skipped} skipped)", preview,
             preview_queries),
            (f"generate them: {year_stops} stops written", generate, None),
            ("preview again once generated (compares with every stop)", regenerate,
             regenerate_queries),
        ]  # fmt: skip

        # Three years of the same tour (one mediator on both vans' first Tuesday series).
        Stop.objects.all().delete()
        StopSeries.objects.all().delete()
        Van.objects.all().delete()
        for one in build_series(3):
            series_generate(series=one, today=YEAR_START)
        total = Stop.objects.count()
        last = YEAR_START.replace(year=YEAR_START.year + 3)
        load, load_queries, planned_stops = measure(lambda: load_planned(YEAR_START, last))
        check, _none, conflicts = measure(lambda: find_conflicts(planned_stops))
        van = Van.objects.order_by("name").first()
        first, month_end = month_bounds(2028, 3)
        month, month_queries, _weeks = measure(
            lambda: planner_weeks(van=van, first=first, last=month_end)
        )
        today = YEAR_START + dt.timedelta(days=400)
        panel, panel_queries, upcoming = measure(lambda: upcoming_conflicts(today=today))
        rows += [
            (f"three years: load {total} stops with their mediators", load, load_queries),
            (f"find every conflict among them ({len(conflicts)} found)", check, 0),
            ("planner: one van's month (data, no HTML)", month, month_queries),
            (f"dashboard panel: the next 90 days' conflicts ({len(upcoming)})", panel,
             panel_queries),
        ]  # fmt: skip
        print(f"\nPlanning benchmark — {platform.processor() or platform.machine()}, "
              f"Python {sys.version.split()[0]}, {connection.vendor}")  # fmt: skip
        print("| what | median time | queries |\n| --- | ---: | ---: |")
        for label, seconds, queries in rows:
            shown = "" if queries is None else str(queries)
            print(f"| {label} | {seconds * 1000:,.0f} ms | {shown} |")


if __name__ == "__main__":
    main()
