"""An operator loads its own tutorial modules from a JSON file, as the demo loads its six."""

import json

import pytest
from django.core.management import CommandError, call_command

from mediation.models import TutorialModule

pytestmark = pytest.mark.django_db

OPERATOR_MODULE = {
    "slug": "ameli",
    "title": "Ouvrir son compte Ameli",
    "goal": "Suivre ses remboursements de soins.",
    "level": "beginner",
    "theme": "social_sante",
    "duration_minutes": 60,
    "documents": ["Carte Vitale"],
    "steps": [
        {"type": "step", "title": "Ouvrez ameli.fr", "paragraphs": ["Tapez ameli.fr."]},
        {"type": "tip", "paragraphs": ["FranceConnect marche aussi."]},
    ],
    "outcomes": ["Compte Ameli créé"],
}


def _write(tmp_path, modules) -> str:
    path = tmp_path / "modules.json"
    path.write_text(json.dumps({"modules": modules}), encoding="utf-8")
    return str(path)


def test_an_operator_loads_its_own_module_twice_and_gets_it_once(tmp_path):
    path = _write(tmp_path, [OPERATOR_MODULE])

    call_command("load_modules", path)
    call_command("load_modules", path)

    module = TutorialModule.objects.get(slug="ameli")
    assert module.documents_to_bring == "Carte Vitale"
    assert [block.block_type for block in module.steps] == ["step", "tip"]
    assert list(module.outcomes.values_list("label", flat=True)) == ["Compte Ameli créé"]


def test_without_a_file_the_demo_modules_are_loaded():
    call_command("load_modules")

    assert TutorialModule.objects.filter(slug="compte-caf").exists()
    assert TutorialModule.objects.count() == 6


def test_a_file_with_a_bad_module_writes_nothing_and_says_which(tmp_path):
    broken = OPERATOR_MODULE | {"slug": "facebook", "level": "expert"}
    path = _write(tmp_path, [OPERATOR_MODULE, broken])

    with pytest.raises(CommandError, match="facebook"):
        call_command("load_modules", path)

    assert not TutorialModule.objects.exists()


def test_a_file_that_is_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "modules.json"
    path.write_text("{oops", encoding="utf-8")

    with pytest.raises(CommandError, match="n’est pas un JSON valide"):
        call_command("load_modules", str(path))
