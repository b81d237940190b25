"""Coordinators edit modules, their steps and their outcomes in the Wagtail admin."""

import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from mediation.models import TutorialModule
from tests.factories import make_coordinator, make_mediator

pytestmark = pytest.mark.django_db

EDIT = "wagtailsnippets_mediation_tutorialmodule:edit"
ADD = "wagtailsnippets_mediation_tutorialmodule:add"


def test_a_coordinator_edits_the_steps_and_outcomes_of_a_module(client, seeded_modules):
    make_coordinator()
    client.login(username="claire", password="pass")
    module = seeded_modules[0]
    response = client.get(reverse(EDIT, args=[module.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="steps"' in html or 'id="steps"' in html
    first_step = next(block for block in module.steps if block.block_type == "step")
    assert first_step.value["title"] in html
    assert 'name="outcomes-TOTAL_FORMS"' in html
    assert module.outcomes.first().label in html
    assert client.get(reverse(ADD)).status_code == 200


def test_a_mediator_cannot_edit_a_module(client, seeded_modules):
    make_mediator()
    client.login(username="ines", password="pass")
    response = client.get(reverse(EDIT, args=[seeded_modules[0].pk]))
    assert response.status_code in (302, 403)


def test_the_list_says_in_french_which_modules_are_offered(client):
    """Not Python's True and False: Claire reads "Oui" or "Non" in the "Proposé" column."""
    from tests.factories import make_module

    make_module(title="Créer son compte Ameli")
    make_module(title="Minitel", is_active=False)
    make_coordinator()
    client.login(username="claire", password="pass")

    html = client.get(reverse("wagtailsnippets_mediation_tutorialmodule:list")).content.decode()

    cells = re.findall(r'<td class="offered">\s*(.*?)\s*</td>', html, re.S)
    assert sorted(cells) == ["Non", "Oui"]
    assert "True" not in html and "False" not in html


def module_form(*, steps, **fields) -> dict:
    """The add form of a module, filled in as Claire would, with `steps` as Wagtail posts them."""
    return nested_form_data(
        {
            "title": "Prendre rendez-vous sur Doctolib",
            "slug": "doctolib",
            "goal": "Prendre un rendez-vous médical en ligne.",
            "audience": "",
            "level": "beginner",
            "duration_minutes": "60",
            "theme": "social_sante",
            "is_active": "on",
            "prerequisites": "",
            "documents_to_bring": "Carte Vitale",
            "steps": streamfield(steps),
            "outcomes": inline_formset([{"label": "Rendez-vous pris"}], min=1),
        }
        | fields
    )


def a_step(*, image, description=""):
    return (
        "step",
        {
            "title": "Ouvrez doctolib.fr",
            "text": rich_text("<p>Tapez l’adresse.</p>"),
            "image": image.pk,
            "image_description": description,
        },
    )


def test_a_screenshot_without_its_description_is_refused_next_to_the_field(client, screenshot):
    """A screenshot with no description would reach residents who cannot see it as nothing
    at all (an empty alt): Claire is asked to describe it, and loses nothing she typed."""
    make_coordinator()
    client.login(username="claire", password="pass")

    response = client.post(reverse(ADD), module_form(steps=[a_step(image=screenshot)]))

    assert response.status_code == 200
    assert not TutorialModule.objects.filter(slug="doctolib").exists()
    html = response.content.decode()
    assert "Prendre rendez-vous sur Doctolib" in html and "Ouvrez doctolib.fr" in html
    # Wagtail draws the step's errors beside the description field from the form's JSON,
    # where "Décrivez" has its é escaped.
    assert "crivez la capture d" in html

    described = a_step(image=screenshot, description="La page d’accueil, son champ de recherche")
    response = client.post(reverse(ADD), module_form(steps=[described]))

    assert response.status_code == 302
    module = TutorialModule.objects.get(slug="doctolib")
    assert module.steps[0].value["image_description"].startswith("La page d’accueil")


def test_a_withdrawn_module_is_not_offered_for_a_new_workshop_but_stays_on_its_own(client):
    """Claire withdrew "Minitel": planning a new workshop, she is not offered it; a workshop
    already planned on it keeps it when she edits its seats."""
    from tests.factories import make_module, make_workshop

    offered = make_module(title="Créer son compte Ameli")
    withdrawn = make_module(title="Minitel", is_active=False)
    planned = make_workshop(module=withdrawn)
    make_coordinator()
    client.login(username="claire", password="pass")

    new = client.get(reverse("wagtailsnippets_workshops_workshop:add")).context["form"]
    assert list(new.fields["module"].queryset) == [offered]
    edited = client.get(
        reverse("wagtailsnippets_workshops_workshop:edit", args=[planned.pk])
    ).context["form"]
    assert set(edited.fields["module"].queryset) == {offered, withdrawn}


@pytest.mark.parametrize("minutes", ["0", "4", "601", "30000"])
def test_a_duration_a_workshop_cannot_last_is_refused_next_to_the_field(client, minutes):
    """5 minutes to 10 hours, as in a module file: not 0, nor 30,000 typed for 300."""
    make_coordinator()
    client.login(username="claire", password="pass")

    response = client.post(reverse(ADD), module_form(steps=[], duration_minutes=minutes))

    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors
    assert not TutorialModule.objects.filter(slug="doctolib").exists()
    assert "Prendre rendez-vous sur Doctolib" in response.content.decode()


def test_the_offered_box_says_what_withdrawing_a_module_does(client):
    """Claire cannot delete a module that workshops used: she withdraws it instead, and the
    form tells her what follows for the residents and the planning."""
    from tests.factories import make_module

    module = make_module()
    make_coordinator()
    client.login(username="claire", password="pass")

    form = client.get(reverse(EDIT, args=[module.pk])).context["form"]

    assert form.fields["is_active"].help_text


def test_a_module_whose_address_changes_still_answers_at_the_one_printed_on_its_handouts(
    client,
):
    """Claire renames "compte-caf" to "compte-caf-en-ligne": the QR code on the handouts
    already given out still leads to the module (a permanent redirect), and so does the
    handout's own address; taken back, the first address is the module's again."""
    from tests.factories import make_module

    module = make_module(slug="compte-caf", title="Créer son compte CAF")
    make_coordinator()

    def address_becomes(slug: str) -> None:
        client.login(username="claire", password="pass")
        outcomes = list(module.outcomes.all())
        posted = module_form(
            steps=[],
            title=module.title,
            goal=module.goal,
            documents_to_bring=module.documents_to_bring,
            slug=slug,
            outcomes=inline_formset(
                [{"id": outcome.pk, "label": outcome.label} for outcome in outcomes],
                initial=len(outcomes),
                min=1,
            ),
        )
        assert client.post(reverse(EDIT, args=[module.pk]), posted).status_code == 302
        client.logout()

    address_becomes("compte-caf-en-ligne")

    page = client.get("/modules/compte-caf/?utm_source=fiche")
    assert page.status_code == 301
    assert page["Location"] == "/modules/compte-caf-en-ligne/?utm_source=fiche"
    handout = client.get("/modules/compte-caf/fiche.pdf")
    assert handout.status_code == 301
    assert handout["Location"] == "/modules/compte-caf-en-ligne/fiche.pdf"
    assert client.get("/modules/inconnu/").status_code == 404

    address_becomes("compte-caf")

    assert client.get("/modules/compte-caf/").status_code == 200
    assert client.get("/modules/compte-caf-en-ligne/")["Location"] == "/modules/compte-caf/"
