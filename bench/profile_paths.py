"""Where a page's time goes: N requests through the real WSGI application, in this process.

    DATABASE_URL=postgres://…/mediation_bench python -m bench.profile_paths /carte/ --n 50
    python -m bench.profile_paths / --uncached --profile 25
    python -m bench.profile_paths /admin/registrations/ --user bench-admin --profile 40

Production settings (as bench/paths.py gives gunicorn), the whole middleware stack, the tour
cache in Redis (BENCH_REDIS_URL) unless --uncached. Prints the median time per request, the
queries per request, the median CPU time of this process (what a loaded machine distorts
least) and, with --profile, cProfile's top functions by cumulative CPU time.
Static files must have been collected once into --static (default /tmp/bench-profile-static).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path


def _environ(path: str, cookies: str = "") -> dict:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookies:
        environ["HTTP_COOKIE"] = cookies
    return environ


def _session_cookie(username: str) -> str:
    """A session of this user, as the login view would have opened it."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def production_process(static: Path, *, tour_cache: bool) -> None:
    """This process set up as bench/paths.py sets gunicorn up (production settings, the tour
    cache on or off), with the static files collected once into `static`."""
    from bench.http import production_env

    env = production_env(static_root=static, tour_cache=tour_cache)
    env["LOG_LEVEL"] = "ERROR"
    env.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    os.environ.update(env)
    if not (static / "staticfiles.json").exists():
        import subprocess

        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], check=True
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--uncached", action="store_true")
    parser.add_argument("--profile", type=int, default=0, help="lines of cProfile to print")
    parser.add_argument("--static", default="/tmp/bench-profile-static")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--user", default="", help="username to be logged in as (back office)")
    args = parser.parse_args()

    production_process(Path(args.static), tour_cache=not args.uncached)
    from django.db import connection, reset_queries

    from mediation.wsgi import application  # what gunicorn serves, set up as it is

    cookies = _session_cookie(args.user) if args.user else ""

    def get(path: str) -> tuple[str, bytes]:
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers

        body = b"".join(application(_environ(path, cookies), start_response))
        return answer["status"], body

    for path in args.paths:
        status, body = get(path)  # warm: templates, caches, connection
        get(path)
        connection.force_debug_cursor = True
        reset_queries()
        get(path)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        times, cpu = [], []
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        for _ in range(args.n):
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            get(path)
            if profiler:
                profiler.disable()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        print(
            f"{path}: {status}, {len(body):,} bytes, {queries} queries, "
            f"median {statistics.median(times) * 1000:.2f} ms, "
            f"min {min(times) * 1000:.2f} ms, CPU median {statistics.median(cpu) * 1000:.2f} ms "
            f"({args.n} requests)"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
            print(out.getvalue())


if __name__ == "__main__":
    main()
