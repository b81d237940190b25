"""Staff in the Wagtail admin: registrations of a workshop, callers registered by phone,
a stop cancelled with everyone told; residents' details only for staff."""

import datetime as dt

import pytest
from django.urls import reverse

from mediation.models import StopStatus
from sessions import sms
from sessions.message_models import SmsOptOut, phone_digest
from sessions.models import Registration
from sessions.services import registration_create
from tests.factories import (
    make_commune,
    make_coordinator,
    make_mediator,
    make_workshop,
    stop_edit_form,
)
from tests.sessions.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = make_coordinator()
    client.force_login(user)
    return user


def test_a_coordinator_sees_the_registrations_of_a_workshop(client, coordinator, workshop):
    mine = registration_create(workshop=workshop, **resident(1))
    other = registration_create(workshop=make_workshop(), **resident(2))

    response = client.get(reverse("registrations:index") + f"?workshop={workshop.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert mine.last_name in html
    assert other.last_name not in html


def test_the_residents_note_is_in_the_registrations_list(client, coordinator, workshop):
    registration_create(
        workshop=workshop, **resident(1) | {"needs": "Je suis malvoyante, grande police SVP."}
    )

    html = client.get(reverse("registrations:index") + f"?workshop={workshop.pk}").content.decode()

    assert "Je suis malvoyante, grande police SVP." in html


def test_a_coordinator_registers_a_caller_by_phone(client, coordinator, workshop):
    home = make_commune(name="Bourg-de-Test")
    add_url = reverse("registrations:add") + f"?workshop={workshop.pk}"
    assert client.get(add_url).status_code == 200
    blank = client.get(reverse("registrations:add")).content.decode()
    assert '<option value="" selected>À choisir</option>' in blank
    assert "---------" not in blank

    response = client.post(
        add_url,
        {
            "workshop": workshop.pk,
            "first_name": "Odette",
            "last_name": "Caron",
            "phone": "03 22 11 22 33",
            "email": "",
            "home_commune_name": "Bourg-de-Test",
            "needs": "",
            "channel": "phone",
            "waiting_list_ok": "on",
        },
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.channel == "phone"
    assert registration.created_by == coordinator
    assert registration.phone == "+33322112233"
    assert registration.home_commune == home
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


def test_the_mediator_registering_odette_on_her_landline_is_told_no_sms_will_reach_her(
    client, coordinator, workshop
):
    # Odette calls from her landline and has no e-mail: she will get no confirmation and no
    # reminder. The one taking her call is told so, while she is still on the line.
    data = {
        "workshop": workshop.pk,
        "first_name": "Odette",
        "phone": "03 22 11 22 33",
        "channel": "phone",
        "waiting_list_ok": "on",
    }

    response = client.post(reverse("registrations:add"), data, follow=True)

    shown = [str(message) for message in response.context["messages"]]
    warning = "Aucun SMS ni e-mail ne parviendra à Odette (téléphone fixe"
    assert any(warning in text for text in shown), shown
    assert Registration.objects.get().phone == "+33322112233"


def test_jeanine_registered_on_her_mobile_brings_no_such_warning(client, coordinator, workshop):
    data = {"workshop": workshop.pk, "first_name": "Jeanine", "phone": "06 12 34 56 78"}
    data |= {"channel": "phone", "waiting_list_ok": "on"}

    response = client.post(reverse("registrations:add"), data, follow=True)

    assert not any("Aucun SMS" in str(message) for message in response.context["messages"])


def test_a_caller_whose_mobile_answered_stop_brings_the_warning(client, coordinator, workshop):
    # Jeanine answered STOP to an earlier reminder: her mobile gets no SMS any more.
    SmsOptOut.objects.create(
        phone_digest=phone_digest("+33612345678"), reason=SmsOptOut.Reason.STOP
    )
    data = {"workshop": workshop.pk, "first_name": "Jeanine", "phone": "06 12 34 56 78"}
    data |= {"channel": "phone", "waiting_list_ok": "on"}

    response = client.post(reverse("registrations:add"), data, follow=True)

    shown = [str(message) for message in response.context["messages"]]
    assert any("Aucun SMS ni e-mail ne parviendra à Jeanine" in text for text in shown), shown


def test_registering_the_same_caller_twice_shows_an_error(client, coordinator, workshop):
    registration_create(workshop=workshop, **resident(1))
    data = {
        "workshop": workshop.pk,
        "first_name": "Jeanine",
        "last_name": resident(1)["last_name"],
        "phone": resident(1)["phone"],
        "channel": "phone",
    }

    response = client.post(reverse("registrations:add"), data)

    assert response.status_code == 200
    form = response.context["form"]
    # Said once, by the number that is taken, not at the top of the form and again below.
    assert list(form.errors) == ["phone"] and not form.non_field_errors()
    assert response.content.decode().count("déjà inscrite à cet atelier") == 1
    assert Registration.objects.count() == 1


def test_a_couple_sharing_one_phone_are_both_registered_with_it(client, coordinator, workshop):
    # Monique calls for herself; Jeanine, her sister, signed up with the same landline. Both
    # keep the number: it is how the coordination reaches either of them.
    registration_create(workshop=workshop, **resident(1, first_name="Jeanine", last_name="Caron"))
    data = {"workshop": workshop.pk, "first_name": "Monique", "last_name": "Caron"}
    data |= {"phone": resident(1)["phone"], "channel": "phone", "waiting_list_ok": "on"}

    accepted = client.post(reverse("registrations:add"), data)

    assert accepted.status_code == 302
    assert Registration.objects.filter(phone=resident(1)["phone"]).count() == 2


def test_a_commune_misspelt_on_the_phone_is_offered_in_one_sentence(client, coordinator, workshop):
    # Odette says "Bourg-de-Tesst": the form suggests Bourg-de-Test, and says only that.
    make_commune(name="Bourg-de-Test")
    data = {
        "workshop": workshop.pk,
        "first_name": "Odette",
        "phone": "03 22 11 22 33",
        "home_commune_name": "Bourg-de-Tesst",
        "channel": "phone",
    }

    response = client.post(reverse("registrations:add"), data)

    assert response.status_code == 200
    [message] = response.context["form"].errors["home_commune_name"]
    assert message == (
        "Nous ne connaissons pas cette commune. Vouliez-vous dire\u00a0: Bourg-de-Test\u00a0?"
    )
    assert not Registration.objects.exists()


def test_staff_edit_details_without_touching_seats(client, coordinator, workshop):
    registration = registration_create(workshop=workshop, **resident(1))

    response = client.post(
        reverse("registrations:edit", args=[registration.pk]),
        {
            "first_name": "Jeanine",
            "last_name": "Martin",
            "phone": "06 99 88 77 66",
            "email": "",
            "needs": "Malvoyante",
            "channel": "walk_in",
        },
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.last_name, registration.phone, registration.channel) == (
        "Martin",
        "+33699887766",
        "walk_in",
    )
    assert registration.status == "confirmed"


def test_cancelling_from_the_admin_promotes_the_waiting_list(client, coordinator, sent):
    workshop = make_workshop(capacity=1)
    holder = registration_create(workshop=workshop, **resident(1))
    waiting = registration_create(workshop=workshop, **resident(2))

    with sent():
        response = client.post(reverse("workshops_registration_cancel", args=[holder.pk]))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert waiting.phone in [message.to for message in sms.outbox]


def test_deleting_a_registration_gives_its_seat_back(client, coordinator, workshop):
    registration = registration_create(workshop=workshop, **resident(1))

    response = client.post(reverse("registrations:delete", args=[registration.pk]))

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.seats_taken == 0
    assert not Registration.objects.exists()


def test_a_coordinator_cancels_a_stop_and_every_registrant_is_told(client, coordinator, sent):
    workshop = make_workshop(capacity=5)
    people = [registration_create(workshop=workshop, **resident(n, email="")) for n in range(3)]
    url = reverse("workshops_stop_cancel", args=[workshop.stop.pk])
    page = client.get(url)
    assert 'data-count="3"' in page.content.decode()

    with sent():
        response = client.post(url, {"reason": "Le camion est en panne."})

    assert response.status_code == 302
    workshop.stop.refresh_from_db()
    assert workshop.stop.status == StopStatus.CANCELLED
    assert sorted(message.to for message in sms.outbox) == sorted(p.phone for p in people)


def test_cancelling_a_stop_does_not_promise_an_sms_to_marcel_on_his_landline(client, coordinator):
    # Marcel signed up by phone from his landline, without e-mail: no SMS will reach him.
    # The coordinator reads that two registrants are told and that one is to be called.
    workshop = make_workshop(capacity=5)
    for n in range(2):
        registration_create(workshop=workshop, **resident(n, email=""))
    registration_create(
        workshop=workshop, **resident(9, phone="03 22 71 80 00", email=""), channel="phone"
    )

    page = client.get(reverse("workshops_stop_cancel", args=[workshop.stop.pk])).content.decode()

    assert 'data-count="2"' in page
    assert "1 inscrit ne recevra ni SMS ni e-mail" in page


def test_cancelling_a_stop_does_not_promise_an_sms_to_a_number_that_answered_stop(
    client, coordinator
):
    # Jeanine answered STOP to an earlier reminder and has no e-mail: the worker will not
    # text her of the cancellation, so she is one to call, not one told.
    workshop = make_workshop(capacity=5)
    texted = registration_create(workshop=workshop, **resident(1, email=""))
    opted_out = registration_create(workshop=workshop, **resident(2, email=""))
    SmsOptOut.objects.create(
        phone_digest=phone_digest(opted_out.phone), reason=SmsOptOut.Reason.STOP
    )

    page = client.get(reverse("workshops_stop_cancel", args=[workshop.stop.pk])).content.decode()

    assert texted.phone != opted_out.phone
    assert 'data-count="1"' in page
    assert "1 inscrit ne recevra ni SMS ni e-mail" in page


def test_a_mediator_cannot_cancel_a_stop(client, workshop):
    client.force_login(make_mediator())

    response = client.post(
        reverse("workshops_stop_cancel", args=[workshop.stop.pk]), {"reason": "Non"}
    )

    # Wagtail's admin turns a permission refusal into a redirect to its dashboard.
    assert (response.status_code, response.get("Location")) in {(403, None), (302, "/admin/")}
    workshop.stop.refresh_from_db()
    assert workshop.stop.status != StopStatus.CANCELLED


def test_a_mediator_sees_registrations_but_an_outsider_does_not(client, workshop):
    registration_create(workshop=workshop, **resident(1))
    url = reverse("registrations:index")

    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(make_mediator())
    assert client.get(url).status_code == 200


def test_the_workshop_and_stop_lists_lead_to_registrations_and_cancellation(
    client, coordinator, workshop
):
    workshops = client.get(reverse("wagtailsnippets_workshops_workshop:list"))
    stops = client.get(reverse("wagtailsnippets_mediation_stop:list"))

    assert workshops.status_code == stops.status_code == 200
    assert f"{reverse('registrations:index')}?workshop={workshop.pk}" in workshops.content.decode()
    assert reverse("workshops_stop_cancel", args=[workshop.stop.pk]) in stops.content.decode()


def workshop_form(workshop, capacity: int) -> dict:
    return {
        "stop": workshop.stop.pk,
        "module": workshop.module.pk,
        "start_time": "09:30",
        "end_time": "11:00",
        "capacity": capacity,
        "signup_opens_at": "",
        "signup_closes_at": "",
    }


def test_adding_seats_promotes_the_waiting_list(client, coordinator, sent):
    workshop = make_workshop(capacity=1)
    registration_create(workshop=workshop, **resident(1))
    waiting = registration_create(workshop=workshop, **resident(2))
    url = reverse("wagtailsnippets_workshops_workshop:edit", args=[workshop.pk])

    with sent():
        response = client.post(url, workshop_form(workshop, 2))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    workshop.refresh_from_db()
    assert workshop.seats_taken == 2


def test_the_capacity_cannot_go_below_the_seats_taken(client, coordinator):
    workshop = make_workshop(capacity=3)
    for n in range(2):
        registration_create(workshop=workshop, **resident(n))
    url = reverse("wagtailsnippets_workshops_workshop:edit", args=[workshop.pk])

    response = client.post(url, workshop_form(workshop, 1))

    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    workshop.refresh_from_db()
    assert workshop.capacity == 3


def test_a_stop_cancelled_in_its_edit_form_also_tells_its_registrants(client, coordinator, sent):
    workshop = make_workshop(capacity=5)
    person = registration_create(workshop=workshop, **resident(1, email=""))
    stop = workshop.stop
    data = {
        "commune": stop.commune.pk,
        "date": stop.date.isoformat(),
        "start_time": "09:30",
        "end_time": "12:30",
        "place_name": stop.place_name,
        "address": "",
        "directions": "",
        "latitude": "",
        "longitude": "",
        "status": "cancelled",
        "cancellation_reason": "Intempéries",
    }

    with sent():
        response = client.post(reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.status == "cancelled"
    workshop.refresh_from_db()
    assert workshop.seats_taken == 0
    assert [message.to for message in sms.outbox] == [person.phone]
    assert "Intempéries" in sms.outbox[0].body


def test_the_same_person_twice_with_one_phone_is_an_error_not_a_crash(
    client, coordinator, workshop
):
    # Jeanine Caron signed up twice, once with her mobile and once, through her sister, with
    # the landline. A mediator corrects the second to the mobile: the same person twice with
    # one number, said next to the field, not a 500. The sister's landline stays allowed.
    jeanine = registration_create(workshop=workshop, **resident(1, last_name="Caron"))
    again = registration_create(workshop=workshop, **resident(2, last_name="Caron"))
    data = {
        "first_name": "Jeanine",
        "last_name": "Caron",
        "phone": jeanine.phone,
        "email": "",
        "needs": "",
        "channel": "phone",
    }

    response = client.post(reverse("registrations:edit", args=[again.pk]), data)

    assert response.status_code == 200
    [error] = response.context["form"].errors["phone"]
    assert error.startswith("Cette personne est déjà inscrite à cet atelier avec ce numéro")
    again.refresh_from_db()
    assert again.phone == resident(2)["phone"]
    monique = data | {"first_name": "Monique", "email": resident(2)["email"]}
    assert client.post(reverse("registrations:edit", args=[again.pk]), monique).status_code == 302


def _workshop_form_data(client, url: str) -> dict:
    """The workshop's edit form as the browser would post it back unchanged."""
    form = client.get(url).context["form"]
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


def test_moving_a_stop_with_registrants_says_they_were_not_told(client, coordinator):
    # The van's mechanic can only come Tuesday: Claire moves Thursday's stop a day earlier.
    # Odette signed up for Thursday; the coordinator is shown she has not been told.
    workshop = make_workshop(capacity=5)
    registration_create(workshop=workshop, **resident(1, first_name="Odette"))
    stop = workshop.stop
    earlier = stop.date - dt.timedelta(days=1)

    response = client.post(
        reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]),
        stop_edit_form(stop, date=earlier.isoformat()),
        follow=True,
    )

    stop.refresh_from_db()
    assert stop.date == earlier
    [warning] = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert "1 personne inscrite" in warning
    assert "n’a pas été prévenue" in warning
    html = response.content.decode()
    assert reverse("workshops_stop_broadcast", args=[stop.pk]) in html


def test_moving_a_stop_nobody_signed_up_for_says_nothing_of_registrants(client, coordinator):
    stop = make_workshop(capacity=5).stop

    response = client.post(
        reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]),
        stop_edit_form(stop, start_time="10:00"),
        follow=True,
    )

    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_a_workshop_moved_to_another_hour_says_its_registrants_were_not_told(client, coordinator):
    workshop = make_workshop(capacity=5)
    registration_create(workshop=workshop, **resident(1, first_name="Odette"))
    registration_create(workshop=workshop, **resident(2, first_name="Gisèle"))
    url = f"/admin/snippets/workshops/workshop/edit/{workshop.pk}/"
    data = _workshop_form_data(client, url)
    data |= {"start_time": "11:00", "end_time": "12:30"}  # later, within the stop's hours

    response = client.post(url, data, follow=True)

    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "2 personnes inscrites" in warnings[0]


