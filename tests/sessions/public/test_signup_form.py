"""The public sign-up form: every field checked, errors next to the field, nothing lost."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mediation.models import Commune
from sessions.links import registration_from_token
from sessions.models import Registration
from tests.factories import make_commune, make_registration, make_stop, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return make_commune(name="Valcourt-sur-Test", postal_codes="99100")


@pytest.fixture
def open_workshop(commune):
    return make_workshop(stop=make_stop(commune=commune), capacity=2)


def form_data(**overrides) -> dict:
    return {
        "first_name": "Marie-Thérèse",
        "last_name": "d'Arras",
        "phone": "06 12 34 56 78",
        "email": "",
        "home_commune": "valcourt sur test",
        "needs": "J'ai besoin d'aide pour mon mot de passe.",
        "waiting_list_ok": "on",
        "consent": "on",
        "website": "",
    } | overrides


def url(workshop) -> str:
    return reverse("workshops:signup", args=[workshop.pk])


def test_the_form_has_labels_autocomplete_and_the_workshop(client, open_workshop):
    response = client.get(url(open_workshop))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    for name, autocomplete in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("phone", "tel"),
        ("email", "email"),
        ("home_commune", "address-level2"),
    ]:
        assert f'for="id_{name}"' in html
        assert f'autocomplete="{autocomplete}"' in html
    assert open_workshop.module.title in html
    assert f'href="/escales/{open_workshop.stop.pk}/"' in html
    assert response.context["form"].initial["home_commune"] == "Valcourt-sur-Test"


def test_a_resident_signs_up_and_lands_on_the_confirmation(client, open_workshop, commune):
    response = client.post(url(open_workshop), form_data())

    registration = Registration.objects.get()
    assert response.status_code == 302
    token = response.url.split("/")[2]
    assert response.url == reverse("workshops:registration_confirmation", args=[token])
    assert registration_from_token(token) == registration
    assert registration.phone == "+33612345678"
    assert registration.home_commune == commune
    assert registration.first_name == "Marie-Thérèse"
    assert registration.last_name == "d'Arras"
    assert registration.needs == "J'ai besoin d'aide pour mon mot de passe."
    assert registration.channel == "online"
    assert registration.status == "confirmed"
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["registration"] == registration
    assert page.context["just_registered"] is True


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("first_name", "", "required"),
        ("first_name", "   ", "required"),
        ("first_name", "A" * 101, "max_length"),
        ("first_name", "<script>alert(1)</script>", "markup"),
        ("first_name", "<b>Jean</b>", "markup"),
        ("first_name", "Jean 😀", "emoji"),
        ("first_name", "Jean\u2764\ufe0f", "emoji"),
        ("first_name", "Je\x07an", "control"),
        ("first_name", "Jean\u200bPierre", "control"),
        ("first_name", "J3an", "invalid"),
        ("last_name", "", "required"),
        ("last_name", "Dupont 🐱", "emoji"),
        ("last_name", "<img src=x onerror=alert(1)>", "markup"),
        ("phone", "12345", "invalid"),
        ("phone", "06 12 34", "invalid"),
        ("phone", "pas de téléphone", "invalid"),
        ("phone", "0" * 31, "max_length"),
        ("email", "jeanine@", "invalid"),
        ("email", "a" * 250 + "@example.org", "max_length"),
        ("home_commune", "", "required"),
        ("home_commune", "Paris-sur-Mer", "unknown"),
        ("needs", "x" * 501, "max_length"),
        ("needs", "<script>alert(1)</script>", "markup"),
        ("consent", "", "required"),
    ],
)
def test_it_refuses_bad_input_next_to_the_field_and_keeps_what_was_typed(
    client, open_workshop, field, value, code
):
    response = client.post(url(open_workshop), form_data(**{field: value}))

    assert response.status_code == 200
    assert not Registration.objects.exists()
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()[field]] == [code]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}_error' in html
    assert 'aria-invalid="true"' in html
    assert 'id="form-errors"' in html
    if field != "first_name":
        assert 'value="Marie-Thérèse"' in html


def test_an_empty_form_says_under_each_field_what_to_type(client, open_workshop):
    # "Ce champ est obligatoire" three times tells Jeannine nothing she cannot see; each
    # message says what goes there, in plain words.
    response = client.post(
        url(open_workshop), form_data(first_name="", last_name="", home_commune="", phone="")
    )

    errors = response.context["form"].errors
    assert errors["first_name"] == ["Indiquez votre prénom."]
    assert errors["last_name"] == ["Indiquez votre nom de famille."]
    assert errors["home_commune"] == ["Indiquez le nom ou le code postal de votre commune."]
    assert "obligatoire" not in " ".join(str(e) for field in errors.values() for e in field)
    assert not Registration.objects.exists()


def test_it_asks_for_a_phone_or_an_email(client, open_workshop):
    response = client.post(url(open_workshop), form_data(phone="", email=""))

    assert [e.code for e in response.context["form"].errors.as_data()["phone"]] == ["no_contact"]
    assert not Registration.objects.exists()


def test_an_email_alone_is_enough(client, open_workshop):
    response = client.post(url(open_workshop), form_data(phone="", email="Marie@Example.org"))

    assert response.status_code == 302
    assert Registration.objects.get().email == "marie@example.org"


def test_it_finds_the_commune_by_postal_code_and_asks_when_several_match(client, open_workshop):
    make_commune(name="Valcourt-sur-Test-le-Haut", postal_codes="99480")

    by_postcode = client.post(url(open_workshop), form_data(home_commune="99100"))
    assert by_postcode.status_code == 302

    ambiguous = client.post(
        url(open_workshop), form_data(home_commune="valcourt", phone="0611111111")
    )
    errors = ambiguous.context["form"].errors.as_data()["home_commune"]
    assert [error.code for error in errors] == ["ambiguous"]


def test_two_communes_of_the_same_name_are_asked_about_not_picked(client, open_workshop):
    """Whole names are looked up first: two communes of one name must still be asked about."""
    make_commune(name="Valcourt-sur-Test", postal_codes="99200")

    response = client.post(url(open_workshop), form_data(home_commune="Valcourt-sur-Test"))

    errors = response.context["form"].errors.as_data()["home_commune"]
    assert [error.code for error in errors] == ["ambiguous"]
    assert not Registration.objects.exists()


def test_the_same_person_cannot_sign_up_twice_and_reads_why(client, open_workshop):
    client.post(url(open_workshop), form_data())

    response = client.post(url(open_workshop), form_data(phone="+33612345678"))

    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Vous êtes déjà inscrit(e) à cet atelier avec ce numéro de téléphone ou cet e-mail."
    ]
    assert Registration.objects.count() == 1


def test_a_couple_sharing_the_landline_both_sign_up_online(client, open_workshop):
    # Their daughter signs up her parents, who have one phone at home and no e-mail.
    landline = {"phone": "03 22 71 80 00", "email": ""}
    mother = client.post(url(open_workshop), form_data(first_name="Jeanine", **landline))
    father = client.post(url(open_workshop), form_data(first_name="Marcel", **landline))

    assert (mother.status_code, father.status_code) == (302, 302)
    assert sorted(Registration.objects.values_list("first_name", flat=True)) == [
        "Jeanine",
        "Marcel",
    ]


def test_an_email_already_signed_up_is_refused_under_the_email_field(client, open_workshop):
    # Marie-Thérèse gave only her e-mail: the message stands under it, not under the empty
    # phone field that she may think she must now fill in.
    only_email = form_data(phone="", email="mt@example.org")
    client.post(url(open_workshop), only_email)

    response = client.post(url(open_workshop), only_email | {"email": "MT@example.org"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert Registration.objects.count() == 1


def test_a_full_workshop_offers_the_waiting_list(client, open_workshop):
    make_registration(workshop=open_workshop, phone="+33611111111")
    make_registration(workshop=open_workshop, phone="+33622222222")
    open_workshop.seats_taken = 2
    open_workshop.save()

    page = client.get(url(open_workshop))
    assert 'name="waiting_list_ok"' in page.content.decode()
    joined = client.post(url(open_workshop), form_data())

    assert joined.status_code == 302
    assert Registration.objects.get(phone="+33612345678").status == "waiting"


def test_a_full_workshop_refuses_when_the_waiting_list_is_not_wanted(client, open_workshop):
    open_workshop.capacity = 0
    open_workshop.save()

    response = client.post(url(open_workshop), form_data(waiting_list_ok=""))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Registration.objects.exists()


def test_closed_sign_ups_show_no_form_and_accept_nothing(client, open_workshop):
    open_workshop.signup_closes_at = timezone.now() - dt.timedelta(minutes=1)
    open_workshop.save()

    page = client.get(url(open_workshop))
    posted = client.post(url(open_workshop), form_data())

    assert page.status_code == 200
    assert page.context["form"] is None
    assert 'id="signup-closed"' in page.content.decode()
    assert posted.status_code == 200
    assert not Registration.objects.exists()


def test_an_unknown_workshop_is_a_404(client, db):
    assert client.get("/ateliers/999999/inscription/").status_code == 404


def test_a_sign_up_for_an_unknown_workshop_is_a_404_whatever_the_form(client, commune):
    valid = client.post("/ateliers/999999/inscription/", form_data())
    invalid = client.post("/ateliers/999999/inscription/", form_data(first_name=""))

    assert (valid.status_code, invalid.status_code) == (404, 404)
    assert not Registration.objects.exists()


def test_a_stop_cancelled_shows_the_cancellation_not_the_form_even_to_a_valid_post(
    client, open_workshop
):
    open_workshop.stop.status = "cancelled"
    open_workshop.stop.save()

    posted = client.post(url(open_workshop), form_data())

    assert posted.status_code == 200
    assert posted.context["form"] is None and posted.context["state"] == "cancelled"
    assert not Registration.objects.exists()


def test_a_bot_filling_the_honeypot_is_refused_without_a_registration(client, open_workshop):
    response = client.post(url(open_workshop), form_data(website="http://spam.example"))

    assert response.status_code == 400
    assert response.context["form"].is_spam
    assert not Registration.objects.exists()


def test_the_sign_up_page_takes_a_constant_number_of_queries(
    client, open_workshop, django_assert_max_num_queries
):
    from mediation.models import Branding

    Branding.load()  # made once in a site's life (and indexed by Wagtail then), not per page
    with django_assert_max_num_queries(6):
        assert client.get(url(open_workshop)).status_code == 200


def test_the_commune_field_forgives_st_and_a_typo_like_the_search(somme, client, open_workshop):
    by_abbreviation = client.post(url(open_workshop), form_data(home_commune="St Valery"))
    assert by_abbreviation.status_code == 302
    assert Registration.objects.get().home_commune == Commune.objects.get(
        slug="saint-valery-sur-somme"
    )

    typo = client.post(url(open_workshop), form_data(home_commune="Abeville", phone="0611111111"))
    errors = typo.context["form"].errors.as_data()["home_commune"]
    assert [error.code for error in errors] == ["unsure"]
    assert "Abbeville" in errors[0].params["names"]


def test_a_postal_code_shared_by_forty_communes_names_all_forty(somme, client, open_workshop):
    response = client.post(url(open_workshop), form_data(home_commune="80140"))

    errors = response.context["form"].errors.as_data()["home_commune"]
    assert [error.code for error in errors] == ["ambiguous"]
    assert len(errors[0].params["names"].split(", ")) == 40


def test_a_resident_reads_the_list_of_errors_in_the_order_of_the_fields_on_the_page(
    client, open_workshop
):
    response = client.post(url(open_workshop), {"consent": "", "phone": "12"})

    html = response.content.decode()
    summary = html[html.index('id="form-errors"') : html.index("</div>", html.index("form-errors"))]
    listed = re.findall(r'href="#(id_\w+)"', summary)
    assert len(listed) >= 4
    form = html[html.index("</div>", html.index("form-errors")) :]
    on_the_page = sorted(listed, key=lambda field_id: form.index(f'id="{field_id}"'))
    assert listed == on_the_page
