"""After the purge and after an erasure, no trace of the person is left anywhere.

One resident goes the whole way: signs up online (confirmation by e-mail and SMS, written by
the file backends), a reminder fails and is logged, staff edit the sign-up in the back
office (audit log), the mediator writes to the stop's registrants naming her (a broadcast,
which her neighbour Marcel, signed up for the same workshop, receives too), then records
attendance twice with a note (history). Then the database dump, the message files and the
captured logs are searched for her values.
"""

import datetime as dt
import io
import logging
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mediation.mail import FILE_BACKEND
from mediation.models import PARIS
from mediation.observability import MaskingFilter
from sessions import sms
from sessions.broadcasts import broadcast_send
from sessions.mediator_app.sync import attendance_sync_batch
from sessions.message_models import MessageKind, OutboundMessage
from sessions.models import PersonalDataRequest, Registration
from sessions.privacy.message_files import message_files_find
from sessions.privacy.services import person_erase, person_export
from sessions.services import reminders_send
from tests.factories import make_commune, make_coordinator, make_mediator, make_stop, make_workshop
from tests.mail import use_mailer

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "06 71 42 93 58"
PHONE_E164 = "+33671429358"
EMAIL = "ghislaine.vandermeersch@example.org"
FIRST, LAST = "Ghislaine", "Vandermeersch"
NEEDS = "Perdu le mot de passe Ameli"
NOTE = "veuve, aide pour dossier APL"
NOTE_BEFORE = "dossier APL a finir"
VALUES = [PHONE, PHONE_E164, PHONE.replace(" ", ""), EMAIL, LAST, NEEDS, NOTE, NOTE_BEFORE]
# Her neighbour at the same workshop: his copy of the message to the stop names her.
NEIGHBOUR_PHONE, NEIGHBOUR_EMAIL = "+33622334455", "marcel.dufosse@example.org"

SIGNUP_DAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
STOP_DAY = dt.date(2026, 3, 10)


class FailingSmsBackend(sms.BaseSmsBackend):
    def send_messages(self, messages):
        raise ConnectionError(f"provider refused {messages[0].to}")


@pytest.fixture
def files(settings, tmp_path):
    settings.SMS_BACKEND = "sessions.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    use_mailer(settings, FILE_BACKEND, file_path=tmp_path / "mails")
    return tmp_path


