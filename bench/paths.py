"""Every public page, feed, flyer, write and back-office list at volume, against floors.

`python -m bench paths` (or `make bench`): builds or reuses three years of data on the
database DATABASE_URL names (bench/volume.py), starts two gunicorn servers in production mode
with 2 workers each, one with the tour cache and one without, and measures, in turns and
several times over: throughput for pages and sign-ups (4 client threads for a fixed time),
times for feeds, flyers, the tablet's day, the sync and the back-office lists. The floors are
measured in the same turns behind the same middleware: a bare view rendering a small
template, a bare insert, a flyer's own HTML through WeasyPrint. On PostgreSQL, a reference
beside the sign-up: the least a sign-up could cost (bench/signup_ceiling.py, no form, every
write in one statement), so that its target can be read against what is in reach.
BENCH_SCALE=small runs the same in well under a minute (CI); only a full run rewrites
docs/benchmarks.md.
BENCH_CASES=signup,sync measures only the cases whose key starts with one of those names (and
their floors), and then leaves docs/benchmarks.md alone, as BENCH_WRITE_DOCS=0 does.
"""

import datetime as dt
import itertools
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench import report
from bench.http import (
    PORTS,
    WORKERS,
    Client,
    Server,
    collect_static,
    empty_bench_cache,
    production_env,
    throughput,
)
from bench.volume import (
    BARE_INSERT_TABLE,
    BENCH_ADMIN,
    BENCH_PASSWORD,
    describe,
    ensure_volume,
)

# Full: 3 turns of 2 s per throughput case; small: 1 turn of 0.4 s.
TURNS = {"full": 3, "small": 1}
SECONDS = {"full": 2.0, "small": 0.4}
REPEATS = {"full": 7, "small": 2}
CLIENTS = 4
SIGNUP_PHONE_PREFIX = "+33699"


@dataclass
class Case:
    key: str
    label: str
    kind: str  # "rate" (requests per second) or "time" (seconds per request)
    run: object  # callable: () -> float
    floor: str = ""
    values: list[float] = field(default_factory=list)


@dataclass
class Targets:
    busy: str
    quiet: str
    stop: int
    workshops: list[int]
    today_stop: int


