"""Every SMS fits: GSM 7-bit only, two segments at most, with the Somme's longest names."""

import datetime as dt

import pytest
from django.utils import translation

from mediation.demo import DEMO_MODULES
from mediation.demo_tour import PLACES
from mediation.models import Branding
from mediation.services import DEFAULT_COMMUNES_CSV, parse_communes_csv
from sessions import gsm
from sessions.links import short_link
from sessions.message_models import Channel, MessageKind, OutboundMessage
from sessions.notifications import compose, sms_template
from tests.factories import make_commune, make_module, make_stop, make_workshop
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db

# Every kind of message about a registration, with the parameters it is sent with.
KINDS = [
    (MessageKind.CONFIRMED, {}),
    (MessageKind.WAITING, {}),
    (MessageKind.PROMOTED, {}),
    (MessageKind.CANCELLED, {}),
    (MessageKind.STOP_CANCELLED, {"reason": "Le camion est en panne : toutes nos excuses."}),
    (MessageKind.REMINDER, {"days": 2}),
    (MessageKind.REMINDER, {"days": 1}),
    (MessageKind.BROADCAST, {"text": "Le bus aura 30 minutes de retard, à tout à l’heure !"}),
]


@pytest.fixture
def longest_registration(settings):
    """A sign-up at the Somme's longest commune name, longest module and longest place."""
    settings.SITE_URL = "https://bus-numerique.somme.fr"
    branding = Branding.load()
    branding.site_name = "Le Bus numérique de la Somme"
    branding.contact_phone = "03 22 71 80 80"
    branding.save()
    longest = max(parse_communes_csv(DEFAULT_COMMUNES_CSV), key=lambda row: len(row.name))
    commune = make_commune(name=longest.name, insee_code=longest.insee_code)
    module_title = max((spec["title"] for spec in DEMO_MODULES), key=len)
    place = max((name for name, _directions in PLACES), key=len)
    # A Wednesday in December: the longest French day and month names.
    stop = make_stop(commune=commune, place_name=place, date=dt.date(2030, 12, 18))
    workshop = make_workshop(
        stop=stop,
        module=make_module(title=module_title),
        start_time=dt.time(14, 30),
        end_time=dt.time(16, 45),
    )
    return workshop.registrations.create(
        **resident(1), status="confirmed", consent_at=stop.updated_at
    )


def sms_of(registration, kind, params) -> str:
    message = OutboundMessage(
        registration=registration, kind=kind, channel=Channel.SMS, params=params
    )
    return compose(message).sms


@pytest.mark.parametrize("kind, params", KINDS, ids=lambda value: str(value))
def test_every_sms_is_gsm7_and_two_segments_at_most_with_the_longest_names(
    longest_registration, kind, params
):
    text = sms_of(longest_registration, kind, params)

    assert gsm.is_gsm7(text), text
    assert gsm.septets(text) <= gsm.MAX_SEPTETS, text
    assert gsm.segments(text) <= 2
    assert longest_registration.workshop.stop.commune.name in text
    if kind not in {MessageKind.CANCELLED, MessageKind.STOP_CANCELLED, MessageKind.BROADCAST}:
        assert short_link(longest_registration).url in text


def test_a_very_long_cancellation_reason_is_shortened_never_the_link_or_the_price(
    longest_registration,
):
    stop = longest_registration.workshop.stop
    stop.place_name = "Parking de la salle polyvalente Marcel-Dassault, " * 4
    stop.save()
    params = {"reason": "Une panne imprévue du véhicule nous oblige à annuler. " * 6}

    for kind, kind_params in [*KINDS, (MessageKind.STOP_CANCELLED, params)]:
        text = sms_of(longest_registration, kind, kind_params)
        assert gsm.septets(text) <= gsm.MAX_SEPTETS
        assert gsm.is_gsm7(text)
        if "%(link)s" in sms_template(kind, kind_params):  # every kind but the cancellations
            assert short_link(longest_registration).url in text


def test_french_letters_that_gsm_lacks_are_transliterated_not_turned_to_unicode():
    assert gsm.to_gsm7("Fête à Saint-Maxent, c’est « génial » – 9 h") == (
        'Fete à Saint-Maxent, c\'est " génial " - 9 h'
    )
    assert gsm.to_gsm7("Œuvre, ça, Île, Ô") == "OEuvre, ca, Ile, O"
    assert gsm.is_gsm7(gsm.to_gsm7("Émoji 🚌 ok"))


def test_invisible_characters_pasted_from_a_document_leave_no_question_mark():
    # Claire pasted the place from a Word document: a soft hyphen and a zero-width space
    # hid in "Salle des fêtes"; Josiane read "Salle des fe?tes" in her SMS. Emoji and
    # their variation selectors, which no GSM phone shows, go too.
    assert gsm.to_gsm7("Salle des f\u00adêtes\u200b, \ufeffRue") == "Salle des fetes, Rue"
    assert gsm.to_gsm7("Le bus arrive \U0001f68c\u2764\ufe0f à 10 h") == "Le bus arrive  à 10 h"
    assert gsm.to_gsm7("1\u20442 heure, 5\u2032") == "1/2 heure, 5'"


def test_segments_count_like_the_provider():
    assert gsm.segments("a" * 160) == 1
    assert gsm.segments("a" * 161) == 2
    assert gsm.segments("a" * 306) == 2
    assert gsm.segments("a" * 307) == 3
    # The euro sign takes two septets (the extension table).
    assert gsm.segments("€" * 80) == 1
    assert gsm.segments("€" * 81) == 2


def test_a_long_cancellation_reason_is_cut_before_the_commune_and_the_workshop_are(
    longest_registration,
):
    # A coordinator cancels the stop with a reason of 200 characters (the form takes 300):
    # Odette, registered by phone, must still read which workshop, where, is not happening.
    reason = (
        "Le camion est en panne et le garage ne peut pas le réparer avant la fin de la "
        "semaine. Nous reviendrons le mardi 15 décembre aux mêmes heures : rappelez-nous au "
        "03 53 01 00 80 pour vous réinscrire."
    )
    workshop = longest_registration.workshop

    text = sms_of(longest_registration, MessageKind.STOP_CANCELLED, {"reason": reason})

    assert gsm.septets(text) <= gsm.MAX_SEPTETS
    assert gsm.to_gsm7(workshop.stop.commune.name) in text, text
    assert gsm.to_gsm7(workshop.module.title) in text, text
    assert "Le camion est en panne" in text


def test_the_two_day_reminder_parts_the_workshop_from_its_date_with_a_comma():
    # "Rappel : Reconnaître une arnaque en ligne jeudi 10 décembre…" ran the title into the
    # date; a resident reading it aloud could not tell where the workshop's name ended.
    stop = make_stop(date=dt.date(2026, 12, 10))
    workshop = make_workshop(stop=stop, module=make_module(title="Reconnaître une arnaque"))
    registration = workshop.registrations.create(
        **resident(2), status="confirmed", consent_at=stop.updated_at
    )

    with translation.override("fr"):
        text = sms_of(registration, MessageKind.REMINDER, {"days": 2})

    assert "Reconnaitre une arnaque, jeudi 10 décembre 2026" in text
