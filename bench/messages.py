"""Message benchmark: cancelling a stop with 60 registrants, from the back office.

The coordinator's request must return at once while a real `manage.py db_worker` process
sends the e-mails and SMS. The providers are local fakes with realistic latencies (the SMS
API answers in SMS_LATENCY, the relay in full SMTP), so the figures show where the time
goes: in the request with messages sent inline (the immediate backend, as before the task
queue), and in the request with the database queue plus the worker's sending time.

Data: one stop with three workshops and 60 registrants (40 by e-mail and SMS, 20 by SMS
only) in a throwaway SQLite database, in the same process as the fakes.
"""

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRANTS = 60
SMS_LATENCY = 0.08  # seconds: a provider's API across the Internet
REPEATS = 5
BUDGET = 0.300  # seconds the admin request may take


def configure(folder: Path, *, sms_url: str, smtp_port: int) -> dict[str, str]:
    """Environment of this process and of the worker: same database, same fakes."""
    from tests.fake_brevo import API_KEY

    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "DJANGO_SETTINGS_MODULE": "mediation.settings",
        "TASKS_BACKEND": "database",
        "SMS_BACKEND": "sessions.sms.BrevoSmsBackend",
        "SMS_API_URL": sms_url,
        "SMS_API_KEY": API_KEY,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    os.environ.pop("MEDIATION_ENV", None)
    import django

    django.setup()
    return env


def make_stop(commune, module, coordinator, day: int):
    from mediation.models import Stop, StopStatus
    from sessions.models import Workshop
    from sessions.services import registration_create

    stop = Stop.objects.create(
        commune=commune,
        date=dt.date.today() + dt.timedelta(days=7 + day),
        start_time=dt.time(9, 0),
        end_time=dt.time(17, 0),
        place_name="Place de la mairie",
        status=StopStatus.CONFIRMED,
    )
    hours = [(dt.time(9, 30), dt.time(11, 0)), (dt.time(11, 0), dt.time(12, 30))]
    hours.append((dt.time(14, 0), dt.time(16, 0)))
    workshops = [
        Workshop.objects.create(stop=stop, module=module, start_time=s, end_time=e, capacity=20)
        for s, e in hours
    ]
    for number in range(REGISTRANTS):
        registration_create(
            workshop=workshops[number % 3],
            first_name="Résident",
            last_name=f"N{number}",
            phone=f"+336{10 + day:02d}{number:06d}",
            email=f"resident{day}-{number}@example.org" if number % 3 else "",
            channel="phone",
            created_by=coordinator,
            notify=False,
        )
    return stop


def cancel_through_the_admin(client, stop) -> float:
    from django.urls import reverse

    url = reverse("workshops_stop_cancel", args=[stop.pk])
    started = time.perf_counter()
    response = client.post(url, {"reason": "Le camion est en panne."})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def wait_for_the_queue(timeout: float = 300) -> float:
    from sessions.message_models import OutboundMessage

    started = time.perf_counter()
    pending = OutboundMessage.objects.filter(state__in=["queued", "sending", "retrying"])
    while pending.exists():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the worker did not send the messages")
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    from tests.fake_brevo import FakeBrevo
    from tests.fake_smtp import FakeSmtp

    with (
        tempfile.TemporaryDirectory(prefix="bench-messages-") as folder,
        FakeBrevo(delay=SMS_LATENCY) as brevo,
        FakeSmtp() as relay,
    ):
        env = configure(Path(folder), sms_url=brevo.url, smtp_port=relay.port)
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.test import Client, override_settings

        from mediation.demo import seed_branding, seed_modules
        from mediation.models import Commune
        from mediation.roles import COORDINATORS, ensure_staff_groups
        from sessions.message_models import OutboundMessage

        call_command("migrate", verbosity=0)
        ensure_staff_groups()
        seed_branding(site_name="Le Bus numérique")
        module = seed_modules()[0]
        commune = Commune.objects.create(
            insee_code="80001",
            name="Abbeville",
            slug="abbeville",
            postal_codes="80100",
            population=22395,
            latitude="50.10841",
            longitude="1.83216",
        )
        coordinator = get_user_model().objects.create_user(
            "coordination", password="x", is_staff=True
        )
        coordinator.groups.add(Group.objects.get(name=COORDINATORS))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(coordinator)
        client.get("/admin/")  # warm up the admin's URLs and templates

        # Before the queue: messages sent inside the request (immediate backend).
        inline = []
        immediate = {"default": {"BACKEND": settings.TASK_BACKEND_ALIASES["immediate"]}}
        with override_settings(TASKS=immediate):
            for repeat in range(2):
                stop = make_stop(commune, module, coordinator, day=repeat)
                inline.append(cancel_through_the_admin(client, stop))
        inline_messages = OutboundMessage.objects.count()

        # With the database queue: the request only logs and enqueues.
        requests, sending = [], []
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-reload"],
            cwd=ROOT,
            env=os.environ | env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)  # the worker starts Django; a cron-started worker is already up
        try:
            for repeat in range(REPEATS):
                stop = make_stop(commune, module, coordinator, day=10 + repeat)
                sent_before = len(brevo.received)
                requests.append(cancel_through_the_admin(client, stop))
                sending.append(wait_for_the_queue())
                assert len(brevo.received) - sent_before == REGISTRANTS
        finally:
            worker.terminate()
            worker.wait(10)
        queued_messages = OutboundMessage.objects.count() - inline_messages

    request = statistics.median(requests)
    print(f"Messages: one stop cancelled, {REGISTRANTS} registrants, {platform.python_version()}")
    print(f"  SMS provider latency {SMS_LATENCY * 1000:.0f} ms per SMS (local fake Brevo API)")
    print(
        f"  sent inside the request (before):  {statistics.median(inline) * 1000:8.0f} ms "
        f"for {inline_messages // 2} messages"
    )
    print(
        f"  admin request with the queue:      {request * 1000:8.0f} ms "
        f"(median of {REPEATS}, budget {BUDGET * 1000:.0f} ms)"
    )
    print(
        f"  worker sends them all in:          {statistics.median(sending) * 1000:8.0f} ms "
        f"({queued_messages // REPEATS} messages per stop)"
    )
    print(f"  within budget: {'yes' if request < BUDGET else 'NO'}")
    if request >= BUDGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