def test_a_stop_with_registrants_cannot_be_deleted_only_cancelled(client, coordinator):
    # Claire means to drop Thursday's stop and picks "Supprimer": Odette signed up for it.
    # Deleting would wipe her registration without a word; Claire is sent to cancel instead.
    workshop = make_workshop(capacity=5)
    odette = registration_create(workshop=workshop, **resident(1, first_name="Odette"))
    stop = workshop.stop
    url = reverse("wagtailsnippets_mediation_stop:delete", args=[stop.pk])

    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        [error] = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert "1 personne inscrite ou venue" in error
        assert "Annulez plutôt l’escale" in error

    assert Registration.objects.filter(pk=odette.pk).exists()
    stop.refresh_from_db()


def test_a_workshop_with_registrants_cannot_be_deleted(client, coordinator):
    workshop = make_workshop(capacity=5)
    registration_create(workshop=workshop, **resident(1, first_name="Odette"))
    url = f"/admin/snippets/workshops/workshop/delete/{workshop.pk}/"

    response = client.post(url, follow=True)

    [error] = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert "Annulez d’abord leurs inscriptions" in error
    workshop.refresh_from_db()


def test_a_stop_nobody_signed_up_for_or_only_cancelled_can_still_be_deleted(client, coordinator):
    from mediation.models import Stop
    from sessions.services import registration_cancel

    workshop = make_workshop(capacity=5)
    registration_cancel(registration=registration_create(workshop=workshop, **resident(1)))
    stop = workshop.stop

    response = client.post(reverse("wagtailsnippets_mediation_stop:delete", args=[stop.pk]))

    assert response.status_code == 302
    assert not Stop.objects.filter(pk=stop.pk).exists()


