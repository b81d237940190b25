"""A seat freed up and the waiting list moved: whoever no SMS or e-mail reaches is phoned.

Marcel signed up by phone from his landline, without e-mail, and waits for a seat at
Woincourt. When Alice cancels, he gets her seat, but no message can tell him: the back
office's home lists him "à appeler" for Claire (coordinator) and Inès (the stop's mediator),
not for Olivier (a mediator of other stops), until one of them says the call is made, his
registration is cancelled, or the workshop is past.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from mediation.models import PARIS, StopStatus
from sessions import sms
from sessions.message_models import SmsOptOut, phone_digest
from sessions.models import Registration, RegistrationStatus
from sessions.privacy.services import person_erase, person_export
from sessions.services import (
    RegistrationError,
    registration_call_made,
    registration_cancel,
    registration_create,
)
from tests.factories import (
    make_commune,
    make_coordinator,
    make_mediator,
    make_module,
    make_stop,
    make_workshop,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
LANDLINE = "+33322718000"  # 03 22 71 80 00


@pytest.fixture(autouse=True)
def tuesday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    commune = make_commune(name="Woincourt", slug="woincourt")
    ines, olivier = make_mediator("ines"), make_mediator("olivier")
    stop = make_stop(commune=commune, date=dt.date(2026, 12, 8), place_name="Salle des fêtes")
    stop.mediators.add(ines)
    make_stop(date=dt.date(2026, 12, 8)).mediators.add(olivier)
    workshop = make_workshop(
        stop=stop,
        module=make_module(title="Créer son compte CAF"),
        start_time=dt.time(9, 30),
        end_time=dt.time(11),
        capacity=1,
    )
    alice = registration_create(
        workshop=workshop, first_name="Alice", last_name="Caron", phone="06 12 34 56 78"
    )
    marcel = registration_create(
        workshop=workshop,
        first_name="Marcel",
        last_name="Lefebvre",
        phone="03 22 71 80 00",
        channel="phone",
    )
    assert marcel.status == RegistrationStatus.WAITING
    return {
        "workshop": workshop,
        "alice": alice,
        "marcel": marcel,
        "claire": make_coordinator("claire"),
        "ines": ines,
        "olivier": olivier,
    }


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def calls_listed(html: str) -> str:
    """The panel of calls to make, or "" when the home shows none."""
    if 'id="calls-to-make"' not in html:
        return ""
    return html.split('id="calls-to-make"', 1)[1].split("</section>", 1)[0]


def test_marcel_promoted_on_his_landline_is_listed_to_call_for_the_coordinator(client, world):
    registration_cancel(registration=world["alice"])

    panel = calls_listed(home(client, world["claire"]))

    marcel = world["marcel"]
    assert f'data-registration="{marcel.pk}"' in panel
    assert "À appeler" in panel
    assert "Marcel Lefebvre" in panel
    assert "03\u00a022\u00a071\u00a080\u00a000" in panel or "03 22 71 80 00" in panel
    assert 'href="tel:0322718000"' in panel
    assert "mardi 8 décembre 2026, 9\u00a0h\u00a030" in panel
    assert "Woincourt" in panel
    assert "Créer son compte CAF" in panel
    assert f"{reverse('registrations:index')}?workshop={world['workshop'].pk}" in panel


def test_the_stops_mediator_sees_marcel_and_a_mediator_of_other_stops_does_not(client, world):
    registration_cancel(registration=world["alice"])

    assert "Lefebvre" in calls_listed(home(client, world["ines"]))
    olivier_home = home(client, world["olivier"])
    assert calls_listed(olivier_home) == ""
    assert "Lefebvre" not in olivier_home


def test_a_resident_promoted_with_a_mobile_is_told_by_sms_and_not_listed(client, world, sent):
    workshop = world["workshop"]
    Registration.objects.filter(pk=world["marcel"].pk).update(phone="+33698765432")

    with sent():
        registration_cancel(registration=world["alice"])

    assert "+33698765432" in [message.to for message in sms.outbox]
    assert calls_listed(home(client, world["claire"])) == ""
    assert Registration.objects.get(pk=world["marcel"].pk).promoted_at == NOW
    assert workshop.registrations.confirmed().count() == 1


def test_a_resident_whose_mobile_answered_stop_is_listed_to_call(client, world, sent):
    # Marcel's mobile answered STOP to an earlier reminder and he has no e-mail: the seat's
    # SMS is not sent, so nobody but staff can tell him.
    Registration.objects.filter(pk=world["marcel"].pk).update(phone="+33698765432")
    SmsOptOut.objects.create(
        phone_digest=phone_digest("+33698765432"), reason=SmsOptOut.Reason.STOP
    )

    with sent():
        registration_cancel(registration=world["alice"])

    assert "+33698765432" not in [message.to for message in sms.outbox]
    panel = calls_listed(home(client, world["claire"]))
    assert f'data-registration="{world["marcel"].pk}"' in panel
    assert 'href="tel:0698765432"' in panel


def test_a_resident_with_no_contact_at_all_is_listed_with_what_their_needs_say(client, world):
    workshop = world["workshop"]
    registration_cancel(registration=world["marcel"], by=world["claire"])
    josette = registration_create(
        workshop=workshop,
        first_name="Josette",
        needs="Pas de téléphone : passer par sa voisine, Mme Roux.",
        channel="phone",
    )
    registration_cancel(registration=world["alice"])

    panel = calls_listed(home(client, world["claire"]))

    assert f'data-registration="{josette.pk}"' in panel
    assert "passer par sa voisine, Mme Roux" in panel
    assert 'href="tel:' not in panel


def test_after_appel_passe_marcel_leaves_the_list(client, world):
    registration_cancel(registration=world["alice"])
    marcel = world["marcel"]
    client.force_login(world["ines"])

    response = client.post(reverse("workshops_registration_called", args=[marcel.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert calls_listed(home(client, world["claire"])) == ""
    marcel.refresh_from_db()
    assert marcel.called_at == NOW


def test_the_registrations_history_says_who_made_the_call(client, world):
    registration_cancel(registration=world["alice"])
    marcel = world["marcel"]
    registration_call_made(registration=marcel, by=world["ines"])
    client.force_login(world["claire"])

    history = client.get(reverse("registrations:history", args=[marcel.pk])).content.decode()

    entry = history.split("Appel passé", 1)[1].split("</tr>", 1)[0]
    assert "ines" in entry


def test_a_mediator_of_other_stops_cannot_say_marcel_was_called(client, world):
    registration_cancel(registration=world["alice"])
    client.force_login(world["olivier"])

    response = client.post(reverse("workshops_registration_called", args=[world["marcel"].pk]))

    assert response.status_code == 404
    assert "Lefebvre" in calls_listed(home(client, world["claire"]))


def test_saying_the_call_is_made_twice_changes_nothing(world):
    registration_cancel(registration=world["alice"])
    marcel = world["marcel"]

    assert registration_call_made(registration=marcel, by=world["ines"]) is True
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert registration_call_made(registration=marcel, by=world["claire"]) is False

    marcel.refresh_from_db()
    assert marcel.called_at == NOW


def test_there_is_no_call_to_record_for_someone_who_was_never_promoted(world):
    with pytest.raises(RegistrationError) as excinfo:
        registration_call_made(registration=world["alice"], by=world["claire"])

    assert excinfo.value.code == "not_promoted"


def test_marcel_leaves_the_list_once_his_registration_is_cancelled(client, world):
    registration_cancel(registration=world["alice"])
    registration_cancel(registration=world["marcel"], by=world["ines"])

    assert calls_listed(home(client, world["claire"])) == ""


def test_marcel_leaves_the_list_once_the_workshop_is_past(client, world):
    registration_cancel(registration=world["alice"])

    with time_machine.travel(dt.datetime(2026, 12, 9, 9, 0, tzinfo=PARIS), tick=False):
        assert calls_listed(home(client, world["claire"])) == ""


def test_a_cancelled_stop_is_called_about_from_its_own_screen_not_this_list(client, world):
    registration_cancel(registration=world["alice"])
    workshop = world["workshop"]
    type(workshop.stop).objects.filter(pk=workshop.stop_id).update(status=StopStatus.CANCELLED)

    assert calls_listed(home(client, world["claire"])) == ""


def test_cancelling_alice_in_the_back_office_says_to_call_marcel_at_once(client, world):
    client.force_login(world["claire"])

    response = client.post(
        reverse("workshops_registration_cancel", args=[world["alice"].pk]), follow=True
    )

    page = response.content.decode()
    assert "Marcel Lefebvre" in page
    assert "03\u00a022\u00a071\u00a080\u00a000" in page or "03 22 71 80 00" in page


def test_after_erasing_marcel_nothing_of_him_is_listed_nor_kept_about_the_call(client, world):
    registration_cancel(registration=world["alice"])
    registration_call_made(registration=world["marcel"], by=world["ines"])

    person_erase(contact="03 22 71 80 00", by=world["claire"])

    html = home(client, world["claire"])
    assert calls_listed(html) == ""
    assert "Lefebvre" not in html
    marcel = Registration.objects.get(pk=world["marcel"].pk)
    assert (marcel.phone, marcel.last_name) == ("", "")
    assert (marcel.promoted_at, marcel.called_at) == (None, None)


def test_marcel_s_export_says_when_he_got_a_seat_and_was_called(world):
    registration_cancel(registration=world["alice"])
    registration_call_made(registration=world["marcel"], by=world["ines"])

    document = person_export(contact="03 22 71 80 00", by=world["claire"]).decode()

    assert '"promoted_at": "2026-12-01T09:00:00Z"' in document
    assert '"called_at": "2026-12-01T09:00:00Z"' in document


def test_erasing_alice_gives_her_seat_to_the_waiting_list_and_tells_who_got_it(world, sent):
    # Alice asks for her data to be erased; her seat goes to the next on the waiting list,
    # who must hear of it as after any cancellation, while Alice hears nothing more.
    marcel = world["marcel"]
    Registration.objects.filter(pk=marcel.pk).update(phone="+33698765432")
    sms.outbox.clear()

    with sent():
        person_erase(contact="06 12 34 56 78", by=world["claire"])

    assert [message.to for message in sms.outbox] == ["+33698765432"]
    assert Registration.objects.get(pk=marcel.pk).status == RegistrationStatus.CONFIRMED


def test_adding_a_seat_for_marcel_says_to_call_him_at_once(client, world):
    workshop = world["workshop"]
    client.force_login(world["claire"])
    form = {
        "stop": workshop.stop.pk,
        "module": workshop.module.pk,
        "start_time": "09:30",
        "end_time": "11:00",
        "capacity": 2,
        "signup_opens_at": "",
        "signup_closes_at": "",
    }

    response = client.post(
        reverse("wagtailsnippets_workshops_workshop:edit", args=[workshop.pk]), form, follow=True
    )

    page = response.content.decode()
    assert Registration.objects.get(pk=world["marcel"].pk).promoted_at == NOW
    assert "Marcel Lefebvre" in page
    assert "03\u00a022\u00a071\u00a080\u00a000" in page or "03 22 71 80 00" in page


def _edit_marcel(client, user, *, phone: str, email: str):
    client.force_login(user)
    return client.post(
        reverse("registrations:edit", args=[Registration.objects.get(first_name="Marcel").pk]),
        {
            "first_name": "Marcel",
            "last_name": "Lefebvre",
            "phone": phone,
            "email": email,
            "needs": "",
            "channel": "phone",
        },
        follow=True,
    )


def test_an_e_mail_added_before_the_call_sends_marcel_the_seats_message(
    client, world, sent, mailoutbox
):
    # Claire reaches Marcel's daughter, who gives her e-mail: Marcel leaves the list, so
    # the seat's message no one could send him goes there, rather than nowhere.
    registration_cancel(registration=world["alice"])

    with sent():
        response = _edit_marcel(
            client, world["claire"], phone="03 22 71 80 00", email="famille.lefebvre@example.org"
        )

    assert response.status_code == 200
    [message] = [m for m in mailoutbox if "famille.lefebvre@example.org" in m.to]
    assert "place" in message.subject.lower() or "place" in message.body.lower()
    assert "mardi 8 décembre 2026" in message.body
    assert "Le message de la place obtenue lui a été envoyé." in response.content.decode()
    assert calls_listed(home(client, world["claire"])) == ""


def test_correcting_marcel_s_name_sends_nothing_and_keeps_him_to_call(
    client, world, sent, mailoutbox
):
    registration_cancel(registration=world["alice"])

    with sent():
        _edit_marcel(client, world["claire"], phone="03 22 71 80 00", email="")

    assert mailoutbox == [] and sms.outbox == []
    assert "Lefebvre" in calls_listed(home(client, world["claire"]))


def test_an_e_mail_added_after_the_call_sends_nothing_more(client, world, sent, mailoutbox):
    registration_cancel(registration=world["alice"])
    registration_call_made(registration=Registration.objects.get(first_name="Marcel"))

    with sent():
        _edit_marcel(
            client, world["claire"], phone="03 22 71 80 00", email="famille.lefebvre@example.org"
        )

    assert mailoutbox == []


def _status_cells(html: str) -> dict[str, str]:
    from bs4 import BeautifulSoup

    table = BeautifulSoup(html, "html.parser").find("table", class_="listing")
    headers = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    status_at = headers.index("Statut")
    cells = {}
    for row in table.find("tbody").find_all("tr"):
        cols = row.find_all("td")
        status = cols[status_at].find(class_="status")  # the channel is the line under it
        cells[cols[0].get_text(" ", strip=True).split()[0]] = status.get_text(strip=True)
    return cells


def test_the_workshops_registrations_say_marcel_is_to_call_until_the_call_is_made(client, world):
    # Claire follows the home page's link to the workshop's registrations: among them, the
    # one she must phone says so, and stops saying it once she records the call.
    registration_cancel(registration=world["alice"])
    client.force_login(world["claire"])
    url = f"{reverse('registrations:index')}?workshop={world['workshop'].pk}"

    before = _status_cells(client.get(url).content.decode())
    registration_call_made(registration=Registration.objects.get(first_name="Marcel"))
    after = _status_cells(client.get(url).content.decode())

    assert before["Marcel"] == "confirmée – à appeler"
    assert before["Alice"] == "annulée"
    assert after["Marcel"] == "confirmée"


@pytest.fixture
def brevo_out_of_credit(settings):
    """Brevo's SMS credit has run out: every SMS fails for good (one attempt allowed)."""
    from tests.fake_brevo import API_KEY, FakeBrevo

    settings.MESSAGES_MAX_ATTEMPTS = 1
    settings.SMS_BACKEND = "sessions.sms.BrevoSmsBackend"
    settings.SMS_API_KEY = API_KEY
    with FakeBrevo() as brevo:
        settings.SMS_API_URL = brevo.url
        for _sms in range(5):
            brevo.fail_next(402, "not_enough_credits", "Not enough credits")
        yield brevo


