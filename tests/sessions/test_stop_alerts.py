"""Stop alerts: Odette, in Prèsville, wants to know when the van comes within 20 km.

Centreville is 11.1 km from Prèsville, Loinville 22.2 km (0.1° of latitude is 11.12 km).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediation.models import Branding, Stop
from sessions import demand_notifications, gsm, sms
from sessions.alerts import (
    AlertError,
    stop_alert_confirm,
    stop_alert_create,
    stop_alerts_purge,
    stop_alerts_send,
    stop_alerts_send_due,
)
from sessions.demand_models import StopAlert
from sessions.message_models import OutboundMessage
from tests.factories import make_commune, make_coordinator, make_stop

pytestmark = pytest.mark.django_db
ODETTE_PHONE = "+33612345678"


@pytest.fixture
def places():
    def at(name, latitude):
        return make_commune(
            name=name, latitude=Decimal(latitude), longitude=Decimal("2.30000"), slug=name.lower()
        )

    return {
        "home": at("Presville", "50.00000"),
        "near": at("Centreville", "49.90000"),
        "far": at("Loinville", "49.80000"),
    }


def in_a_week():
    return timezone.localdate() + dt.timedelta(days=7)


def confirmed_alert(commune, *, radius_km=20, **contact) -> StopAlert:
    contact = contact or {"phone": ODETTE_PHONE}
    alert = stop_alert_create(commune=commune, radius_km=radius_km, consent=True, **contact)
    alert.confirmed_at = timezone.now() - dt.timedelta(minutes=1)
    alert.save()
    sms.outbox.clear()
    mail.outbox = []
    return alert


def sms_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


def test_odette_confirms_her_phone_with_the_code_before_anything_is_sent(client, places, sent):
    url = reverse("workshops:alert_create", args=[places["home"].slug])
    with sent():
        response = client.post(
            url, {"alert-radius_km": "20", "alert-phone": "06 12 34 56 78", "alert-consent": "on"}
        )
    alert = StopAlert.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("workshops:alert_code", args=[alert.key])
    assert [m.to for m in sms.outbox] == [ODETTE_PHONE]
    code = sms_code()

    # Not confirmed yet: a stop nearby is not announced.
    assert stop_alerts_send(stop=make_stop(commune=places["near"], date=in_a_week())) == 0

    response = client.post(response.url, {"code": code})
    alert.refresh_from_db()
    assert alert.is_confirmed
    assert client.get(response.url).context["alert"] == alert
    assert code not in alert.code_hash


def test_the_alert_pages_reached_by_a_personal_key_are_never_stored(client, places, sent):
    with sent():
        by_sms = stop_alert_create(
            commune=places["home"], radius_km=20, phone=ODETTE_PHONE, consent=True
        )
        by_email = stop_alert_create(
            commune=places["home"], radius_km=20, email="odette@example.org", consent=True
        )

    for url in [
        reverse("workshops:alert_code", args=[by_sms.key]),
        reverse("workshops:alert_confirm_link", args=[by_email.key]),
        reverse("workshops:alert_unsubscribe", args=[by_sms.key]),
    ]:
        assert "no-store" in client.get(url)["Cache-Control"]


def test_a_wrong_code_is_refused_next_to_the_field_and_five_end_the_attempts(client, places, sent):
    with sent():
        alert = stop_alert_create(
            commune=places["home"], radius_km=20, phone=ODETTE_PHONE, consent=True
        )
    url = reverse("workshops:alert_code", args=[alert.key])
    wrong = "000000" if sms_code() != "000000" else "111111"

    response = client.post(url, {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    for _ in range(4):
        client.post(url, {"code": wrong})
    with pytest.raises(AlertError) as error:
        stop_alert_confirm(alert=alert, code=sms_code())
    assert error.value.code == "too_many_attempts"


def test_a_code_expires_after_half_an_hour(places, sent):
    with sent():
        alert = stop_alert_create(
            commune=places["home"], radius_km=20, phone=ODETTE_PHONE, consent=True
        )
    with pytest.raises(AlertError) as error:
        stop_alert_confirm(
            alert=alert, code=sms_code(), now=timezone.now() + dt.timedelta(minutes=31)
        )
    assert error.value.code == "expired"


def odette_asks_by_phone(client, places):
    response = client.post(
        reverse("workshops:alert_create", args=[places["home"].slug]),
        {"alert-radius_km": "20", "alert-phone": "06 12 34 56 78", "alert-consent": "on"},
    )
    return StopAlert.objects.get(), response.url


@pytest.mark.usefixtures("within_one_rate_limit_window")
def test_odettes_code_did_not_come_she_asks_for_a_new_one_and_only_that_one_works(
    client, places, sent
):
    with sent():
        alert, code_page = odette_asks_by_phone(client, places)
    first_code = sms_code()
    page = client.get(code_page).content.decode()
    # She sees where it went (a mistyped number shows), and what to do if nothing comes.
    assert "06\u00a012\u00a034\u00a056\u00a078" in page
    assert 'id="no-code"' in page

    with sent():
        response = client.post(reverse("workshops:alert_code_resend", args=[alert.key]))

    assert response.status_code == 200
    assert 'id="code-resent"' in response.content.decode()
    assert [m.to for m in sms.outbox] == [ODETTE_PHONE, ODETTE_PHONE]
    second_code = sms_code()
    if second_code != first_code:  # one chance in a million that they are the same
        response = client.post(code_page, {"code": first_code})
        assert response.context["form"].errors["code"]
    client.post(code_page, {"code": second_code})
    alert.refresh_from_db()
    assert alert.is_confirmed


@pytest.mark.usefixtures("within_one_rate_limit_window")
def test_new_codes_to_one_phone_stop_at_three_an_hour_with_a_reason_beside_the_button(
    client, places, sent
):
    # The resend button must not let anyone text Odette's phone at will: the first code and
    # two new ones, then a refusal that says to wait or call; nothing more is sent.
    with sent():
        alert, _ = odette_asks_by_phone(client, places)
        resend = reverse("workshops:alert_code_resend", args=[alert.key])
        answers = [client.post(resend) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert len(sms.outbox) == 3
    page = answers[-1].content.decode()
    assert 'id="resend-error"' in page
    assert "heure" in page


def test_an_expired_code_tells_odette_to_ask_for_a_new_one_on_the_same_page(client, places, sent):
    with sent():
        alert = stop_alert_create(
            commune=places["home"], radius_km=20, phone=ODETTE_PHONE, consent=True
        )
    code_page = reverse("workshops:alert_code", args=[alert.key])
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = client.post(code_page, {"code": sms_code()})
        (error,) = response.context["form"].errors["code"]
        assert "ci-dessous" in error or "below" in error
        with sent():
            client.post(reverse("workshops:alert_code_resend", args=[alert.key]))
        client.post(code_page, {"code": sms_code()})
    alert.refresh_from_db()
    assert alert.is_confirmed


def test_a_confirmed_alert_sends_no_new_code(client, places, sent):
    alert = confirmed_alert(places["home"])

    with sent():
        response = client.post(reverse("workshops:alert_code_resend", args=[alert.key]))

    assert response.status_code == 302
    assert sms.outbox == []


def test_an_email_is_confirmed_by_the_link_and_a_mail_scanner_opening_it_confirms_nothing(
    client, places, sent
):
    with sent():
        response = client.post(
            reverse("workshops:alert_create", args=[places["home"].slug]),
            {"alert-radius_km": "10", "alert-email": "odette@example.org", "alert-consent": "on"},
        )
    assert response.status_code == 200
    alert = StopAlert.objects.get()
    assert alert.key not in response.content.decode()  # only the mailbox holds the link
    [message] = mail.outbox
    link = re.search(r"https?://\S+/confirmer/", message.body).group(0)
    path = link.split("8000", 1)[-1]

    client.get(path)
    alert.refresh_from_db()
    assert not alert.is_confirmed
    client.post(path)
    alert.refresh_from_db()
    assert alert.is_confirmed


def test_one_message_per_new_stop_within_the_radius(places, sent):
    alert = confirmed_alert(places["home"], radius_km=20)
    near = make_stop(commune=places["near"], date=in_a_week())
    far = make_stop(commune=places["far"], date=in_a_week())

    with sent():
        assert stop_alerts_send(stop=near) == 1
        assert stop_alerts_send(stop=far) == 0  # 22 km: outside her 20 km
        assert stop_alerts_send(stop=near) == 0  # never twice
    [message] = sms.outbox
    assert message.to == alert.phone
    assert "Centreville" in message.body
    assert reverse("cms:stop", args=[near.pk]) in message.body
    assert reverse("workshops:alert_unsubscribe", args=[alert.key]) in message.body


def test_stops_already_published_cancelled_or_past_are_not_news(places):
    before = make_stop(commune=places["near"], date=in_a_week())
    Stop.objects.filter(pk=before.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    confirmed_alert(places["home"])
    cancelled = make_stop(commune=places["near"], date=in_a_week(), status="cancelled")
    past = make_stop(commune=places["near"], date=timezone.localdate() - dt.timedelta(days=1))

    assert [stop_alerts_send(stop=s) for s in (before, cancelled, past)] == [0, 0, 0]
    assert sms.outbox == []


def test_an_email_alert_carries_the_unsubscribe_link(places, sent):
    alert = confirmed_alert(places["home"], email="odette@example.org")

    with sent():
        stop_alerts_send(stop=make_stop(commune=places["near"], date=in_a_week()))

    [message] = mail.outbox
    assert reverse("workshops:alert_unsubscribe", args=[alert.key]) in message.body
    assert "Centreville" in message.subject


def test_after_unsubscribing_nothing_is_sent_and_the_contact_is_gone(client, places, sent):
    alert = confirmed_alert(places["home"])
    with sent():
        stop_alerts_send(stop=make_stop(commune=places["near"], date=in_a_week()))
    # The code, then the stop.
    assert OutboundMessage.objects.filter(recipient=ODETTE_PHONE).count() == 2
    url = reverse("workshops:alert_unsubscribe", args=[alert.key])

    client.get(url)  # a link preview changes nothing
    assert StopAlert.objects.exists()
    response = client.post(url)

    assert response.status_code == 200
    assert not StopAlert.objects.filter(phone=ODETTE_PHONE).exists()
    # The message log keeps that a message left, not to whom nor what it said.
    assert not OutboundMessage.objects.filter(recipient=ODETTE_PHONE).exists()
    assert set(OutboundMessage.objects.values_list("body", flat=True)) == {""}
    with sent():
        assert stop_alerts_send(stop=make_stop(commune=places["near"], date=in_a_week())) == 0
    assert len(sms.outbox) == 1
    assert client.post(url).status_code == 200  # twice is fine


def test_a_stop_created_in_the_back_office_is_announced_at_once(client, places, sent):
    confirmed_alert(places["home"])
    client.force_login(make_coordinator())
    day = in_a_week()

    with sent():
        response = client.post(
            reverse("wagtailsnippets_mediation_stop:add"),
            {
                "commune": places["near"].pk,
                "date": day.isoformat(),
                "start_time": "09:30",
                "end_time": "12:00",
                "place_name": "Place de la mairie",
                "status": "planned",
            },
        )

    assert response.status_code == 302
    assert len(sms.outbox) == 1


def test_the_cron_command_catches_stops_made_elsewhere_once(places, sent):
    confirmed_alert(places["home"])
    make_stop(commune=places["near"], date=in_a_week())

    with sent():
        call_command("send_stop_alerts")
        call_command("send_stop_alerts")

    assert len(sms.outbox) == 1


def test_the_cron_command_applies_the_same_rules_as_a_save_in_the_back_office(places, sent):
    before = make_stop(commune=places["near"], date=in_a_week())
    Stop.objects.filter(pk=before.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    confirmed_alert(places["home"], radius_km=20)
    near = make_stop(commune=places["near"], date=in_a_week())
    make_stop(commune=places["far"], date=in_a_week())  # 22 km: outside her 20 km
    make_stop(commune=places["near"], date=in_a_week(), status="cancelled")
    make_stop(commune=places["near"], date=timezone.localdate() - dt.timedelta(days=1))
    stop_alerts_send(stop=make_stop(commune=places["home"], date=in_a_week()))  # told already
    sms.outbox.clear()

    with sent():
        assert stop_alerts_send_due() == 1

    [message] = sms.outbox
    assert reverse("cms:stop", args=[near.pk]) in message.body


def test_the_cron_command_reads_as_much_for_two_new_stops_as_for_twenty(places):
    """A series planned in one go is hundreds of new stops; the command runs every hour."""
    confirmed_alert(places["home"], radius_km=10)  # the stops below are 11 and 22 km away

    def queries_of_the_command() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert stop_alerts_send_due() == 0
        return len(queries)

    for _ in range(2):
        make_stop(commune=places["far"], date=in_a_week())
    with_two = queries_of_the_command()
    for _ in range(18):
        make_stop(commune=places["near"], date=in_a_week())
    assert queries_of_the_command() == with_two


def test_an_alert_at_the_longest_names_fits_two_sms_with_both_links_whole(places, sent, settings):
    """Found at volume: shortening a too long alert reached for a module it does not name,
    and the hourly command stopped at that alert, every hour."""
    settings.SITE_URL = "https://bus-numerique.somme.fr"
    branding = Branding.load()
    branding.site_name = "Le Bus numérique de la Somme"
    branding.contact_phone = "03 22 71 80 80"
    branding.save()
    alert = confirmed_alert(places["home"], radius_km=20)
    places["near"].name = "Saint-Léger-sur-Bresle-lès-Aumale-en-Vimeu"
    places["near"].save()
    stop = make_stop(
        commune=places["near"],
        date=dt.date.today() + dt.timedelta(days=9),
        place_name="Parking de la salle polyvalente Marcel-Dassault, derrière l’école " * 3,
    )

    with sent():
        assert stop_alerts_send_due() == 1

    [message] = sms.outbox
    assert gsm.is_gsm7(message.body)
    assert gsm.septets(message.body) <= gsm.MAX_SEPTETS
    assert f"https://bus-numerique.somme.fr/escales/{stop.pk}/" in message.body
    unsubscribe = reverse("workshops:alert_unsubscribe", args=[alert.key])
    assert f"https://bus-numerique.somme.fr{unsubscribe}" in message.body


def test_an_alert_that_cannot_be_told_is_logged_and_the_others_are_told(
    places, sent, monkeypatch, caplog
):
    odette = confirmed_alert(places["home"])
    marcel = confirmed_alert(places["home"], phone="+33698765432")
    stop = make_stop(commune=places["near"], date=in_a_week())
    real = demand_notifications.alert_new_stop

    def fails_for_odette(alert, stop, **kwargs):
        if alert.pk == odette.pk:
            raise ValueError("a message that cannot be made")
        return real(alert, stop, **kwargs)

    monkeypatch.setattr(demand_notifications, "alert_new_stop", fails_for_odette)
    with sent():
        assert stop_alerts_send_due() == 1
    assert [message.to for message in sms.outbox] == [marcel.phone]
    assert f"Stop alert {odette.pk}: stop {stop.pk} not announced" in caplog.text

    monkeypatch.setattr(demand_notifications, "alert_new_stop", real)
    with sent():
        assert stop_alerts_send_due() == 1  # her turn at the next run, his not again
    assert [message.to for message in sms.outbox] == [marcel.phone, odette.phone]


def test_alerts_are_purged_after_a_year_and_unconfirmed_ones_after_two_days(places):
    old = confirmed_alert(places["home"])
    recent = confirmed_alert(places["near"])
    unconfirmed = stop_alert_create(
        commune=places["far"], radius_km=10, email="x@example.org", consent=True
    )
    StopAlert.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=366))
    StopAlert.objects.filter(pk=unconfirmed.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )

    assert stop_alerts_purge() == 2
    assert list(StopAlert.objects.all()) == [recent]
    call_command("purge_personal_data")  # the daily cron runs it too
    assert StopAlert.objects.count() == 1


def test_the_form_refuses_both_contacts_or_none_in_french_next_to_the_field(client, places):
    url = reverse("workshops:alert_create", args=[places["home"].slug])

    none = client.post(url, {"alert-radius_km": "20", "alert-consent": "on"})
    both = client.post(
        url,
        {
            "alert-radius_km": "20",
            "alert-phone": "0612345678",
            "alert-email": "o@example.org",
            "alert-consent": "on",
        },
    )

    assert none.context["form"].errors["phone"][0]
    assert both.context["form"].errors["email"][0]
    assert 'aria-invalid="true"' in none.content.decode()
    assert not StopAlert.objects.exists()


def test_odette_giving_her_landline_is_asked_for_a_mobile_or_an_e_mail(client, places, sent):
    # The code goes by SMS: a landline never gets it, and the alert was left unconfirmable.
    url = reverse("workshops:alert_create", args=[places["home"].slug])
    with sent():
        response = client.post(
            url, {"alert-radius_km": "20", "alert-phone": "03 22 71 80 00", "alert-consent": "on"}
        )

    assert response.status_code == 200
    (error,) = response.context["form"].errors["phone"]
    assert "landline" in error or "fixe" in error
    assert not StopAlert.objects.exists()
    assert sms.outbox == []


def test_a_number_abroad_is_told_codes_go_to_french_numbers_only(client, places, sent):
    # A code texted abroad costs far more, and is how SMS pumping bills a sender: refused,
    # with a reason that tells a Belgian neighbour to give a French mobile or an e-mail.
    url = reverse("workshops:alert_create", args=[places["home"].slug])
    with sent():
        response = client.post(
            url, {"alert-radius_km": "20", "alert-phone": "+32 470 12 34 56", "alert-consent": "on"}
        )

    assert response.status_code == 200
    (error,) = response.context["form"].errors["phone"]
    assert "French" in error or "français" in error
    assert not StopAlert.objects.exists()
    assert sms.outbox == []


def test_a_bot_filling_the_honeypot_is_refused_and_nothing_is_sent(client, places):
    response = client.post(
        reverse("workshops:alert_create", args=[places["home"].slug]),
        {
            "alert-radius_km": "20",
            "alert-phone": "0612345678",
            "alert-consent": "on",
            "alert-website": "http://spam.example",
        },
    )

    assert response.status_code == 400
    assert not StopAlert.objects.exists() and sms.outbox == []


@pytest.mark.usefixtures("within_one_rate_limit_window")
def test_the_form_is_rate_limited_per_address(client, places):
    url = reverse("workshops:alert_create", args=[places["home"].slug])
    statuses = [
        client.post(url, {"alert-radius_km": "20", "alert-consent": "on"}).status_code
        for _ in range(11)
    ]

    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


@pytest.mark.usefixtures("within_one_rate_limit_window")
def test_a_stranger_changing_address_cannot_text_odette_codes_all_day(client, places, sent):
    # Each request from another address, for another commune: the per-address limit never
    # bites, but Odette's phone gets three codes an hour at most.
    answers = []
    with sent():
        for number, commune in enumerate([*places.values(), places["home"]]):
            answers.append(
                client.post(
                    reverse("workshops:alert_create", args=[commune.slug]),
                    {
                        "alert-radius_km": "20",
                        "alert-phone": "06 12 34 56 78",
                        "alert-consent": "on",
                    },
                    REMOTE_ADDR=f"203.0.113.{number + 1}",
                )
            )

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert [m.to for m in sms.outbox] == [ODETTE_PHONE] * 3
    refused = answers[-1]
    assert refused.context["form"].errors["phone"]
    assert 'id="id_alert-phone_error"' in refused.content.decode()

    # Another resident's e-mail is not held back by Odette's phone.
    other = client.post(
        reverse("workshops:alert_create", args=[places["home"].slug]),
        {"alert-radius_km": "20", "alert-email": "lucien@example.org", "alert-consent": "on"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 200
    assert StopAlert.objects.filter(email="lucien@example.org").exists()


def test_odette_of_avelesges_reads_au_crotoy_and_d_avelesges_in_french(sent):
    """Translations say "à %(commune)s" and "de %(commune)s": the messages write them as
    French does before a name that starts with "Le" or a vowel."""
    home = make_commune(
        name="Avelesges", slug="avelesges", latitude=Decimal("50.0"), longitude=Decimal("2.3")
    )
    crotoy = make_commune(
        name="Le Crotoy", slug="le-crotoy", latitude=Decimal("49.9"), longitude=Decimal("2.3")
    )
    by_sms = confirmed_alert(home)
    by_mail = confirmed_alert(home, email="odette@example.org")

    with sent():
        stop_alerts_send(stop=make_stop(commune=crotoy, date=in_a_week()))

    [text] = [message.body for message in sms.outbox if message.to == by_sms.phone]
    [email] = [message for message in mail.outbox if message.to == [by_mail.email]]
    assert "au Crotoy" in text and "à Le Crotoy" not in text
    assert "au Crotoy" in email.subject
    assert "d'Avelesges" in email.body or "d’Avelesges" in email.body
    assert "de Avelesges" not in email.body
