"""Seeding the modules again duplicates nothing and brings back the demo content."""

import pytest

from mediation.demo import seed_modules
from mediation.models import ModuleOutcome, TutorialModule

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return [
        (
            module.slug,
            module.title,
            module.goal,
            module.documents_to_bring,
            list(module.steps.raw_data),
            [(outcome.label, outcome.sort_order) for outcome in module.outcomes.all()],
        )
        for module in TutorialModule.objects.order_by("slug").prefetch_related("outcomes")
    ]


def test_seeding_twice_changes_nothing(seeded_modules):
    first = snapshot()
    outcomes = ModuleOutcome.objects.count()
    seed_modules()
    assert snapshot() == first
    assert ModuleOutcome.objects.count() == outcomes


def test_seeding_again_restores_edited_content_without_duplicating_outcomes(seeded_modules):
    module = TutorialModule.objects.get(slug="compte-caf")
    original_steps = list(module.steps.raw_data)
    module.title = "Titre abîmé"
    module.steps = []
    module.save()
    module.outcomes.all().delete()

    seed_modules()

    module.refresh_from_db()
    assert module.title == "Créer son compte CAF en ligne"
    assert list(module.steps.raw_data) == original_steps
    labels = list(module.outcomes.values_list("label", flat=True))
    assert labels == [
        "Compte CAF créé",
        "Mot de passe noté dans un lieu sûr",
        "Attestation téléchargée",
    ]


def test_seeding_keeps_an_outcome_a_coordinator_added(seeded_modules):
    module = TutorialModule.objects.get(slug="compte-ameli")
    ModuleOutcome.objects.create(module=module, label="Carte Vitale commandée", sort_order=9)
    seed_modules()
    assert module.outcomes.filter(label="Carte Vitale commandée").count() == 1
    assert module.outcomes.count() == 3
