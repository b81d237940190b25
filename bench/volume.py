"""Three years of a département's tour, generated in bulk on the database DATABASE_URL names.

`ensure_volume(scale)` builds the data once and reuses it while its marker (a version and the
scale, kept in a table of its own) matches; a different marker rebuilds the database from
scratch. Only a database whose name contains "bench" is ever wiped, so a mistyped
DATABASE_URL cannot cost anyone their development data.

Full scale is three real years of the Somme's service: about 6,045 stops (a third of them
ahead), 25,291 workshops, 144,193 registrations, 92,337 attendances and 36 tablets over the
771 imported communes. Small scale keeps the same shape at about a fiftieth, for CI.

Other benchmarks reuse it:

    from bench.volume import ensure_volume
    volume = ensure_volume("small")  # or "full"; Django is then set up on that database
"""

import datetime as dt
import os
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.volume_people import make_registrations

BASE_DIR = Path(__file__).resolve().parent.parent
# Bump when the generated data changes shape: every bench database is then rebuilt.
VERSION = 9
MARKER_TABLE = "bench_volume_marker"
BARE_INSERT_TABLE = "bench_bare_insert"
BENCH_PASSWORD = "bench-password-2026"
BENCH_ADMIN = "bench-admin"


@dataclass(frozen=True)
class Scale:
    name: str
    weeks_past: int
    weeks_ahead: int
    stops_per_week: float
    tablets: int
    vans: int


SCALES = {
    # 156 weeks, 38.75 stops a week (several vans, six days a week): 6,045 stops.
    # Seven vans: a day's six or seven stops in a slot are each in a van of their own.
    "full": Scale("full", weeks_past=108, weeks_ahead=48, stops_per_week=38.75, tablets=36, vans=7),
    "small": Scale("small", weeks_past=16, weeks_ahead=4, stops_per_week=6, tablets=6, vans=1),
}


@dataclass
class Volume:
    scale: str
    version: int
    communes: int = 0
    stops: int = 0
    upcoming_stops: int = 0
    workshops: int = 0
    registrations: int = 0
    anonymised: int = 0
    attendances: int = 0
    tablets: int = 0
    vans: int = 0
    built_seconds: float = 0.0
    reused: bool = False

    def marker(self) -> str:
        return f"v{self.version}:{self.scale}"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'bench.sqlite3'}"


def configure() -> None:
    """Point Django at the bench database before anything imports the settings."""
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    import django

    django.setup()


def _database_name(url: str) -> str:
    import dj_database_url

    return str(dj_database_url.parse(url)["NAME"])


def _recreate_database(url: str) -> None:
    """Start from an empty database: drop it (PostgreSQL) or remove its file (SQLite)."""
    name = _database_name(url)
    if "bench" not in Path(name).name:
        raise SystemExit(
            f"Refusing to rebuild the database {name!r}: its name must contain 'bench' "
            "(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/mediation_bench)."
        )
    from django.db import connections

    connections.close_all()
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    settings = connections["default"].settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _stored_marker() -> str | None:
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT marker FROM {MARKER_TABLE}")  # noqa: S608
            row = cursor.fetchone()
    except DatabaseError:
        connection.close()
        return None
    return row[0] if row else None


def ensure_volume(scale: str = "full", *, rebuild: bool = False) -> Volume:
    """The bench data at this scale, built unless the database already holds it."""
    import time

    configure()
    from django.core.management import call_command

    volume = Volume(scale=scale, version=VERSION)
    if not rebuild and _stored_marker() == volume.marker():
        volume.reused = True
        call_command("migrate", verbosity=0)  # a branch may add a migration: keep up
        _seed_logo()
        _analyze()
        _count(volume)
        return volume
    started = time.perf_counter()
    _recreate_database(database_url())
    call_command("migrate", verbosity=0)
    _generate(SCALES[scale])
    _ensure_side_tables(volume.marker())
    _analyze()
    volume.built_seconds = time.perf_counter() - started
    _count(volume)
    return volume


