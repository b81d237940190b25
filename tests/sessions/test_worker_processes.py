"""Real `manage.py db_worker` processes send the queue: each SMS exactly once, even with two
workers at once and tasks enqueued twice; reminders and broadcasts stay single under
concurrent cron runs and double submissions. On PostgreSQL, where workers really overlap."""

import subprocess
import uuid

from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from sessions.broadcasts import broadcast_send
from sessions.message_models import MessageState, OutboundMessage
from sessions.messaging import enqueue_delivery
from sessions.models import Broadcast
from sessions.services import registration_create, reminders_send
from tests import workers
from tests.factories import make_coordinator, make_stop, make_workshop
from tests.fake_brevo import API_KEY, FakeBrevo
from tests.postgresql import run_at_once
from tests.sessions.conftest import resident
from tests.workers import DATABASE_QUEUE, WITH_WORKERS

pytestmark = WITH_WORKERS

REGISTRANTS = 24


def start_worker(name: str, brevo: FakeBrevo) -> subprocess.Popen:
    return workers.start_worker(
        name,
        env={
            "SMS_BACKEND": "sessions.sms.BrevoSmsBackend",
            "SMS_API_URL": brevo.url,
            "SMS_API_KEY": API_KEY,
        },
    )


@override_settings(TASKS=DATABASE_QUEUE)
def test_two_worker_processes_send_each_sms_exactly_once():
    stop = make_stop()
    workshop = make_workshop(stop=stop, capacity=REGISTRANTS)
    for number in range(REGISTRANTS):
        registration_create(workshop=workshop, **resident(number, email=""))
    ids = list(OutboundMessage.objects.values_list("pk", flat=True))
    assert len(ids) == REGISTRANTS
    # The same messages queued twice more, as a sweeper or a replayed enqueue would.
    enqueue_delivery(ids)
    enqueue_delivery(list(reversed(ids)))

    with FakeBrevo(delay=0.02) as brevo:
        workers = [start_worker(f"worker-{n}", brevo) for n in (1, 2)]
        outputs = [worker.communicate(timeout=120)[0].decode() for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0], outputs

    recipients = sorted(body["recipient"] for body in brevo.received)
    assert recipients == sorted(f"336{n:08d}" for n in range(REGISTRANTS))
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {MessageState.SENT}
    tasks = DBTaskResult.objects.filter(task_path="sessions.messaging.send_outbound_messages")
    assert set(tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    # Both processes took tasks: the single sends are not for want of a second worker.
    assert len({w for ids_ in tasks.values_list("worker_ids", flat=True) for w in ids_}) == 2


@override_settings(TASKS=DATABASE_QUEUE)
def test_two_cron_runs_at_once_queue_each_reminder_once():
    import datetime as dt

    from django.utils import timezone

    workshop = make_workshop(stop=make_stop(date=timezone.localdate() + dt.timedelta(days=1)))
    workshop.capacity = 20
    workshop.save()
    for number in range(20):
        registration_create(workshop=workshop, **resident(number), notify=False)

    # At noon: at night the cron queues no reminder (sessions.services.REMINDER_HOURS).
    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    counts = run_at_once([lambda: reminders_send(now=noon)] * 3)

    assert sum(counts) == 20
    reminders = OutboundMessage.objects.filter(kind="reminder")
    assert reminders.count() == 40  # one e-mail and one SMS each


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_same_broadcast_sent_twice_at_once_goes_out_once():
    stop = make_stop()
    workshop = make_workshop(stop=stop, capacity=10)
    for number in range(10):
        registration_create(workshop=workshop, **resident(number, email=""), notify=False)
    coordinator = make_coordinator()
    key = uuid.uuid4()

    def send():
        return broadcast_send(
            uuid=key, stop=stop, text="Le bus aura 30 minutes de retard.", by=coordinator
        )[1]

    created = run_at_once([send, send, send])

    assert sorted(created) == [False, False, True]
    assert Broadcast.objects.count() == 1
    assert OutboundMessage.objects.filter(kind="broadcast").count() == 10
