"""Where a sign-up's time goes, against the bare insert: POSTs through the real WSGI application.

    DATABASE_URL=postgres://…/mediation_bench_copy python -m bench.profile_signup --n 200
    python -m bench.profile_signup --n 100 --profile 40 --sort tottime

Production settings and middleware, as bench/profile_paths.py (BENCH_ENDPOINTS on, the tour
cache in Redis): each sign-up as the bench posts it (bench/paths.py: a distinct phone, name
and X-Forwarded-For address, the form's CSRF token, workshops taken in turn), then as many
bare inserts (`/_bench/insert/`). Prints, for both, the median time, the median CPU time of
this process and the queries per request, and the bench ratio their CPU medians predict,
≈ (0.31 + insert_ms) / (0.31 + signup_ms) as in COMMON.md. The sign-ups it made are taken
back at the end (bench.paths.clean_up), and so are the bare rows.
Writes: run it on a copy of the bench database, never on a shared one.
"""

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.profile_paths import _environ, production_process


def _post_environ(path: str, data: dict, cookies: str, address: str) -> dict:
    body = urlencode(data).encode()
    environ = _environ(path, cookies)
    environ.update(
        REQUEST_METHOD="POST",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(len(body)),
        HTTP_ORIGIN="http://127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )
    environ["wsgi.input"] = io.BytesIO(body)
    return environ


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--profile", type=int, default=0, help="lines of cProfile to print")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--static", default="/tmp/bench-profile-static")
    parser.add_argument("--only", choices=["signup", "insert", ""], default="")
    parser.add_argument("--queries", action="store_true", help="print one sign-up's SQL")
    args = parser.parse_args()

    production_process(Path(args.static), tour_cache=True)
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    from django.conf import settings
    from django.db import connection, reset_queries
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.urls import reverse
    from django.utils import timezone

    from bench.paths import _address, _signup_data, clean_up, pick_targets
    from bench.volume import BARE_INSERT_TABLE

    started_at = timezone.now()
    bare_started = dt.datetime.now()  # the bare view's naive local time (bench/views.py)
    targets = pick_targets()
    secret = _get_new_csrf_string()
    cookies = f"{settings.CSRF_COOKIE_NAME}={secret}"
    token = _mask_cipher_secret(secret)
    numbers = iter(range(random.Random().randrange(10**5), 10**6))

    def call(environ: dict) -> tuple[str, bytes]:
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = status

        body = b"".join(application(environ, start_response))
        return answer["status"], body

    def signup() -> tuple[str, bytes]:
        number = next(numbers)
        workshop = targets.workshops[number % len(targets.workshops)]
        path = reverse("workshops:signup", args=[workshop])
        return call(_post_environ(path, _signup_data(number, token), cookies, _address(number)))

    def insert() -> tuple[str, bytes]:
        number = next(numbers)
        data = {"csrfmiddlewaretoken": token, "note": str(number)}
        return call(_post_environ("/_bench/insert/", data, cookies, _address(number)))

    results = {}
    try:
        for name, one in [("insert", insert), ("signup", signup)]:
            if args.only and name != args.only:
                continue
            for _ in range(5):  # warm: templates, caches, the connection
                status, body = one()
            if not status.startswith("30"):
                raise SystemExit(f"{name}: {status}\n{body.decode()[:3000]}")
            connection.force_debug_cursor = True
            reset_queries()
            one()
            queries = list(connection.queries)
            connection.force_debug_cursor = False
            if args.queries:
                for query in queries:
                    print(f"  {query['time']}  {query['sql'][:300]}")
            times, cpu = [], []
            system_started = os.times().system
            profiler = None
            if args.profile and (name == "signup" or args.only == name):
                # CPU time of this process: the waits on PostgreSQL and Redis left out.
                profiler = cProfile.Profile(time.process_time)
            for _ in range(args.n):
                started, cpu_started = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                status, _body = one()
                if profiler:
                    profiler.disable()
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
                if not status.startswith("30"):
                    raise SystemExit(f"{name}: {status}")
            results[name] = statistics.median(cpu) * 1000
            # The kernel's share (sockets to PostgreSQL and Redis): round trips cost CPU too.
            system_ms = (os.times().system - system_started) / args.n * 1000
            print(
                f"{name}: {status}, {len(queries)} queries, "
                f"median {statistics.median(times) * 1000:.2f} ms, "
                f"min {min(times) * 1000:.2f} ms, CPU median {results[name]:.2f} ms, "
                # The fastest tenth: what a machine shared with other work disturbs least.
                f"CPU p10 {sorted(cpu)[len(cpu) // 10] * 1000:.2f} ms, "
                f"of which system {system_ms:.2f} ms "
                f"({args.n} requests)"
            )
            if profiler:
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out)
                # Python calls per request: a figure the machine's load does not move.
                print(f"{stats.total_calls / args.n:,.0f} function calls per request")
                stats.sort_stats(args.sort).print_stats(args.profile)
                print(out.getvalue())
    finally:
        clean_up(started_at)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {BARE_INSERT_TABLE} WHERE created_at >= %s",  # noqa: S608
                [bare_started],
            )
    if len(results) == 2:
        # Each request costs the bench's client and gunicorn ≈ 0.31 ms on top of this CPU.
        ratio = (0.31 + results["insert"]) / (0.31 + results["signup"])
        print(
            f"CPU sign-up / bare insert: {results['signup'] / results['insert']:.1f}x; "
            f"expected bench ratio ≈ (0.31 + {results['insert']:.2f}) / "
            f"(0.31 + {results['signup']:.2f}) = {ratio:.0%}"
        )


if __name__ == "__main__":
    main()