@pytest.fixture
def logs():
    """The server's log output, through the filter the settings put on every handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def leftovers(files, logs) -> dict[str, list[str]]:
    """Where each value is still found: the database dump, the message files, the logs."""
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    places = {
        "database": dump.getvalue(),
        "files": "\n".join(
            path.read_bytes().decode("utf-8", "replace")
            for path in files.rglob("*")
            if path.is_file()
        ),
        "logs": logs.getvalue(),
    }
    return {
        place: [value for value in VALUES if value.lower() in text.lower()]
        for place, text in places.items()
        if any(value.lower() in text.lower() for value in VALUES)
    }


@pytest.fixture
def ghislaine(client, files, logs, settings):
    """Her whole trail; returns her registration once the stop is over."""
    commune = make_commune(name="Woincourt")
    mediator = make_mediator()
    stop = make_stop(commune=commune, date=STOP_DAY)
    stop.mediators.add(mediator)
    workshop = make_workshop(stop=stop, start_time=dt.time(9, 30), end_time=dt.time(11, 0))
    with time_machine.travel(SIGNUP_DAY, tick=False):
        response = client.post(
            reverse("workshops:signup", args=[workshop.pk]),
            {
                "first_name": FIRST,
                "last_name": LAST,
                "phone": PHONE,
                "email": EMAIL,
                "home_commune": "Woincourt",
                "needs": NEEDS,
                "consent": "on",
                "waiting_list_ok": "on",
            },
        )
        assert response.status_code == 302
    registration = Registration.objects.get(last_name=LAST)
    assert registration.home_commune == commune
    with time_machine.travel(SIGNUP_DAY + dt.timedelta(days=6), tick=False):
        settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"
        reminders_send()
        settings.SMS_BACKEND = "sessions.sms.FileSmsBackend"
    with time_machine.travel(SIGNUP_DAY + dt.timedelta(days=7), tick=False):
        staff = make_coordinator()
        client.force_login(staff)
        edited = client.post(
            reverse("registrations:edit", args=[registration.pk]),
            {
                "first_name": FIRST,
                "last_name": LAST,
                "phone": PHONE,
                "email": EMAIL,
                "needs": NEEDS,
                "home_commune": registration.home_commune_id or "",
                "channel": "online",
            },
        )
        assert edited.status_code == 302
        client.logout()
    with time_machine.travel(SIGNUP_DAY + dt.timedelta(days=7, hours=1), tick=False):
        Registration.objects.create(
            workshop=workshop,
            first_name="Marcel",
            last_name="Dufossé",
            phone=NEIGHBOUR_PHONE,
            email=NEIGHBOUR_EMAIL,
        )
        # Ines writes to the stop's registrants and names her: staff's words land in the
        # broadcast itself, not only in each registration's message log.
        broadcast_send(
            uuid=uuid.UUID("00000000-0000-4000-8000-00000000b0ad"),
            stop=stop,
            text=f"Mme {LAST}, pensez a votre carte Vitale.",
            by=mediator,
        )
    day = dt.datetime.combine(STOP_DAY, dt.time(10, 0), tzinfo=PARIS)
    with time_machine.travel(day + dt.timedelta(hours=2), tick=False):
        for minutes, note in [(30, NOTE_BEFORE), (10, NOTE)]:
            answers = attendance_sync_batch(
                user=mediator,
                records=[
                    {
                        "uuid": f"00000000-0000-4000-8000-0000000000{minutes:02d}",
                        "recorded_at": (timezone.now() - dt.timedelta(minutes=minutes)).isoformat(),
                        "workshop": workshop.pk,
                        "registration": str(registration.uuid),
                        "present": True,
                        "note": note,
                    }
                ],
            )
            assert answers[0]["status"] == "accepted", answers
    # The trail is real: her values are in all three places before anything is wiped.
    found = leftovers(files, logs)
    assert NOTE_BEFORE in found["database"] and LAST in found["database"]
    assert PHONE_E164 in found["files"] and LAST in found["files"]
    return registration


def test_the_trail_is_really_laid_before_anything_is_wiped(ghislaine, files, logs):
    # Masked in the logs, yet the failing reminder was logged.
    assert "provider refused [phone]" in logs.getvalue()
    assert leftovers(files, logs).keys() == {"database", "files"}


def test_after_the_purge_no_value_is_left_anywhere(ghislaine, files, logs, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    with time_machine.travel(SIGNUP_DAY + dt.timedelta(days=120)):
        call_command("purge_personal_data", stdout=io.StringIO())

    assert leftovers(files, logs) == {}
    registration = Registration.objects.get(pk=ghislaine.pk)
    assert registration.home_commune.name == "Woincourt"
    assert registration.attendance.present is True


def test_after_an_erasure_on_request_no_value_is_left_and_who_did_it_is_recorded(
    ghislaine, files, logs
):
    staff = make_coordinator("dpo")
    with time_machine.travel(SIGNUP_DAY + dt.timedelta(days=20)):
        request = person_erase(contact=EMAIL, by=staff)

    assert leftovers(files, logs) == {}
    request.refresh_from_db()
    assert (request.kind, request.handled_by, request.registrations) == ("erasure", staff, 1)
    assert request.messages >= 2
    assert PersonalDataRequest.objects.count() == 1


def test_after_her_erasure_her_neighbours_copy_of_the_message_to_the_stop_no_longer_names_her(
    ghislaine, files
):
    staff = make_coordinator("dpo")
    marcel = Registration.objects.get(phone=NEIGHBOUR_PHONE)
    with time_machine.travel(SIGNUP_DAY + dt.timedelta(days=20)):
        person_erase(contact=PHONE, by=staff)

    # His copy is still logged (to him, by which channel, in which state), without the text.
    copies = OutboundMessage.objects.filter(registration=marcel, kind=MessageKind.BROADCAST)
    assert {copy.channel for copy in copies} == {"sms", "email"}
    assert all(copy.recipient in (NEIGHBOUR_PHONE, NEIGHBOUR_EMAIL) for copy in copies)
    assert not any(LAST in copy.body or LAST in copy.html for copy in copies)
    stored = "\n".join(message.text for message in message_files_find({NEIGHBOUR_PHONE}))
    assert LAST not in stored
    # Marcel himself is not erased: still signed up, reachable.
    marcel.refresh_from_db()
    assert (marcel.first_name, marcel.phone, marcel.anonymised_at) == (
        "Marcel",
        NEIGHBOUR_PHONE,
        None,
    )


def test_a_copy_still_waiting_to_leave_keeps_its_words_so_her_neighbour_gets_the_message(
    ghislaine, files
):
    # The SMS provider was down: Marcel's copy waits for a retry when she is erased. He must
    # still receive what staff wrote, not an SMS with the text cut out.
    marcel = Registration.objects.get(phone=NEIGHBOUR_PHONE)
    waiting = OutboundMessage.objects.filter(registration=marcel, kind=MessageKind.BROADCAST)
    waiting.update(state="retrying")

    person_erase(contact=PHONE, by=make_coordinator("dpo"))

    assert all(LAST in copy.params["text"] for copy in waiting)


def test_a_copy_emptied_by_her_erasure_is_not_sent_again_with_nothing_in_it(ghislaine, files):
    # Marcel's copy had failed for good (no SMS credit) and lost its words at her erasure.
    # When Claire, credit topped up, sends the failed messages again, Marcel must not get
    # an SMS or an e-mail with the text cut out.
    from sessions.messaging import messages_send_again

    marcel = Registration.objects.get(phone=NEIGHBOUR_PHONE)
    copies = OutboundMessage.objects.filter(registration=marcel, kind=MessageKind.BROADCAST)
    with time_machine.travel(SIGNUP_DAY + dt.timedelta(days=8), tick=False):
        copies.update(state="failed")
        person_erase(contact=PHONE, by=make_coordinator("dpo"))

        assert messages_send_again() == 0

    assert set(copies.values_list("state", flat=True)) == {"failed"}


def test_the_export_holds_her_values_and_only_hers(ghislaine, files):
    other = make_workshop(stop=make_stop(date=STOP_DAY))
    Registration.objects.create(
        workshop=other, first_name="Odette", last_name="Autre", phone="+33699887766"
    )
    staff = make_coordinator("dpo")

    document = person_export(contact=PHONE, by=staff).decode()

    for value in [PHONE_E164, EMAIL, LAST, NEEDS, NOTE, NOTE_BEFORE]:
        assert value in document
    assert "Odette" not in document and "+33699887766" not in document
    # Her neighbour's copy of the same message to the stop is his, not hers.
    assert "Marcel" not in document and NEIGHBOUR_PHONE not in document
    assert PersonalDataRequest.objects.get().kind == "export"
