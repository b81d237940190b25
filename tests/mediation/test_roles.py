"""Staff roles: coordinators plan the tour, mediators read it; outsiders see nothing."""

import pytest
from django.urls import reverse

from mediation.roles import COORDINATORS, MEDIATORS
from tests.factories import make_coordinator, make_mediator, make_stop, make_user

pytestmark = pytest.mark.django_db


def stop_edit_url(stop) -> str:
    return reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk])


def test_a_coordinator_can_edit_a_stop(client):
    stop = make_stop()
    client.force_login(make_coordinator())
    assert client.get(stop_edit_url(stop)).status_code == 200


def test_a_mediator_can_list_stops_but_not_edit_them(client):
    stop = make_stop()
    mediator = make_mediator()
    assert mediator.has_perm("mediation.view_stop")
    assert not mediator.has_perm("mediation.change_stop")
    client.force_login(mediator)
    assert client.get(reverse("wagtailsnippets_mediation_stop:list")).status_code == 200
    assert client.get(stop_edit_url(stop)).status_code in (302, 403)


def test_a_user_without_a_role_cannot_enter_the_back_office(client):
    client.force_login(make_user("visiteur"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response.url


BRANDING_URL = "/admin/settings/mediation/branding/"


def test_a_coordinator_can_upload_images_and_edit_the_branding(client):
    client.force_login(make_coordinator())
    assert client.get(reverse("wagtailimages:add")).status_code == 200
    response = client.get(BRANDING_URL, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith(BRANDING_URL)


def test_a_mediator_can_neither_upload_images_nor_edit_the_branding(client):
    client.force_login(make_mediator())
    assert client.get(reverse("wagtailimages:add")).status_code in (302, 403)
    response = client.get(BRANDING_URL, follow=True)
    assert not response.request["PATH_INFO"].startswith(BRANDING_URL)


def test_each_app_declares_its_staff_permissions_and_the_core_names_none_above_it():
    import inspect

    from mediation import roles, staff_permissions

    core = inspect.getsource(roles) + inspect.getsource(staff_permissions)
    for app_above in ('"workshops"', '"tablets"', '"cms"'):
        assert app_above not in core
    assert ("workshops", "view_attendance") in staff_permissions.coordinator_permission_pairs()
    assert ("tablets", "add_tabletreset") in staff_permissions.mediator_permission_pairs()
    assert ("cms", "change_communelocalcontent") in (
        staff_permissions.coordinator_permission_pairs()
    )


def test_a_migrate_or_a_test_flush_makes_the_staff_groups_once_with_every_apps_permissions():
    """post_migrate comes once per app: the groups are made on the last one, with what every
    app declared. Made on each (23 apps), a flush between two browser tests cost 3,000
    queries and three seconds."""
    from django.contrib.auth.models import Group
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Group.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    group_reads = [q for q in queries if 'FROM "auth_group" WHERE' in q["sql"]]
    assert len(group_reads) == 2  # one get_or_create per group, not one per app
    assert len(queries) < 400

    def granted(group_name: str) -> set[str]:
        permissions = Group.objects.get(name=group_name).permissions
        return {
            f"{app}.{code}"
            for app, code in permissions.values_list("content_type__app_label", "codename")
        }

    coordinators, mediators = granted(COORDINATORS), granted(MEDIATORS)
    assert {"mediation.change_stop", "workshops.view_attendance"} <= coordinators
    assert "tablets.add_tabletreset" in mediators
    assert "mediation.change_stop" not in mediators


def test_permissions_named_but_not_installed_are_skipped():
    from mediation.roles import _permissions

    found = _permissions(
        [("mediation", "view_stop"), ("absent", "view_x"), ("mediation", "view_stop")]
    )
    assert [(p.content_type.app_label, p.codename) for p in found] == [("mediation", "view_stop")]
