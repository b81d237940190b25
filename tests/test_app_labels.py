"""Every app has its own label; ours never clashes with Django's HTTP sessions."""

from django.apps import apps


def test_the_sessions_package_is_labelled_workshops():
    config = apps.get_app_config("workshops")
    assert config.name == "sessions"


def test_djangos_http_sessions_keep_their_label():
    assert apps.get_app_config("sessions").name == "django.contrib.sessions"


def test_every_app_of_the_project_has_a_unique_label():
    ours = {"mediation", "tablets", "sessions", "cms"}
    configs = [config for config in apps.get_app_configs() if config.name in ours]
    assert {config.name for config in configs} == ours
    labels = [config.label for config in apps.get_app_configs()]
    assert len(labels) == len(set(labels))
    assert {config.label for config in configs} == {"mediation", "tablets", "workshops", "cms"}
