"""A public form sent twice (a second tap while the first waits on a weak signal, or the back
button and the button again) makes one thing and answers as the first sending did.

The sign-up leads to the confirmation of the one registration it made (the same name and
number typed into another form are still told "already registered", and given no link);
"Prévenez-moi" sends one code and shows its page; "Faites venir le bus" makes one request.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sessions import sms
from sessions.demand_models import BusRequest, StopAlert
from sessions.message_models import OutboundMessage
from sessions.models import Registration, RegistrationStatus
from sessions.services import registration_cancel, registration_create
from tests.factories import make_commune
from tests.postgresql import postgresql_only, run_at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("within_one_rate_limit_window")]

JOSIANE = {
    "first_name": "Josiane",
    "last_name": "Vasseur",
    "phone": "06 12 34 56 78",
    "home_commune": "Bourg-de-Test",
    "consent": "on",
    "waiting_list_ok": "on",
}


@pytest.fixture(autouse=True)
def bourg():
    return make_commune(name="Bourg-de-Test")


def form_page(workshop=None, *, path: str = "", browser: Client | None = None):
    """A browser (a new one unless given) that opened a form (the workshop's sign-up, or the
    page at `path`): its client, and the form's CSRF token."""
    browser = browser or Client(enforce_csrf_checks=True)
    path = path or reverse("workshops:signup", args=[workshop.pk])
    html = browser.get(path).content.decode()
    return browser, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def at_once(browser: Client, sending, times: int = 5) -> list:
    """`sending(client)` done `times` times at the same instant with this browser's cookies,
    each in its own thread and database connection, as web workers take them."""

    def one():
        worker = Client(enforce_csrf_checks=True)
        worker.cookies.update(browser.cookies)
        return sending(worker)

    return run_at_once([one] * times)


def send(browser: Client, token: str, workshop, data=JOSIANE):
    return browser.post(
        reverse("workshops:signup", args=[workshop.pk]),
        data | {"csrfmiddlewaretoken": token},
    )


def test_the_same_form_sent_twice_leads_twice_to_the_one_confirmation(workshop):
    browser, token = form_page(workshop)

    first = send(browser, token, workshop)
    second = send(browser, token, workshop)

    assert first.status_code == second.status_code == 302
    assert "/confirmation/" in first["Location"]
    assert second["Location"] == first["Location"]
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1
    # One confirmation for her phone, not two.
    assert OutboundMessage.objects.filter(registration=registration).count() == 1


def test_what_she_corrected_before_sending_her_form_again_is_what_the_mediators_read(workshop):
    # Back on the form, she adds what she needs help with and picks her own village: the same
    # registration, with what she wrote last.
    village = make_commune(name="Villers-Test")
    browser, token = form_page(workshop)
    send(browser, token, workshop)

    send(
        browser,
        token,
        workshop,
        JOSIANE | {"needs": "Mon mot de passe CAF", "home_commune": "Villers-Test"},
    )

    registration = Registration.objects.get()
    assert registration.needs == "Mon mot de passe CAF"
    assert registration.home_commune == village


def test_another_form_with_her_name_and_number_is_told_and_given_no_link(workshop):
    browser, token = form_page(workshop)
    confirmation = send(browser, token, workshop)["Location"]

    someone, other_token = form_page(workshop)
    answer = send(someone, other_token, workshop)

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Vous êtes déjà inscrit" in html
    her_token = confirmation.split("/inscription/")[1].split("/")[0]
    assert her_token not in html
    assert Registration.objects.count() == 1


def test_her_own_form_sent_again_after_she_cancelled_signs_her_up_anew(workshop):
    # She cancelled, then went back to the form still on her screen and sent it again: she
    # wants her seat back, not the page of the registration she cancelled.
    browser, token = form_page(workshop)
    first = send(browser, token, workshop)
    registration_cancel(registration=Registration.objects.get())

    again = send(browser, token, workshop)

    assert again.status_code == 302
    assert again["Location"] != first["Location"]
    assert Registration.objects.active().get().status == RegistrationStatus.CONFIRMED


def test_a_place_on_the_waiting_list_asked_twice_shows_the_one_place(workshop):
    for number in range(workshop.capacity):
        registration_create(
            workshop=workshop,
            first_name="Voisin",
            last_name=str(number),
            phone=f"+3361111110{number}",
        )
    browser, token = form_page(workshop)

    first = send(browser, token, workshop)
    second = send(browser, token, workshop)

    assert second["Location"] == first["Location"]
    assert Registration.objects.get(first_name="Josiane").status == RegistrationStatus.WAITING


