"""The tablet's sync at volume, for bench/paths.py: a batch of 1,000 records, its replay, and
a sign-up on a workshop of that batch while it is applied.

The batch is what a mediator's tablet sends after a week with no signal: attendance for the
registrations of the mediator's recent stops (replacing what was recorded, so history is
written too) and walk-ins on an upcoming workshop, which residents are signing up for online
at the same moment. Every run sends new record UUIDs; what it adds (walk-ins, history) is
taken back afterwards by clean_up(), and the attendances it replaces are put back as they
were (without that, every run marked present the registrants of the mediator's last three
weeks, and a year's activity export grew by a hundred rows from one run to the next).
"""

import statistics
import threading
import time
import uuid

BATCH = 1000
WALK_INS = 200
SIGNUP_EVERY = 0.05
# The registrations whose attendance the batches replace, and their attendances before the
# first batch (cases() fills both, clean_up() puts the attendances back).
_replaced: dict[str, list] = {"registrations": [], "attendances": []}


def _sync_path() -> str:
    from django.urls import reverse

    return reverse("mediator_app:sync")


def _records(workshop_pk: int, commune_code: str, registrations: list) -> list[dict]:
    from django.utils import timezone

    now = timezone.now().isoformat()
    records = [
        {
            "uuid": str(uuid.uuid4()),
            "recorded_at": now,
            "workshop": workshop_id,
            "registration": str(registration_uuid),
            "present": True,
            "minutes_spent": 45,
            "autonomy": "partiellement_autonome",
            "equipment": "tablette",
            "first_visit": False,
        }
        for workshop_id, registration_uuid in registrations[: BATCH - WALK_INS]
    ]
    records += [
        {
            "uuid": str(uuid.uuid4()),
            "recorded_at": now,
            "workshop": workshop_pk,
            "registration": str(uuid.uuid4()),
            "present": True,
            "walk_in": {"first_name": "Passant", "commune": commune_code},
        }
        for _ in range(BATCH - len(records))
    ]
    return records


def cases(port: int, mediator, targets, repeats: int) -> list:
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from bench.paths import SIGNUP_PHONE_PREFIX, Case, _address, _signup_data
    from sessions.models import Registration, Workshop

    user = get_user_model().objects.get(username="mediatrice")
    today = timezone.localdate()
    recent = list(
        Registration.objects.filter(
            workshop__stop__mediators=user,
            workshop__stop__date__lt=today,
            workshop__stop__date__gte=today - timezone.timedelta(days=21),
            status="confirmed",
        )
        .order_by("-workshop__stop__date", "pk")
        .values_list("workshop_id", "uuid")[: BATCH - WALK_INS]
    )
    _remember_attendances([registration for _workshop, registration in recent])
    open_workshop = (
        Workshop.objects.filter(pk__in=targets.workshops, stop__mediators=user)
        .select_related("stop__commune")
        .order_by("stop__date", "pk")
        .first()
    )
    if open_workshop is None:
        return []
    path = _sync_path()
    signup_path = reverse("workshops:signup", args=[open_workshop.pk])
    token = mediator.cookies.get("csrftoken", "")
    signer_token = mediator.form_token(signup_path)
    numbers = iter(range(900_000, 10**6))
    state = {}

    def post(records: list) -> float:
        answer = mediator.post_json(path, {"records": records}, token)
        if answer.status != 200:
            raise RuntimeError(f"sync answered {answer.status}: {answer.body[:300]!r}")
        return answer.seconds

    def sign_up() -> float:
        number = next(numbers)
        answer = mediator.post(
            signup_path, _signup_data(number, signer_token), **{"X-Forwarded-For": _address(number)}
        )
        if answer.status not in (302, 303):
            raise RuntimeError(f"sign-up answered {answer.status}")
        return answer.seconds

    def fresh() -> float:
        state["batch"] = _records(open_workshop.pk, open_workshop.stop.commune.insee_code, recent)
        return post(state["batch"])

    def replay() -> float:
        return post(state["batch"])

    def wait() -> float:
        """A sign-up on the batch's workshop while the batch is applied, minus one alone."""
        alone = statistics.median(sign_up() for _ in range(3))
        batch = _records(open_workshop.pk, open_workshop.stop.commune.insee_code, recent)
        during: list[float] = []
        thread = threading.Thread(target=post, args=(batch,))
        thread.start()
        time.sleep(SIGNUP_EVERY)
        while thread.is_alive():
            during.append(sign_up())
            time.sleep(SIGNUP_EVERY)
        thread.join()
        return max(max(during, default=alone) - alone, 0.0)

    assert SIGNUP_PHONE_PREFIX  # the sign-ups made here are taken back with the others
    return [
        Case("sync-empty", "sync: an empty batch", "time", lambda: post([])),
        Case("sync", f"sync: {BATCH:,} records", "time", fresh, "sync-empty"),
        Case(
            "sync-replay", f"sync: the same {BATCH:,} records again", "time", replay, "sync-empty"
        ),
        Case("sync-wait", "sign-up on a workshop of a sync, extra wait", "time", wait),
    ]


def _remember_attendances(registration_uuids: list) -> None:
    from sessions.models import Attendance

    _replaced["registrations"] = registration_uuids
    _replaced["attendances"] = list(
        Attendance.objects.filter(registration__uuid__in=registration_uuids).order_by().values()
    )


def clean_up(started_at) -> None:
    """Take back the walk-ins and history the runs added, and put back the attendances they
    replaced (those they created for registrants who had none are deleted)."""
    from sessions.models import Attendance, AttendanceVersion, Registration

    AttendanceVersion.objects.filter(archived_at__gte=started_at).delete()
    Registration.objects.filter(channel="walk_in", created_at__gte=started_at).delete()
    before = _replaced["attendances"]
    Attendance.objects.filter(registration__uuid__in=_replaced["registrations"]).exclude(
        pk__in=[row["id"] for row in before]
    ).delete()
    if before:  # every column as it was, received_at included (bulk_update skips auto_now)
        fields = [field.name for field in Attendance._meta.concrete_fields if not field.primary_key]
        Attendance.objects.bulk_update([Attendance(**row) for row in before], fields, batch_size=50)
