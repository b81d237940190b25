"""Staff roles: coordinators plan the tour, mediators read it; outsiders see nothing."""

import pytest
from django.urls import reverse

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