def pick_targets() -> Targets:
    from django.db.models import Count, Q
    from django.utils import timezone

    from mediation.models import Commune, Stop, StopStatus
    from sessions.models import Workshop

    today = timezone.localdate()
    coming = Q(stops__date__gte=today)
    busy = (
        Commune.objects.annotate(n=Count("stops", filter=coming))
        .order_by("-n", "insee_code")
        .first()
    )
    quiet = Commune.objects.exclude(stops__date__gte=today).order_by("insee_code").first()
    stop = Stop.objects.upcoming(today).not_cancelled().filter(workshops__isnull=False).first()
    workshops = list(
        Workshop.objects.filter(stop__date__gt=today + timezone.timedelta(days=2))
        .exclude(stop__status=StopStatus.CANCELLED)
        .filter(signup_opens_at__isnull=True, signup_closes_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    today_stop = Stop.objects.filter(date=today).order_by("-pk").first()
    return Targets(busy.slug, quiet.slug, stop.pk, workshops, today_stop.pk if today_stop else 0)


def admin_pages() -> list[tuple[str, str]]:
    """Every screen of this project's back office as the bench's administrator sees it
    (label, path), but the statistics, measured for a year below."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from mediation.backoffice_screens import back_office_screens

    statistics = reverse("reports_admin:statistics")
    administrator = get_user_model().objects.get(username=BENCH_ADMIN)
    return [
        (report.ADMIN_LABELS.get(path, label), path)
        for label, path in back_office_screens(administrator)
        if path != statistics
    ]


def _letters(number: int) -> str:
    """A name made of letters only (the form refuses digits): 0 → a, 27 → bb."""
    text = ""
    while True:
        number, rest = divmod(number, 26)
        text = "abcdefghijklmnopqrstuvwxyz"[rest] + text
        if not number:
            return text.capitalize()


def _signup_data(number: int, token: str) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "first_name": "Josiane",
        "last_name": "Banc-" + _letters(number),
        "phone": f"{SIGNUP_PHONE_PREFIX}{number:06d}",
        "email": "",
        "home_commune": "Amiens",
        "needs": "",
        "waiting_list_ok": "on",
        "consent": "on",
        "website": "",
    }


def _address(number: int) -> str:
    """A distinct client address per sign-up, so that the rate limit never trips."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def build_cases(cached: Server, uncached: Server, targets: Targets, scale: str) -> list[Case]:
    from django.db import connection
    from django.urls import reverse

    seconds, repeats = SECONDS[scale], REPEATS[scale]
    fresh, warm = cached.port, uncached.port
    anonymous = {port: Client(port) for port in (fresh, warm)}

    def rate(port: int, path: str):
        client = Client(port)

        def run() -> float:
            # Fill the cache where there is one (a sign-up in the turn may have made it stale).
            for _ in range(WORKERS):
                client.get(path)
            return throughput(
                lambda _n: client.get(path), clients=CLIENTS, seconds=seconds
            ).per_second

        return run

    addresses = itertools.count(10**6)

    def timed(
        port: int,
        path: str,
        client: Client | None = None,
        status: int = 200,
        *,
        warmups: int = 2 * WORKERS,
        times: int | None = None,
    ):
        client = client or anonymous[port]

        def run() -> float:
            # Each request from its own address: the rate limits of flyers and feeds are per
            # client, and a bench is not one town hall printing a hundred flyers.
            def get():
                return client.get(path, **{"X-Forwarded-For": _address(next(addresses))})

            for _ in range(warmups):  # both workers warm (WeasyPrint), the cache filled
                get()
            answers = [get() for _ in range(times or repeats)]
            if any(answer.status != status for answer in answers):
                raise RuntimeError(f"{path}: {[answer.status for answer in answers]}")
            return sorted(answer.seconds for answer in answers)[len(answers) // 2]

        return run

    signer = Client(warm)
    token = signer.form_token(reverse("workshops:signup", args=[targets.workshops[0]]))
    # Each call numbers its sign-ups on from the last one's: throughput() counts from 0 every
    # time, and the same numbers again would be the same phones on the same workshops, every
    # sign-up of the second turn refused as a duplicate (and counted as an error).
    numbering = {"next": random.Random().randrange(10**5)}

    def signups_to(address: Callable[[int], str]) -> Callable[[], float]:
        """Sign-ups POSTed to `address(workshop)` for a throughput case. A sign-up refused
        (or a reference that fails) counts for nothing, so any refusal stops the bench."""

        def run() -> float:
            offset = numbering["next"]
            numbering["next"] += 20_000

            def one(number: int):
                number += offset
                workshop = targets.workshops[number % len(targets.workshops)]
                return signer.post(
                    address(workshop),
                    _signup_data(number, token),
                    **{"X-Forwarded-For": _address(number)},
                )

            result = throughput(one, clients=CLIENTS, seconds=seconds, ok=(302, 303))
            if result.errors:
                raise RuntimeError(f"{address(0)}: {result.errors} sign-ups refused")
            return result.per_second

        return run

    signups = signups_to(lambda workshop: reverse("workshops:signup", args=[workshop]))
    # The least a sign-up could cost (bench/signup_ceiling.py), on the same workshops.
    ceiling_signups = signups_to(lambda workshop: f"/_bench/signup-ceiling/{workshop}/")

    def bare_inserts() -> float:
        return throughput(
            lambda n: signer.post(
                "/_bench/insert/", {"csrfmiddlewaretoken": token, "note": str(n)}
            ),
            clients=CLIENTS,
            seconds=seconds,
            ok=(302,),
        ).per_second

    commune = reverse("cms:commune", kwargs={"slug": targets.busy})
    quiet = reverse("cms:commune", kwargs={"slug": targets.quiet})
    stop = reverse("cms:stop", kwargs={"pk": targets.stop})
    carte, feed, sitemap = reverse("cms:map"), reverse("cms:feed"), reverse("cms:sitemap")
    flyer = reverse("cms:commune_flyer", kwargs={"slug": targets.quiet})
    cases = [
        Case("bare", "floor: bare view, small template", "rate", rate(warm, "/_bench/bare/")),
        Case("insert", "floor: bare insert (POST, CSRF)", "rate", bare_inserts),
        Case("signup", "sign-up (POST, distinct clients)", "rate", signups, "insert"),
    ]
    if connection.vendor == "postgresql":  # its one statement is PostgreSQL's SQL
        cases.append(
            Case(
                "signup-ceiling",
                "reference: the least a sign-up could cost (no form, one statement)",
                "rate",
                ceiling_signups,
                "insert",
            )
        )
    for key, label, path in [
        ("commune", "commune page, busy", commune),
        ("quiet", "commune page, no stop", quiet),
        ("home", "home page", "/"),
        ("stop", "stop page", stop),
        ("map", "map `/carte/`", carte),
    ]:
        cases.append(Case(f"{key}-cached", f"{label}, cached", "rate", rate(fresh, path), "bare"))
        cases.append(Case(f"{key}-fresh", f"{label}, uncached", "rate", rate(warm, path), "bare"))
    flyer_floor = f"/_bench/flyer-floor/?commune={targets.quiet}"
    cases += [
        Case("feed-fresh", "whole-tour feed `/agenda.ics`, uncached", "time", timed(warm, feed)),
        Case("feed-cached", "whole-tour feed, cached", "time", timed(fresh, feed)),
        Case("sitemap-fresh", "`/sitemap.xml`, uncached", "time", timed(warm, sitemap)),
        Case("sitemap-cached", "`/sitemap.xml`, cached", "time", timed(fresh, sitemap)),
        Case(
            "flyer-floor",
            "floor: the flyer's HTML through WeasyPrint",
            "time",
            timed(warm, flyer_floor),
        ),
        Case(
            "flyer-fresh",
            "flyer, commune without a stop, uncached",
            "time",
            timed(warm, flyer),
            "flyer-floor",
        ),
        Case("flyer-cached", "flyer, cached", "time", timed(fresh, flyer), "flyer-floor"),
    ]
    staff = Client(warm)
    staff.log_in(reverse("wagtailadmin_login"), BENCH_ADMIN, BENCH_PASSWORD)
    cases.append(Case("dashboard", "back office: dashboard", "time", timed(warm, "/admin/", staff)))
    for label, path in admin_pages():
        cases.append(
            Case(f"admin:{path}", f"back office: {label}", "time", timed(warm, path, staff))
        )
    # The reports of a year (the last 365 days): the statistics page, and the activity export
    # that funders get, which the task worker builds (seconds long, so once a turn after one
    # warm-up); the request that asks for it only queues it.
    today = dt.date.today()
    year = urlencode({"start": today - dt.timedelta(days=364), "end": today})
    cases += [
        Case(
            "statistics",
            "back office: statistics of a year",
            "time",
            timed(warm, f"{reverse('reports_admin:statistics')}?{year}", staff),
        ),
        Case(
            "export-xlsx",
            "worker: activity export of a year (XLSX), built and stored",
            "time",
            _export_built(today - dt.timedelta(days=364), today),
        ),
        Case(
            "export-report",
            "worker: activity report of a year (PDF), built and stored",
            "time",
            _export_built(today - dt.timedelta(days=364), today, kind="report", fmt="pdf"),
        ),
        Case(
            "export-flyers",
            "worker: the largest intercommunality's flyers, 3 months (PDF), built and stored",
            "time",
            _export_built(
                today, _three_months_on(today), kind="flyers", fmt="pdf", epci=_largest_epci()
            ),
        ),
    ]
    mediator = Client(warm)
    mediator.log_in(reverse("mediator_app:login"), "mediatrice", BENCH_PASSWORD)
    cases.append(
        Case(
            "tablet-day",
            "tablet: the day's roster (JSON)",
            "time",
            timed(warm, reverse("mediator_app:day"), mediator),
        )
    )
    cases.append(
        Case(
            "private-feed",
            "a mediator's private calendar (her stops from two months ago on)",
            "time",
            timed(warm, _private_feed_path("mediatrice")),
        )
    )
    cases += report.sync_cases(warm, mediator, targets, repeats)
    return cases


def _largest_epci():
    from django.db.models import Count

    from mediation.models import Epci

    return Epci.objects.annotate(size=Count("communes")).order_by("-size", "name").first()


def _three_months_on(today: dt.date) -> dt.date:
    from cms.flyers import flyer_period

    return flyer_period(3, today=today).end


def _export_built(
    start: dt.date, end: dt.date, *, kind: str = "activities", fmt: str = "xlsx", epci=None
):
    """What the worker does for a coordinator's file (`export_build`), in this process: the
    file written and stored in its row. The row is deleted afterwards."""
    from django.contrib.auth import get_user_model

    from reports.models import PreparedExport
    from reports.services import export_build

    def build() -> float:
        # A kept file made from the same document would be copied, not rendered
        # (reports/services.py): none is left by an earlier, interrupted run.
        PreparedExport.objects.filter(requested_by__username=BENCH_ADMIN, kind=kind).delete()
        export = PreparedExport.objects.create(
            requested_by=get_user_model().objects.get(username=BENCH_ADMIN),
            kind=kind,
            fmt=fmt,
            start=start,
            end=end,
            epci=epci,
        )
        began = time.perf_counter()
        status = export_build(export_id=str(export.pk))
        seconds = time.perf_counter() - began
        export.delete()
        if status != "ready":
            raise RuntimeError(f"the export ended {status}")
        return seconds

    build()  # warm-up
    return build


def _private_feed_path(username: str) -> str:
    """A new secret address for the mediator (it revokes the one of the previous run)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from mediation.planning.feeds import private_feed_create

    _feed, token = private_feed_create(user=get_user_model().objects.get(username=username))
    return reverse("private_feed", kwargs={"token": token})


def clean_up(started_at) -> None:
    """Take back the sign-ups the bench made, so that the next run meets the same data."""
    from django.db import connection
    from django.db.models import Count, Q
    from django_tasks_db.models import DBTaskResult

    from sessions.messaging import send_outbound_messages
    from sessions.models import Registration, Workshop

    made = Registration.objects.filter(phone__startswith=SIGNUP_PHONE_PREFIX)
    touched = set(made.values_list("workshop_id", flat=True))
    made.delete()  # their messages with them
    # The delivery tasks the sign-ups queued: their messages are gone, and a worker started
    # on this database later would pick up every one of them.
    DBTaskResult.objects.filter(
        enqueued_at__gte=started_at, task_path=send_outbound_messages.module_path
    ).delete()
    report.clean_up_sync(started_at)
    # The bare insert's rows: its table would otherwise grow by tens of thousands a run.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {BARE_INSERT_TABLE}")  # noqa: S608
    for workshop in Workshop.objects.filter(pk__in=touched).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    ):
        Workshop.objects.filter(pk=workshop.pk).update(
            seats_taken=min(workshop.confirmed, workshop.capacity)
        )


def selected(cases: list[Case], wanted: str) -> list[Case]:
    """The cases BENCH_CASES names (comma-separated keys or key prefixes: "signup,sync" takes
    the sign-up and every sync case), with the floors they are compared with; all when empty."""
    prefixes = [name.strip() for name in wanted.split(",") if name.strip()]
    if not prefixes:
        return cases
    chosen = {case.key for case in cases if any(case.key.startswith(p) for p in prefixes)}
    chosen |= {case.floor for case in cases if case.key in chosen and case.floor}
    return [case for case in cases if case.key in chosen]


def main(argv: list[str] | None = None) -> None:
    scale = os.environ.get("BENCH_SCALE", "full")
    started = time.perf_counter()
    volume = ensure_volume(scale)
    print(f"bench paths: data ready ({describe(volume)})", flush=True)
    from django.db import connections
    from django.utils import timezone

    targets = pick_targets()
    connections.close_all()
    empty_bench_cache()
    started_at = timezone.now()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        collect_static(Path(static_root))
        env_cached = production_env(static_root=Path(static_root), tour_cache=True)
        env_fresh = production_env(static_root=Path(static_root), tour_cache=False)
        try:
            with Server(PORTS[0], env_cached) as cached, Server(PORTS[1], env_fresh) as fresh:
                cases = selected(
                    build_cases(cached, fresh, targets, scale), os.environ.get("BENCH_CASES", "")
                )
                for turn in range(TURNS[scale]):
                    order = cases if turn % 2 == 0 else list(reversed(cases))
                    for case in order:
                        case.values.append(case.run())
                    print(f"bench paths: turn {turn + 1} of {TURNS[scale]} done", flush=True)
        finally:
            clean_up(started_at)
    load_after = os.getloadavg()
    text = report.markdown(
        cases,
        volume,
        scale=scale,
        loads=(load_before, load_after),
        seconds=time.perf_counter() - started,
    )
    print(text)
    # Only a full run of every case rewrites docs/benchmarks.md (BENCH_WRITE_DOCS=0: never).
    if scale == "full" and not os.environ.get("BENCH_CASES") and write_docs_wanted():
        report.write_docs(text)


def write_docs_wanted() -> bool:
    return os.environ.get("BENCH_WRITE_DOCS", "1") not in ("0", "false", "no")


if __name__ == "__main__":
    main()