def _analyze() -> None:
    """Fresh planner statistics, and on PostgreSQL the tables as autovacuum keeps them.

    After bulk inserts, PostgreSQL's statistics are those of an empty database until
    autovacuum runs, and it picks nested loops that take minutes. VACUUM too: building the
    data updates most rows once (a registration's status, a workshop's seats), which leaves
    as many dead rows as live ones, and no visibility map, so index-only scans read the
    tables. Production's autovacuum clears both; a server where it is off (some CI and test
    machines) never does, and its uncached pages measured a third slower (12-13 % of the
    bare view instead of 17-19 %). Cheap when there is nothing to clear."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _ensure_side_tables(marker: str) -> None:
    from django.db import connection

    serial = "bigserial" if connection.vendor == "postgresql" else "integer"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_INSERT_TABLE} "
            f"(id {serial} PRIMARY KEY, note varchar(100) NOT NULL, created_at timestamp NOT NULL)"
        )
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (marker varchar(50) NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (marker) VALUES (%s)", [marker])  # noqa: S608


def _count(volume: Volume) -> None:
    from django.utils import timezone

    from mediation.models import Commune, Stop, Van
    from sessions.models import Attendance, Registration, Workshop
    from tablets.models import Tablet

    volume.communes = Commune.objects.count()
    volume.stops = Stop.objects.count()
    volume.upcoming_stops = Stop.objects.filter(date__gte=timezone.localdate()).count()
    volume.workshops = Workshop.objects.count()
    volume.registrations = Registration.objects.count()
    volume.anonymised = Registration.objects.filter(anonymised_at__isnull=False).count()
    volume.attendances = Attendance.objects.count()
    volume.tablets = Tablet.objects.count()
    volume.vans = Van.objects.count()


def _seed_logo() -> None:
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image
    from wagtail.models import Collection

    from mediation.models import Branding

    branding = Branding.load()
    if branding.logo_id:
        logo = branding.logo
        if logo.file.storage.exists(logo.file.name):
            # Copied with a checkout, the original came without the renditions another copy
            # made (the flyer's): their rows would send WeasyPrint to a missing file.
            for rendition in logo.renditions.all():
                if not rendition.file.storage.exists(rendition.file.name):
                    rendition.delete()
            return
        # Data reused from another checkout, whose media folder held the files: the flyers
        # would render without their logo. A new one, with renditions made here.
        branding.logo = None
        branding.save()
        logo.delete()
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    upload = BytesIO()
    PillowImage.new("RGB", (300, 120), "#00527a").save(upload, "PNG")
    branding.logo = Image.objects.create(
        title="Logo", file=ImageFile(upload, name="bench-logo.png"), width=300, height=120
    )
    branding.logo.get_rendition("height-64")  # the filter of templates/base.html
    branding.save()


def _generate(scale: Scale) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from cms.demo import seed_legal_pages, seed_site
    from mediation.demo import seed_accounts, seed_branding, seed_modules
    from mediation.services import communes_import

    communes_import()
    seed_branding(site_name="Le Bus numérique")
    home = seed_site(site_name="Le Bus numérique")
    # What the operator's header and footer show on every page, as in production: the
    # demo's three legal pages and a logo (its rendition made here, as the first visit would).
    seed_legal_pages(home=home)
    _seed_logo()
    seed_accounts()
    _make_crews(scale)
    user_model = get_user_model()
    admin = user_model.objects.filter(username=BENCH_ADMIN).first() or user_model(
        username=BENCH_ADMIN
    )
    admin.is_staff = admin.is_superuser = True
    admin.set_password(BENCH_PASSWORD)
    admin.save()
    for user in user_model.objects.filter(is_staff=True):
        user.set_password(BENCH_PASSWORD)
        user.save()
    modules = seed_modules()
    with transaction.atomic():
        vans = _make_vans(scale)
        stops = _make_stops(scale, vans, rng=random.Random(18))
        workshops = _make_workshops(stops, modules, rng=random.Random(19))
        tablets = _make_tablets(scale, vans)
        make_registrations(workshops, tablets, rng=random.Random(20))


def _make_vans(scale: Scale) -> list:
    """The fleet, based in the département's largest town (every stop belongs to a van)."""
    from mediation.models import Commune, Van

    base = Commune.objects.order_by("-population", "insee_code").first()
    return Van.objects.bulk_create(
        Van(name=f"Bus {number}", plate=f"GB-{number:03d}-SO", home_base=base)
        for number in range(1, scale.vans + 1)
    )


