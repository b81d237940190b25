"""Coordinators edit modules, their steps and their outcomes in the Wagtail admin."""

import pytest
from django.urls import reverse

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
