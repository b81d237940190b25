"""The permission registry: each app declares what staff get, the core collects it.

An app's AppConfig sets `staff_permissions = StaffPermissions(...)`; mediation.roles grants
what is collected here to the two staff groups. This module imports no model, so that
AppConfig modules can import it while the app registry is still loading.
"""

from dataclasses import dataclass

from django.apps import apps

# Wagtail's own permissions: the admin itself. Each app declares its staff permissions on
# its AppConfig (see StaffPermissions) and the core collects them: it names no app above it.
WAGTAIL_STAFF_PERMISSIONS = [("wagtailadmin", "access_admin")]


@dataclass(frozen=True)
class StaffPermissions:
    """What an app's AppConfig grants staff, as its `staff_permissions` attribute.

    `coordinator_models`: models on which coordinators get add, change, delete and view;
    `coordinator` and `mediator`: further codenames, in the app's own label.
    """

    coordinator_models: tuple[str, ...] = ()
    coordinator: tuple[str, ...] = ()
    mediator: tuple[str, ...] = ()


def _declared() -> list[tuple[str, StaffPermissions]]:
    return [
        (config.label, config.staff_permissions)
        for config in apps.get_app_configs()
        if isinstance(getattr(config, "staff_permissions", None), StaffPermissions)
    ]


def mediator_permission_pairs() -> list[tuple[str, str]]:
    pairs = list(WAGTAIL_STAFF_PERMISSIONS)
    for label, declared in _declared():
        pairs += [(label, codename) for codename in declared.mediator]
    return pairs


def coordinator_permission_pairs() -> list[tuple[str, str]]:
    pairs = list(WAGTAIL_STAFF_PERMISSIONS)
    for label, declared in _declared():
        for model in declared.coordinator_models:
            pairs += [
                (label, f"{action}_{model}") for action in ("add", "change", "delete", "view")
            ]
        pairs += [(label, codename) for codename in declared.coordinator]
    return pairs
