"""The six demo modules are complete enough to teach from and to take home."""

import pytest

from mediation.demo import DEMO_MODULES
from mediation.models import TutorialModule

pytestmark = pytest.mark.django_db

REQUIRED_SUBJECTS = {
    "compte-caf",
    "declarer-ses-revenus",
    "facebook-reseaux-sociaux",
    "adresse-email",
    "compte-ameli",
    "arnaques-en-ligne",
}


def module_text(module: TutorialModule) -> str:
    """Everything a resident reads in the module, as one string."""
    parts = [module.title, module.goal, module.prerequisites, module.documents_to_bring]
    for block in module.steps:
        parts.extend(str(value) for value in dict(block.value).values() if value)
    return " ".join(parts)


def test_the_seed_covers_every_subject_the_van_teaches(seeded_modules):
    slugs = set(TutorialModule.objects.values_list("slug", flat=True))
    assert slugs >= REQUIRED_SUBJECTS
    assert len(DEMO_MODULES) == len(seeded_modules)


def test_every_seeded_module_has_documents_steps_and_outcomes(seeded_modules):
    for module in TutorialModule.objects.prefetch_related("outcomes"):
        assert module.document_list, module.slug
        assert 4 <= module.step_count <= 10, module.slug
        assert 2 <= len(module.outcomes.all()) <= 5, module.slug
        assert module.goal and module.audience and module.prerequisites, module.slug


def test_every_step_has_a_title_and_some_text(seeded_modules):
    for module in TutorialModule.objects.all():
        for block in module.steps:
            if block.block_type == "step":
                assert block.value["title"].strip()
                assert str(block.value["text"]).strip().startswith("<p>")


def test_every_module_warns_about_something(seeded_modules):
    for module in TutorialModule.objects.all():
        kinds = {block.block_type for block in module.steps}
        assert "warning" in kinds, module.slug


def test_account_modules_warn_never_to_share_the_password(seeded_modules):
    for slug in ["compte-caf", "declarer-ses-revenus", "compte-ameli", "adresse-email"]:
        warnings = [
            str(block.value["text"])
            for block in TutorialModule.objects.get(slug=slug).steps
            if block.block_type == "warning"
        ]
        assert any("jamais votre mot de passe" in text for text in warnings), slug


@pytest.mark.parametrize(
    ("slug", "facts"),
    [
        ("compte-caf", ["caf.fr", "numéro allocataire", "code postal", "FranceConnect"]),
        (
            "declarer-ses-revenus",
            [
                "impots.gouv.fr",
                "numéro fiscal",
                "numéro d’accès en ligne",
                "revenu fiscal de référence",
                "FranceConnect",
            ],
        ),
        ("compte-ameli", ["ameli.fr", "sécurité sociale", "code postal", "IBAN", "FranceConnect"]),
        (
            "arnaques-en-ligne",
            [
                "33700",
                "internet-signalement.gouv.fr",
                "cybermalveillance.gouv.fr",
                "Pharos",
                "codes bancaires",
            ],
        ),
    ],
)
def test_procedures_name_the_identifiers_the_official_sites_ask_for(seeded_modules, slug, facts):
    text = module_text(TutorialModule.objects.get(slug=slug))
    for fact in facts:
        assert fact in text, fact


def test_official_links_point_to_the_official_sites_over_https(seeded_modules):
    urls = [
        block.value["url"]
        for module in TutorialModule.objects.all()
        for block in module.steps
        if block.block_type == "official_link"
    ]
    assert urls
    assert all(url.startswith("https://") for url in urls)
    assert {"https://www.caf.fr/", "https://www.impots.gouv.fr/", "https://www.ameli.fr/"} <= set(
        urls
    )