def test_the_same_form_sent_for_a_second_person_signs_her_up_too(workshop):
    # The town hall's secretary signs up Josiane, then goes back, changes the name and the
    # number and signs up her husband: two people, two registrations.
    browser, token = form_page(workshop)
    send(browser, token, workshop)

    husband = send(
        browser, token, workshop, JOSIANE | {"first_name": "Marcel", "phone": "06 98 76 54 32"}
    )

    assert husband.status_code == 302
    assert Registration.objects.count() == 2


def test_one_page_that_signed_up_two_people_leads_each_sending_to_its_own_person(workshop):
    # Josiane's form, sent again after the secretary signed up Marcel from the same page,
    # leads to Josiane's confirmation, not to the newest one the page made.
    browser, token = form_page(workshop)
    josiane = send(browser, token, workshop)
    send(browser, token, workshop, JOSIANE | {"first_name": "Marcel", "phone": "06 98 76 54 32"})

    again = send(browser, token, workshop)

    assert again.status_code == 302
    assert again["Location"] == josiane["Location"]


def test_a_form_without_a_token_is_found_by_no_key(workshop):
    # Registrations made by staff or by the tablet carry no form digest: an empty key must
    # never match them.
    registration_create(workshop=workshop, first_name="Gérard", phone="+33612345678")

    assert not Registration.objects.sent_by_form("").exists()


ONLY_ON_POSTGRESQL = postgresql_only(
    "Simultaneous sendings are proven on PostgreSQL (CI runs it there)"
)


@pytest.mark.django_db(transaction=True)
@ONLY_ON_POSTGRESQL[0]
@ONLY_ON_POSTGRESQL[1]
def test_sendings_of_one_form_at_the_same_instant_all_lead_to_the_one_confirmation(workshop):
    # Five sendings of one form reach the web workers at once: each, in its own connection,
    # waits for the first to commit and answers with its confirmation.
    browser, token = form_page(workshop)

    answers = at_once(browser, lambda worker: send(worker, token, workshop))

    assert [answer.status_code for answer in answers] == [302] * 5
    assert len({answer["Location"] for answer in answers}) == 1
    assert Registration.objects.count() == 1
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


# "Prévenez-moi", on the commune page.
ODETTE = {"alert-radius_km": "20", "alert-phone": "06 12 34 56 78", "alert-consent": "on"}


def ask_for_alerts(browser: Client, token: str, commune, data=ODETTE):
    return browser.post(
        reverse("workshops:alert_create", args=[commune.slug]),
        data | {"csrfmiddlewaretoken": token},
    )


def test_the_alert_form_sent_twice_sends_one_code_and_shows_its_page(bourg, sent):
    # A second code would make the first one wrong, and the first SMS is the one that comes
    # first: Odette would type it and be told it is not the right one.
    browser, token = form_page(path=reverse("cms:commune", args=[bourg.slug]))

    with sent():
        first = ask_for_alerts(browser, token, bourg)
        second = ask_for_alerts(browser, token, bourg)

    alert = StopAlert.objects.get()
    code_page = reverse("workshops:alert_code", args=[alert.key])
    assert first["Location"] == second["Location"] == code_page
    assert len(sms.outbox) == 1
    code = re.search(r"\b(\d{6})\b", sms.outbox[0].body).group(1)
    browser.post(code_page, {"code": code, "csrfmiddlewaretoken": token})
    alert.refresh_from_db()
    assert alert.is_confirmed


def test_the_alert_form_corrected_and_sent_again_keeps_the_new_distance(bourg, sent):
    browser, token = form_page(path=reverse("cms:commune", args=[bourg.slug]))

    with sent():
        ask_for_alerts(browser, token, bourg)
        ask_for_alerts(browser, token, bourg, ODETTE | {"alert-radius_km": "30"})

    assert StopAlert.objects.get().radius_km == 30
    assert len(sms.outbox) == 1


