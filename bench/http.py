"""Gunicorn in production mode on the loopback, and a small load generator in Python.

The load generator opens one connection per request (gunicorn's sync workers close it after
each answer) from a few threads, for a fixed time; it only ever talks to 127.0.0.1.
"""

import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.volume import BASE_DIR, database_url

HOST = "127.0.0.1"
# Ports of issue 18's range (BENCH_PORTS="8180-8189" moves it, so that two benches can run
# side by side); Redis database 14 keeps the bench's keys apart from the others'.
_first_port, _last_port = os.environ.get("BENCH_PORTS", "8180-8189").split("-")
PORTS = range(int(_first_port), int(_last_port) + 1)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKERS = 2


def empty_bench_cache() -> None:
    """Empty the bench's Redis database before a run. Entries cached by a run on another
    database (pages, counters, Wagtail's renditions) name rows and files this one does not
    have: a rendition of another checkout's media folder made its flyers fail."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def production_env(*, static_root: Path, tour_cache: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MEDIATION_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(static_root),
        BENCH_ENDPOINTS="1",
        TOUR_CACHE="1" if tour_cache else "0",
        # Distinct clients come through one proxy (X-Forwarded-For), as behind nginx.
        RATE_LIMIT_PROXY_COUNT="1",
        LOG_LEVEL="WARNING",
        # Production refuses the in-memory backends; messages land in files beside the static.
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(static_root.parent / "bench-mails"),
        SMS_BACKEND="sessions.sms.FileSmsBackend",
        SMS_FILE_PATH=str(static_root.parent / "bench-sms"),
        # Plain HTTP on the loopback, as behind a proxy that ends TLS.
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="0",
    )
    return env


def collect_static(static_root: Path) -> None:
    env = production_env(static_root=static_root, tour_cache=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


class Server:
    """`gunicorn mediation.wsgi` with 2 workers, as in production."""

    def __init__(self, port: int, env: dict[str, str]):
        assert port in PORTS, port
        self.port, self.env, self.process = port, env, None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in __exit__
            prefix=f"bench-gunicorn-{port}-", suffix=".log"
        )

    def __enter__(self) -> "Server":
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "mediation.wsgi", "--workers", str(WORKERS), "--bind", f"{HOST}:{self.port}"]
            + ["--timeout", "120", "--graceful-timeout", "5"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {Path(self.log.name).read_text()[-2000:]}")
            try:
                if request(self.port, "GET", "/_bench/bare/").status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within a minute")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float


def request(
    port: int, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None
) -> Answer:
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        seconds = time.perf_counter() - started
        return Answer(response.status, data, dict(response.getheaders()), seconds)
    finally:
        connection.close()


@dataclass
class Client:
    """Cookies and a CSRF token, as a browser that loaded a form keeps them."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def keep_cookies(self, answer: Answer) -> None:
        for name, value in answer.headers.items():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()

    def get(self, path: str, **headers) -> Answer:
        answer = request(self.port, "GET", path, headers=self.cookie_header() | headers)
        self.keep_cookies(answer)
        return answer

    def form_token(self, path: str) -> str:
        answer = self.get(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
        if not match:
            raise RuntimeError(f"No form at {path} ({answer.status})")
        return match.group(1).decode()

    def post_headers(self, extra: dict | None = None) -> dict[str, str]:
        return (
            self.cookie_header()
            | {"Content-Type": "application/x-www-form-urlencoded"}
            | {"Origin": f"http://{HOST}:{self.port}"}
            | (extra or {})
        )

    def post(self, path: str, data: dict, **headers) -> Answer:
        answer = request(
            self.port,
            "POST",
            path,
            body=urlencode(data).encode(),
            headers=self.post_headers(headers),
        )
        self.keep_cookies(answer)
        return answer

    def post_json(self, path: str, data, token: str) -> Answer:
        headers = self.post_headers({"Content-Type": "application/json", "X-CSRFToken": token})
        answer = request(self.port, "POST", path, body=json.dumps(data).encode(), headers=headers)
        self.keep_cookies(answer)
        return answer

    def log_in(self, login_path: str, username: str, password: str) -> None:
        token = self.form_token(login_path)
        answer = self.post(
            login_path,
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if answer.status not in (301, 302, 303):
            raise RuntimeError(f"Log-in as {username} failed ({answer.status})")


@dataclass
class Rate:
    per_second: float
    latencies: list[float]
    errors: int


def throughput(make_request, *, clients: int = 4, seconds: float = 2.0, ok=(200,)) -> Rate:
    """Requests answered per second by `clients` threads calling make_request(n) for `seconds`.

    make_request(n) sends the n-th request and returns its Answer; answers whose status is
    not in `ok` count as errors (and not as throughput).
    """
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds

    def work() -> None:
        while time.perf_counter() < deadline:
            with lock:
                number = next(counter)
            answer = make_request(number)
            with lock:
                if answer.status in ok:
                    latencies.append(answer.seconds)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Rate(len(latencies) / elapsed, latencies, errors[0])


def median_range(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)