def _make_crews(scale: Scale) -> None:
    """A mediator for each van, as a tour is staffed: the demo's two and one more per van.

    Before (version 8), the demo's two mediators shared seven vans, each booked on three or
    four stops at once: the coordinators' dashboard found 1,276 double bookings in three
    months, and each mediator's calendar held half the tour.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from mediation.roles import MEDIATORS

    group = Group.objects.get(name=MEDIATORS)
    user_model = get_user_model()
    for number in range(group.user_set.count() + 1, scale.vans + 1):
        user, _ = user_model.objects.get_or_create(
            username=f"mediateur-bus-{number}",
            defaults={"first_name": "Médiateur", "last_name": f"Bus {number}", "is_staff": True},
        )
        user.groups.add(group)


def _make_stops(scale: Scale, vans: list, *, rng: random.Random) -> list:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from mediation.models import Commune, Stop, StopStatus

    communes = list(Commune.objects.order_by("insee_code"))
    # Most villages see the van now and then, small towns often; some never.
    visited = rng.sample(communes, k=int(len(communes) * 0.7))
    weights = [max(commune.population, 50) ** 0.5 for commune in visited]
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday(), weeks=scale.weeks_past)
    slots = [(dt.time(9, 30), dt.time(12, 30)), (dt.time(14, 0), dt.time(17, 0))]
    places = ["Place de la mairie", "Parking de la salle des fêtes", "Place de l'église"]
    stops, carry = [], 0.0
    for week in range(scale.weeks_past + scale.weeks_ahead):
        carry += scale.stops_per_week
        count, carry = int(carry), carry - int(carry)
        for index in range(count):
            day = monday + dt.timedelta(weeks=week, days=index % 6)
            start, end = slots[index % 2]
            cancelled = rng.random() < 0.04
            stops.append(
                Stop(
                    commune=rng.choices(visited, weights)[0],
                    # The stops of a day and slot are index, index + 6, …: one van each.
                    van=vans[index // 6 % len(vans)],
                    date=day,
                    start_time=start,
                    end_time=end,
                    place_name=rng.choice(places),
                    address="1 rue de la Mairie",
                    status=StopStatus.CANCELLED if cancelled else StopStatus.CONFIRMED,
                    cancellation_reason="Véhicule en panne" if cancelled else "",
                )
            )
    # The mediators' tablet shows today's stop: there is always one.
    stops.append(
        Stop(
            commune=visited[0],
            van=vans[0],
            date=today,
            start_time=dt.time(9, 0),
            end_time=dt.time(17, 30),
            place_name=places[0],
            status=StopStatus.CONFIRMED,
        )
    )
    stops = Stop.objects.bulk_create(stops, batch_size=2000)
    mediators = list(get_user_model().objects.filter(groups__name="Médiateurs").order_by("pk"))
    if mediators:
        through = Stop.mediators.through
        # Each van's stops are its own mediator's (_make_crews): nobody in two places at once.
        crew = {van.pk: mediators[index % len(mediators)] for index, van in enumerate(vans)}
        links = [through(stop_id=stop.pk, user_id=crew[stop.van_id].pk) for stop in stops[:-1]]
        links += [through(stop_id=stops[-1].pk, user_id=user.pk) for user in mediators]
        through.objects.bulk_create(links, batch_size=5000)
    return stops


def _make_workshops(stops: list, modules: list, *, rng: random.Random) -> list:
    from sessions.models import Workshop

    workshops = []
    for stop in stops:
        begin = dt.datetime.combine(stop.date, stop.start_time)
        # 4.18 workshops a stop on average: a group workshop an hour, an appointment or two.
        count = rng.choices([3, 4, 5], weights=[0.22, 0.38, 0.40])[0]
        for number, module in enumerate(rng.sample(modules, k=min(count, len(modules)))):
            starts = begin + dt.timedelta(minutes=40 * number)
            workshops.append(
                Workshop(
                    stop=stop,
                    module=module,
                    start_time=starts.time(),
                    end_time=(starts + dt.timedelta(hours=1)).time(),
                    capacity=1 if number >= 3 else 8,
                )
            )
    return Workshop.objects.bulk_create(workshops, batch_size=2000)


def _make_tablets(scale: Scale, vans: list) -> list:
    from tablets.models import Tablet

    tablets = [
        Tablet(
            asset_tag=f"TAB-{number:03d}",
            serial_number=f"SN-BENCH-{number:05d}",
            make="Samsung",
            model_name="Galaxy Tab A9",
            os_name="Android",
            os_version="14",
            purchase_date=dt.date(2024, 1, 15),
            warranty_end=dt.date(2027, 1, 15),
            van=vans[number % len(vans)],
        )
        for number in range(1, scale.tablets + 1)
    ]
    return Tablet.objects.bulk_create(tablets)


def describe(volume: Volume) -> str:
    fields = asdict(volume)
    return ", ".join(f"{key} {value}" for key, value in fields.items())
