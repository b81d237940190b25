"""Why a message did not leave, in French, for the staff who read a registration's messages.

Marcel signed up by phone from his landline: his confirmation by SMS was not sent, and the
log says why in Claire's words, not in the worker's English. Josiane got a seat at 23:30:
her SMS waits for the morning, and the log says so instead of a bare "nouvel essai".
The provider's own words (Brevo's "Not enough credits") are shown as they came.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from mediation.models import PARIS
from sessions.message_models import MessageKind, OutboundMessage
from sessions.services import registration_cancel, registration_create
from tests.factories import make_coordinator, make_stop, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


def messages_page(client, registration) -> str:
    client.force_login(make_coordinator("claire"))
    response = client.get(reverse("workshops_registration_messages", args=[registration.pk]))
    assert response.status_code == 200
    return response.content.decode()


def reason_cell(html: str, state: str) -> str:
    from bs4 import BeautifulSoup

    row = BeautifulSoup(html, "html.parser").find("tr", attrs={"data-state": state})
    return row.find_all("td")[-1].get_text(" ", strip=True)


def test_marcel_s_sms_not_sent_to_his_landline_is_explained_in_french(client, workshop, sent):
    with sent():
        marcel = registration_create(
            workshop=workshop,
            **resident(4, first_name="Marcel", phone="03 22 71 80 00"),
            channel="phone",
        )

    page = messages_page(client, marcel)

    assert reason_cell(page, "skipped") == "Pas un numéro de mobile\u00a0: aucun SMS envoyé"
    assert "not a mobile" not in page


def test_josiane_s_seat_sms_waiting_for_the_morning_says_so(client, sent, settings):
    settings.SMS_DAY_STARTS, settings.SMS_DAY_ENDS = 8, 21
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=PARIS), tick=False), sent():
        workshop = make_workshop(stop=make_stop(date=dt.date(2026, 12, 8)), capacity=1)
        alice = registration_create(workshop=workshop, **resident(1, email=""))
        josiane = registration_create(
            workshop=workshop, **resident(2, first_name="Josiane", email="")
        )

    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 30, tzinfo=PARIS), tick=False):
        with sent():
            registration_cancel(registration=alice)
        page = messages_page(client, josiane)

    assert OutboundMessage.objects.get(registration=josiane, kind=MessageKind.PROMOTED)
    assert reason_cell(page, "retrying") == "Pas de SMS la nuit\u00a0: il partira au matin"
    assert "prochaine tentative le mercredi 2 décembre 2026, 8\u00a0h</small>" in page
