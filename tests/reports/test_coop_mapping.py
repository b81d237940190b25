"""Every value this project records has its word in the national report, and only one."""

import pytest

from mediation.models import ModuleLevel, ModuleTheme
from reports import coop
from sessions.vocabulary import (
    THEMES_FROM_MODULE_THEME,
    AgeBracket,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    Redirection,
    Situation,
    Theme,
)

# (our choices, mapping, the Coop's list it maps into, the function that exports a value)
FIELDS = {
    "theme": (Theme, coop.THEME_TO_COOP, coop.THEMATIQUES, lambda v: coop.themes([v])[0]),
    "equipment": (Equipment, coop.EQUIPMENT_TO_COOP, coop.MATERIEL, coop.equipment),
    "place_type": (PlaceType, coop.PLACE_TYPE_TO_COOP, coop.TYPE_LIEU, coop.place_type),
    "autonomy": (Autonomy, coop.AUTONOMY_TO_COOP, coop.AUTONOMIE, coop.autonomy),
    "level": (ModuleLevel, coop.LEVEL_TO_COOP, coop.NIVEAU_ATELIER_STARS, coop.level_stars),
    "redirection": (
        Redirection,
        coop.REDIRECTION_TO_COOP,
        coop.STRUCTURES_REDIRECTION,
        coop.redirection,
    ),
    "gender": (Gender, coop.GENDER_TO_COOP, coop.GENRE, coop.gender),
    "age_bracket": (AgeBracket, coop.AGE_BRACKET_TO_COOP, coop.TRANCHE_AGE, coop.age_bracket),
    "situation": (Situation, coop.SITUATION_TO_COOP, coop.STATUT_SOCIAL, coop.situation),
}
EVERY_VALUE = [(field, value) for field, spec in FIELDS.items() for value in spec[0].values]
COOP_LISTS = {
    "MATERIEL": ("equipment", coop.MATERIEL),
    "NIVEAU_ATELIER": ("level", coop.NIVEAU_ATELIER_STARS),
    "STRUCTURES_REDIRECTION": ("redirection", coop.STRUCTURES_REDIRECTION),
    "THEMATIQUES": ("theme", coop.THEMATIQUES),
    "TYPE_LIEU": ("place_type", coop.TYPE_LIEU),
    "AUTONOMIE": ("autonomy", coop.AUTONOMIE),
    "GENRE": ("gender", coop.GENRE),
    "TRANCHE_AGE": ("age_bracket", coop.TRANCHE_AGE),
    "STATUT_SOCIAL": ("situation", coop.STATUT_SOCIAL),
}


@pytest.mark.parametrize(("field", "value"), EVERY_VALUE)
def test_each_value_we_record_has_a_coop_word(field, value):
    _choices, mapping, coop_list, export = FIELDS[field]

    assert mapping[value] in coop_list
    assert export(value)


@pytest.mark.parametrize("field", FIELDS)
def test_an_unknown_value_is_an_error_not_a_blank(field):
    export = FIELDS[field][3]

    with pytest.raises(coop.UnmappedValue) as excinfo:
        export("valeur_inconnue")
    assert excinfo.value.code == "unmapped_value"


@pytest.mark.parametrize("field", FIELDS)
def test_the_mapping_has_no_value_we_no_longer_record(field):
    choices, mapping, _coop_list, _export = FIELDS[field]

    assert set(mapping) - {""} == set(choices.values)


@pytest.mark.parametrize("name", COOP_LISTS)
def test_every_coop_value_is_produced_or_said_to_be_left_out(name):
    """A value the Coop adds to a frozen list fails here until someone decides its fate."""
    field, coop_list = COOP_LISTS[name]
    produced = set(FIELDS[field][1].values())
    left_out = coop.COOP_VALUES_NOT_PRODUCED.get(name, set())

    assert produced | left_out == set(coop_list)
    assert not produced & left_out


@pytest.mark.parametrize("module_theme", ModuleTheme.values)
def test_each_module_theme_gives_an_activity_its_coop_themes(module_theme):
    themes = THEMES_FROM_MODULE_THEME[module_theme]

    assert themes and all(coop.THEME_TO_COOP[theme] in coop.THEMATIQUES for theme in themes)


def test_blank_answers_read_not_said_as_the_coop_writes_it():
    assert coop.age_bracket("") == "Non communiqué"
    assert coop.situation("") == "Non communiqué ou hétérogène"
    assert coop.gender(Gender.NOT_SAID) == "Non communiqué"
    assert coop.equipment("") == "" and coop.redirection("") == ""