def test_marcel_whose_seat_sms_failed_for_good_is_listed_to_call(
    client, world, sent, brevo_out_of_credit
):
    # Marcel has a mobile and no e-mail: the SMS telling him of his seat is his only news of
    # it. The credit ran out and it never left, so Claire must phone him, as she would a
    # landline; the list says why, and so does the workshop's list of registrations.
    Registration.objects.filter(pk=world["marcel"].pk).update(phone="+33698765432")

    with sent():
        registration_cancel(registration=world["alice"])

    assert brevo_out_of_credit.received == []
    panel = calls_listed(home(client, world["claire"]))
    assert f'data-registration="{world["marcel"].pk}"' in panel
    assert 'href="tel:0698765432"' in panel
    assert "Le message annonçant sa place n’est pas parti." in panel
    client.force_login(world["claire"])
    url = f"{reverse('registrations:index')}?workshop={world['workshop'].pk}"
    assert _status_cells(client.get(url).content.decode())["Marcel"] == "confirmée – à appeler"


def test_once_the_failed_seat_sms_is_sent_again_and_leaves_marcel_is_no_longer_to_call(
    client, world, sent, brevo_out_of_credit
):
    Registration.objects.filter(pk=world["marcel"].pk).update(phone="+33698765432")
    with sent():
        registration_cancel(registration=world["alice"])
    assert "Marcel" in calls_listed(home(client, world["claire"]))

    # The credit topped up, Claire sends the failed messages again from "Messages non partis".
    brevo_out_of_credit.failures.clear()
    with sent():
        client.post(reverse("workshops_messages_send_again"))

    assert "33698765432" in [str(sms["recipient"]) for sms in brevo_out_of_credit.received]
    assert calls_listed(home(client, world["claire"])) == ""


def test_a_failed_seat_sms_is_no_call_when_the_e_mail_told_marcel(
    client, world, sent, brevo_out_of_credit
):
    Registration.objects.filter(pk=world["marcel"].pk).update(
        phone="+33698765432", email="marcel@example.org"
    )

    with sent():
        registration_cancel(registration=world["alice"])

    assert brevo_out_of_credit.received == []
    assert calls_listed(home(client, world["claire"])) == ""
