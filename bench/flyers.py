"""Flyer benchmark: how long a town hall waits for its flyer, and the whole Somme takes.

Every figure is printed next to the floor measured in the same run: WeasyPrint rendering a
minimal page with the flyer's stylesheet and fonts, warm. The machine is shared, so absolute
times drift from run to run; the ratios to the floor say how much the flyer itself costs.

Data: the 771 communes of the Somme, a tour of about four stops a week over three years
(two past, one to come) with three workshops each, in a throwaway SQLite database.
"""

import datetime as dt
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

FLOOR_HTML = '<!DOCTYPE html><html lang="fr"><body><p>Le numérique vient à vous</p></body></html>'
DEJAVU_FLOOR_HTML = FLOOR_HTML.replace("<body>", "<body style=\"font-family: 'DejaVu Sans'\">")
STOPS_PER_WEEK = 4
YEARS_PAST, YEARS_AHEAD = 2, 1
REPEATS = 30
BATCH_REPEATS = 3


def configure(folder: Path) -> None:
    """Point Django at a new SQLite file before anything imports the settings."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    os.environ.pop("MEDIATION_ENV", None)
    import django

    django.setup()


def timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def median_time(function, *, repeats: int = REPEATS, warm_up: int = 2) -> float:
    for _ in range(warm_up):
        function()
    return statistics.median(timed(function) for _ in range(repeats))


def interleaved(functions: dict, *, repeats: int) -> dict[str, float]:
    """Median time of each function, run in turns so that a busy neighbour on this shared
    machine slows them all alike (the ratios to the floor then hold)."""
    for function in functions.values():
        function()
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            times[name].append(timed(function))
    return {name: statistics.median(values) for name, values in times.items()}


def make_data() -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from mediation.demo import seed_branding, seed_modules
    from mediation.models import Commune, Stop, StopStatus
    from mediation.services import communes_import
    from sessions.models import Workshop

    call_command("migrate", verbosity=0)
    communes_import()
    seed_branding(site_name="Le Bus numérique")
    modules = seed_modules()
    rng = random.Random(80)
    communes = list(Commune.objects.order_by("insee_code"))
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday() + 7 * 52 * YEARS_PAST)
    slots = [(dt.time(9, 30), dt.time(12, 30)), (dt.time(14, 0), dt.time(17, 0))]
    places = ["Place de la mairie", "Parking de la salle des fêtes", "Place de l'église"]
    stops = []
    for week in range(52 * (YEARS_PAST + YEARS_AHEAD)):
        for weekday in range(1, 1 + STOPS_PER_WEEK):
            start, end = slots[(week + weekday) % 2]
            cancelled = rng.random() < 0.05
            stops.append(
                Stop(
                    commune=rng.choice(communes),
                    date=monday + dt.timedelta(weeks=week, days=weekday),
                    start_time=start,
                    end_time=end,
                    place_name=rng.choice(places),
                    address="1 rue de la Mairie",
                    status=StopStatus.CANCELLED if cancelled else StopStatus.CONFIRMED,
                    cancellation_reason="Véhicule en panne" if cancelled else "",
                )
            )
    with transaction.atomic():
        Stop.objects.bulk_create(stops, batch_size=500)
        workshops = []
        for stop in Stop.objects.all():
            begin = dt.datetime.combine(stop.date, stop.start_time)
            for number, module in enumerate(rng.sample(modules, 3)):
                workshops.append(
                    Workshop(
                        stop=stop,
                        module=module,
                        start_time=(begin + dt.timedelta(hours=number)).time(),
                        end_time=(begin + dt.timedelta(hours=number + 1)).time(),
                        capacity=1 if number == 2 else 8,
                    )
                )
        Workshop.objects.bulk_create(workshops, batch_size=500)
    return {"communes": len(communes), "stops": len(stops), "workshops": len(workshops)}


def render_pages_apart_and_merge(communes, period) -> bytes:
    """The alternative to one HTML document per batch: one PDF per page, merged with pypdf."""
    from io import BytesIO

    from pypdf import PdfWriter

    from cms.flyers import build_flyers, render_flyers
    from mediation.models import Branding

    branding = Branding.load()
    writer = PdfWriter()
    for flyer in build_flyers(communes, period=period):
        writer.append(BytesIO(render_flyers([flyer], branding=branding)))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-flyers-") as folder:
        configure(Path(folder))
        from django.core.management import call_command
        from django.db.models import Count

        from cms.flyers import (
            build_flyers,
            commune_flyer_pdf,
            epci_communes,
            epci_flyers_pdf,
            flyer_period,
            render_flyers,
        )
        from mediation.models import Commune, Epci
        from mediation.pdf import render_pdf

        volumes = make_data()
        setup_seconds = time.perf_counter() - started
        period = flyer_period(3)
        rows = []

        def floor_page():
            render_pdf(FLOOR_HTML, stylesheets=["cms/flyer.css"])

        cold = timed(floor_page)

        # Town halls of every kind: some with several stops ahead, some with none (their
        # flyer lists the nearest stops instead, one more query).
        visited = list(
            Commune.objects.filter(stops__date__gte=period.start, stops__date__lte=period.end)
            .distinct()
            .order_by("insee_code")[:5]
        )
        unvisited = list(Commune.objects.exclude(stops__date__gte=period.start)[:5])
        sample = visited + unvisited
        flyers = build_flyers(sample, period=period)
        turn = iter(range(10**9))

        def one_flyer():
            commune_flyer_pdf(sample[next(turn) % len(sample)], period=period)

        singles = interleaved(
            {
                "floor": floor_page,
                # What the font choice saves: the system's DejaVu Sans has some 6,000
                # glyphs, the flyer's Atkinson Hyperlegible (Latin subset) a few hundred.
                "dejavu": lambda: render_pdf(DEJAVU_FLOOR_HTML),
                "single": one_flyer,
                "data": lambda: build_flyers(sample[:1], period=period),
                "render": lambda: render_flyers(flyers[:1]),
            },
            repeats=REPEATS,
        )
        floor = singles["floor"]
        rows += [
            ("floor: minimal page, same fonts (warm)", floor, 1, floor),
            ("  the same, cold (first in the process)", cold, 1, floor),
            ("  the same in DejaVu Sans, the system's default font", singles["dejavu"], 1, floor),
            ("one commune's flyer (data + render)", singles["single"], 1, floor),
            ("  of which gathering the data", singles["data"], 1, floor),
            ("  of which rendering the PDF", singles["render"], 1, floor),
        ]

        epci = Epci.objects.annotate(size=Count("communes")).order_by("-size", "name")[8:9].get()
        communes = epci_communes(epci)
        batches = interleaved(
            {
                "floor": lambda: [floor_page() for _ in range(5)],
                "one": lambda: epci_flyers_pdf(epci, period=period),
                "merged": lambda: render_pages_apart_and_merge(communes, period),
            },
            repeats=BATCH_REPEATS,
        )
        floor = batches["floor"] / 5
        pages = len(communes)
        rows += [
            (f"EPCI batch, {pages} pages in one HTML document", batches["one"], pages, floor),
            ("EPCI batch, each page rendered apart, then merged", batches["merged"], pages, floor),
        ]

        output = Path(folder) / "flyers"
        before = median_time(floor_page, repeats=10)
        somme = timed(
            call_command,
            "generate_flyers",
            output=str(output),
            workers=2,
            verbosity=0,
            stdout=io.StringIO(),
        )
        floor = statistics.median([before, median_time(floor_page, repeats=10)])
        written = len(list(output.glob("*.pdf")))
        rows.append(
            (f"whole Somme: generate_flyers, 2 workers, {written} files", somme, written, floor)
        )

    print_report(rows, volumes, setup_seconds, time.perf_counter() - started)


def print_report(rows, volumes, setup_seconds, total_seconds) -> None:
    import weasyprint

    print()
    print("Flyer benchmark")
    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"{platform.platform(terse=True)}"
    )
    print(
        f"  data: {volumes['communes']} communes, {volumes['stops']} stops, "
        f"{volumes['workshops']} workshops (set up in {setup_seconds:.0f} s)"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  load average at the end (1, 5, 15 min): {load}, on a machine shared with others")
    print()
    print(f"  {'':<58} {'time':>9} {'× floor':>8} {'per page':>9} {'× floor':>8}")
    for label, seconds, pages, floor in rows:
        per_page = seconds / pages
        print(
            f"  {label:<58} {seconds * 1000:>7.0f}ms {seconds / floor:>8.1f}"
            + (f" {per_page * 1000:>7.0f}ms {per_page / floor:>8.1f}" if pages > 1 else "")
        )
    print()
    print(f"  Medians of {REPEATS} runs for single pages and of {BATCH_REPEATS} for EPCI batches,")
    print("  each run in turns with the floor; the whole Somme is timed once, between two")
    print(f"  measures of the floor. Total bench time: {total_seconds:.0f} s.")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