def test_a_stop_ending_before_it_starts_is_said_by_its_end_time(client, coordinator):
    # Claire types 14:00 – 12:00: the form says so next to the end time, in words, not
    # "La contrainte « stop_ends_after_it_starts » n’est pas respectée".
    stop = make_workshop().stop

    response = client.post(
        reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]),
        stop_edit_form(stop, start_time="14:00", end_time="12:00"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end_time"] == ["L’escale doit finir après avoir commencé."]
    assert not form.non_field_errors()
    assert "contrainte" not in response.content.decode()


def test_a_workshop_ending_before_it_starts_is_said_by_its_end_time(client, coordinator):
    workshop = make_workshop()
    url = f"/admin/snippets/workshops/workshop/edit/{workshop.pk}/"
    data = _workshop_form_data(client, url)
    data |= {"start_time": "11:00", "end_time": "10:00"}

    response = client.post(url, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end_time"] == ["L’atelier doit finir après avoir commencé."]
    assert not form.non_field_errors()


def test_claire_sets_a_workshops_report_themes_and_procedure(client):
    from sessions.models import Workshop
    from tests.factories import make_coordinator, make_workshop

    client.force_login(make_coordinator("claire.themes"))
    workshop = make_workshop()
    url = f"/admin/snippets/workshops/workshop/edit/{workshop.pk}/"
    data = _workshop_form_data(client, url)
    data |= {
        "themes": ["demarches", "argent_impots"],
        "procedure_name": "Déclaration de revenus",
        "operator": "dgfip",
        "place_type": "bus",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    workshop = Workshop.objects.get(pk=workshop.pk)
    assert workshop.themes == ["demarches", "argent_impots"]
    assert (workshop.procedure_name, workshop.operator) == ("Déclaration de revenus", "dgfip")


def test_a_stop_cannot_start_after_the_workshops_people_signed_up_for(client, coordinator):
    # Villecourt's stop runs 9:30 - 12:30 with a workshop at 9:30. Claire moves the stop to
    # 10:00: the 9:30 workshop would start before the van is there, and residents would
    # come for it. The form names the workshop, by the start time, and nothing is saved.
    workshop = make_workshop(start_time=dt.time(9, 30), end_time=dt.time(10, 30))
    stop = workshop.stop

    response = client.post(
        reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]),
        stop_edit_form(stop, start_time="10:00", end_time="12:30"),
    )

    assert response.status_code == 200
    [problem] = response.context["form"].errors["start_time"]
    assert workshop.module.title in problem and "9\u00a0h\u00a030" in problem
    stop.refresh_from_db()
    assert stop.start_time == dt.time(9, 30)


def test_a_stop_whose_hours_still_hold_its_workshops_is_saved(client, coordinator):
    stop = make_workshop(start_time=dt.time(10, 0), end_time=dt.time(11, 0)).stop

    response = client.post(
        reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]),
        stop_edit_form(stop, start_time="10:00", end_time="11:30"),
    )

    assert response.status_code == 302
    stop.refresh_from_db()
    assert (stop.start_time, stop.end_time) == (dt.time(10, 0), dt.time(11, 30))


def test_a_workshop_cannot_be_set_outside_its_stops_hours(client, coordinator):
    workshop = make_workshop()  # the stop: 9:30 - 12:30
    url = f"/admin/snippets/workshops/workshop/edit/{workshop.pk}/"
    data = _workshop_form_data(client, url)
    data |= {"start_time": "14:00", "end_time": "15:00"}

    response = client.post(url, data)

    assert response.status_code == 200
    [problem] = response.context["form"].errors["start_time"]
    assert "12\u00a0h\u00a030" in problem
    workshop.refresh_from_db()
    assert workshop.start_time == dt.time(9, 30)


def test_the_lists_column_headers_start_with_a_capital_like_the_others(
    client, coordinator, town_hall_request
):
    # "Module", "Escale", "Capacité"… then "liste d'attente": every header reads alike.
    make_workshop()

    workshops = client.get("/admin/snippets/workshops/workshop/").content.decode()
    requests = client.get("/admin/bus_requests/").content.decode()

    assert "Liste d’attente" in workshops and "liste d’attente<" not in workshops
    assert "Réponse" in requests