def test_a_second_sending_counts_no_code_against_the_phone(bourg, sent):
    # Three codes an hour to one phone: the form sent twice sent one, so "Code pas reçu ?"
    # still gives two new ones.
    browser, token = form_page(path=reverse("cms:commune", args=[bourg.slug]))
    with sent():
        ask_for_alerts(browser, token, bourg)
        code_page = ask_for_alerts(browser, token, bourg)["Location"]
        resend = reverse("workshops:alert_code_resend", args=[StopAlert.objects.get().key])
        answers = []
        for _ in range(2):  # each time from the code page as it stands
            _, page_token = form_page(path=code_page, browser=browser)
            answers.append(browser.post(resend, {"csrfmiddlewaretoken": page_token}))

    assert [answer.status_code for answer in answers] == [200, 200]
    assert len(sms.outbox) == 3


def test_code_pas_recu_pressed_twice_sends_one_new_code_and_that_one_works(bourg, sent):
    browser, token = form_page(path=reverse("cms:commune", args=[bourg.slug]))
    with sent():
        code_page = ask_for_alerts(browser, token, bourg)["Location"]
        resend = reverse("workshops:alert_code_resend", args=[StopAlert.objects.get().key])
        _, page_token = form_page(path=code_page, browser=browser)
        first = browser.post(resend, {"csrfmiddlewaretoken": page_token})
        second = browser.post(resend, {"csrfmiddlewaretoken": page_token})

    assert first.status_code == second.status_code == 200
    assert 'id="code-resent"' in second.content.decode()
    assert len(sms.outbox) == 2
    new_code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    browser.post(code_page, {"code": new_code, "csrfmiddlewaretoken": page_token})
    assert StopAlert.objects.get().is_confirmed


def test_another_alert_form_for_the_same_phone_starts_afresh_with_a_new_code(bourg, sent):
    # Her code did not come and she filled in the form again on a new page: as before, a new
    # code replaces the first.
    with sent():
        ask_for_alerts(*form_page(path=reverse("cms:commune", args=[bourg.slug])), bourg)
        first_key = StopAlert.objects.get().key
        ask_for_alerts(*form_page(path=reverse("cms:commune", args=[bourg.slug])), bourg)

    assert StopAlert.objects.get().key != first_key
    assert len(sms.outbox) == 2


# "Faites venir le bus", on the commune page.
MAIRIE = {
    "request-requester_kind": "mairie",
    "request-organisation": "Mairie de Bourg-de-Test",
    "request-contact_name": "Martine Leroy",
    "request-phone": "03 22 00 00 00",
    "request-needs": "Déclaration de revenus",
    "request-consent": "on",
}


def ask_for_the_bus(browser: Client, token: str, commune, data=MAIRIE):
    return browser.post(
        reverse("workshops:bus_request", args=[commune.slug]),
        data | {"csrfmiddlewaretoken": token},
    )


def test_a_request_for_a_visit_sent_twice_is_one_request_to_triage(bourg):
    browser, token = form_page(path=reverse("cms:commune", args=[bourg.slug]))

    first = ask_for_the_bus(browser, token, bourg)
    second = ask_for_the_bus(browser, token, bourg)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert BusRequest.objects.count() == 1


def test_a_request_corrected_and_sent_again_is_corrected_while_it_waits(bourg):
    # The town hall went back, added what it had forgotten and sent the form again.
    browser, token = form_page(path=reverse("cms:commune", args=[bourg.slug]))
    ask_for_the_bus(browser, token, bourg)

    ask_for_the_bus(
        browser, token, bourg, MAIRIE | {"request-needs": "Déclaration de revenus, compte Ameli"}
    )

    assert BusRequest.objects.get().needs == "Déclaration de revenus, compte Ameli"


def test_two_requests_from_two_forms_are_two_requests(bourg):
    ask_for_the_bus(*form_page(path=reverse("cms:commune", args=[bourg.slug])), bourg)
    ask_for_the_bus(*form_page(path=reverse("cms:commune", args=[bourg.slug])), bourg)

    assert BusRequest.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@ONLY_ON_POSTGRESQL[0]
@ONLY_ON_POSTGRESQL[1]
def test_a_request_sent_at_the_same_instant_from_one_form_is_one_request(bourg):
    browser, token = form_page(path=reverse("cms:commune", args=[bourg.slug]))

    answers = at_once(browser, lambda worker: ask_for_the_bus(worker, token, bourg))

    assert [answer.status_code for answer in answers] == [302] * 5
    assert BusRequest.objects.count() == 1
