"""The registry of personal data knows every text-like field of every model of the project."""

import pytest
from django.apps import apps
from django.db import models

from sessions.privacy import registry

pytestmark = pytest.mark.django_db


def test_every_text_email_json_ip_or_file_field_is_classified():
    # A model that gains such a field must say whether it is personal, and how it is wiped.
    assert registry.unclassified_fields() == []


def test_the_enumeration_really_sees_the_projects_fields():
    fields = set(registry.project_text_fields())
    assert {"workshops.Registration.phone", "workshops.Attendance.note"} <= fields
    assert "tablets.Tablet.notes" in fields
    # Every app of the project has its models enumerated.
    labels = {key.split(".")[0] for key in fields}
    assert {"mediation", "workshops", "tablets", "cms"} <= labels


def test_a_new_unclassified_field_is_reported(monkeypatch):
    real = registry.project_text_fields()
    monkeypatch.setattr(
        registry, "project_text_fields", lambda: [*real, "workshops.Registration.nickname"]
    )
    assert registry.unclassified_fields() == ["workshops.Registration.nickname"]


def test_no_field_is_both_personal_and_not_personal():
    assert registry.personal_field_keys() & set(registry.NOT_PERSONAL) == set()


@pytest.mark.parametrize("source", registry.SOURCES, ids=lambda s: s.model)
def test_each_source_names_real_fields_of_a_real_model(source):
    model = apps.get_model(source.model)
    for personal in source.fields:
        field = model._meta.get_field(personal.name)
        if personal.wipe in {registry.REDACT_KEYS, registry.EMPTY_JSON}:
            assert isinstance(field, models.JSONField)


def test_the_classified_fields_all_exist():
    existing = set(registry.project_text_fields())
    stale = [key for key in registry.NOT_PERSONAL if key not in existing]
    assert stale == []
