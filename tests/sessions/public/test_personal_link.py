"""The personal link: see or cancel a registration, no account; altered or old links refused."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions.links import PersonalLinkError, personal_link, registration_from_token
from sessions.models import Registration
from sessions.services import registration_create
from tests.factories import make_stop, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(workshop):
    return registration_create(workshop=workshop, **resident(1))


def test_the_link_shows_the_registration(client, registration):
    response = client.get(personal_link(registration).path)

    assert response.status_code == 200
    assert response.context["registration"] == registration
    assert 'data-status="confirmed"' in response.content.decode()
    assert reverse("workshops:registration_cancel", args=[personal_link(registration).token]) in (
        response.content.decode()
    )


def test_opening_the_cancel_page_does_not_cancel(client, registration):
    token = personal_link(registration).token

    response = client.get(reverse("workshops:registration_cancel", args=[token]))

    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_confirming_cancels_and_frees_the_seat(client, registration):
    token = personal_link(registration).token

    response = client.post(reverse("workshops:registration_cancel", args=[token]))

    assert response.status_code == 302
    assert response.url == reverse("workshops:registration_detail", args=[token])
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert registration.cancelled_at is not None
    registration.workshop.refresh_from_db()
    assert registration.workshop.seats_taken == 0
    again = client.post(reverse("workshops:registration_cancel", args=[token]))
    assert again.status_code == 302
    assert 'data-status="cancelled"' in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:10],
        lambda token: "x" + token,
        lambda token: "nothing-here",
    ],
)
def test_an_altered_link_gets_a_clear_page_not_an_error(client, registration, tamper):
    token = tamper(personal_link(registration).token)

    for name in ("registration_detail", "registration_confirmation", "registration_cancel"):
        response = client.get(reverse(f"workshops:{name}", args=[token]))
        assert response.status_code == 404
        assert 'data-code="invalid"' in response.content.decode()
    assert client.post(reverse("workshops:registration_cancel", args=[token])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_link_for_another_registration_cannot_be_forged_by_changing_the_uuid(registration):
    other = registration_create(workshop=registration.workshop, **resident(2))
    token = personal_link(registration).token

    assert registration_from_token(token) == registration
    assert registration_from_token(personal_link(other).token) == other
    assert personal_link(registration).token != personal_link(other).token


def test_a_link_expires_after_the_workshop(client, db):
    day = timezone.localdate() + dt.timedelta(days=3)
    workshop = make_workshop(stop=make_stop(date=day))
    registration = registration_create(workshop=workshop, **resident(1))
    path = personal_link(registration).path

    with time_machine.travel(workshop.ends_at + dt.timedelta(hours=2)):
        assert client.get(path).status_code == 200
    with time_machine.travel(workshop.ends_at + dt.timedelta(days=2)):
        response = client.get(path)

    assert response.status_code == 410
    assert 'data-code="expired"' in response.content.decode()


def test_jeanine_reopening_her_confirmation_after_cancelling_reads_cancelled_in_the_heading(
    client, registration
):
    # The confirmation page stays in her phone's history; a big "You are registered" above
    # a small "cancelled" line would send her to the van for nothing.
    token = personal_link(registration).token
    client.post(reverse("workshops:registration_cancel", args=[token]))

    for name in ["workshops:registration_confirmation", "workshops:registration_detail"]:
        html = client.get(reverse(name, args=[token])).content.decode()
        heading = html.split("<h1", 1)[1].split("</h1>", 1)[0]
        assert 'id="registration-cancelled"' in heading
        assert 'data-status="cancelled"' in html


def test_once_the_workshop_has_begun_the_cancel_page_says_so_before_any_button(client, db):
    workshop = make_workshop(stop=make_stop(date=timezone.localdate() + dt.timedelta(days=3)))
    registration = registration_create(workshop=workshop, **resident(1))
    url = reverse("workshops:registration_cancel", args=[personal_link(registration).token])

    with time_machine.travel(workshop.starts_at + dt.timedelta(minutes=5)):
        page = client.get(url)
        pressed = client.post(url)

    assert page.status_code == 200
    assert 'id="too-late"' in page.content.decode()
    assert 'id="confirm-cancel"' not in page.content.decode()
    assert pressed.status_code == 409
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_no_browser_or_proxy_keeps_a_personal_page_for_the_next_user_of_the_town_hall_pc(
    client, registration
):
    from sessions.links import short_link

    token = personal_link(registration).token
    answers = [
        client.get(reverse(name, args=[token]))
        for name in [
            "workshops:registration_confirmation",
            "workshops:registration_detail",
            "workshops:registration_cancel",
        ]
    ]
    answers.append(client.get(short_link(registration).path))

    for answer in answers:
        assert answer.status_code in (200, 302)
        assert "no-store" in answer["Cache-Control"]
        assert "private" in answer["Cache-Control"]
    robots = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /r/" in robots and "Disallow: /alertes/" in robots


def test_bumping_the_token_version_revokes_older_links(client, registration):
    old = personal_link(registration)
    Registration.objects.filter(pk=registration.pk).update(token_version=2)
    registration.refresh_from_db()

    response = client.get(old.path)

    assert response.status_code == 404
    assert 'data-code="revoked"' in response.content.decode()
    assert client.get(personal_link(registration).path).status_code == 200
    with pytest.raises(PersonalLinkError) as excinfo:
        registration_from_token(old.token)
    assert excinfo.value.code == "revoked"


def test_marcel_who_signed_up_with_his_landline_is_not_told_a_message_was_sent(client, workshop):
    # Marcel has no mobile and no e-mail: nothing can reach his landline, so the page must
    # not say "we have sent you this information" (he would wait for it, and for a
    # reminder); it tells him to note the workshop, and that staff phone if it changes.
    marcel = registration_create(
        workshop=workshop, **resident(4, first_name="Marcel", phone="03 22 71 80 00", email="")
    )
    jeanine = registration_create(workshop=workshop, **resident(1, email=""))

    marcels_page = client.get(personal_link(marcel).path).content.decode()
    jeanines_page = client.get(personal_link(jeanine).path).content.decode()

    assert 'id="nothing-sent"' in marcels_page
    assert 'id="message-sent"' not in marcels_page
    assert 'id="message-sent"' in jeanines_page
    assert 'id="nothing-sent"' not in jeanines_page


def test_a_neighbour_with_a_belgian_mobile_reads_that_texts_go_to_french_numbers_only(
    client, workshop
):
    # Not "a landline": his number is a mobile, abroad, and no SMS goes there.
    registration = registration_create(
        workshop=workshop, **resident(6, first_name="Luc", phone="+32 470 12 34 56", email="")
    )

    page = client.get(personal_link(registration).path).content.decode()

    assert 'id="nothing-sent"' in page and 'id="message-sent"' not in page
    assert "numéros français" in page
    assert "téléphone fixe" not in page


def test_after_her_erasure_jeannes_link_says_her_data_were_erased_and_shows_nothing(
    client, registration
):
    # Jeanne asked the coordinator to erase her data before the workshop, then opens the
    # link of her confirmation: she reads that it was done, not that she copied it wrong.
    from sessions.privacy.services import person_erase
    from tests.factories import make_coordinator

    link = personal_link(registration)
    person_erase(contact=registration.phone, by=make_coordinator("dpo"))

    for name in ("registration_detail", "registration_confirmation", "registration_cancel"):
        response = client.get(reverse(f"workshops:{name}", args=[link.token]))
        assert response.status_code == 410
        html = response.content.decode()
        assert 'data-code="erased"' in html
        assert registration.workshop.module.title not in html
    assert client.post(reverse("workshops:registration_cancel", args=[link.token])).status_code == (
        410
    )
    with pytest.raises(PersonalLinkError) as excinfo:
        registration_from_token(link.token)
    assert excinfo.value.code == "erased"
