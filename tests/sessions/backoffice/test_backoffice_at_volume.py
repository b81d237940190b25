"""Back-office lists and reports cost the same queries with a few rows as with many, and the
registrations list hides what the purge anonymised."""

import datetime as dt
import itertools
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediation.backoffice_screens import back_office_screens
from sessions.models import Attendance, Registration, RegistrationStatus
from tests.factories import make_module, make_registration, make_stop, make_user, make_workshop

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


def back_office_pages(user) -> list[str]:
    """Every screen of this project's back office that `user` sees: its models' lists and
    the other screens of its menu (mediation.backoffice_screens, which the bench times)."""
    return [path for _label, path in back_office_screens(user)]


def add_activity(stops: int) -> None:
    """Past and coming stops with workshops, registrations (some anonymised) and attendance."""
    today = timezone.localdate()
    module = make_module()
    for number in range(stops):
        day = today + dt.timedelta(days=number - stops // 2)
        workshop = make_workshop(stop=make_stop(date=day), module=module, capacity=8)
        for person in range(3):
            registration = make_registration(workshop=workshop)
            if day < today:
                Attendance.objects.create(
                    uuid=uuid.uuid4(),
                    registration=registration,
                    present=True,
                    recorded_at=timezone.now(),
                )
            if person == 2 and day < today:
                Registration.objects.filter(pk=registration.pk).update(
                    first_name="", last_name="", phone="", anonymised_at=timezone.now()
                )


def queries(client, path: str) -> int:
    client.get(path)  # per-process caches warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.fixture
def director():
    return make_user(f"direction{next(_serial)}", is_superuser=True)


@pytest.fixture
def admin_client(client, director):
    client.force_login(director)
    return client


def test_there_are_back_office_lists_and_screens_to_check(director):
    pages = back_office_pages(director)
    assert reverse("registrations:index") in pages
    # The menu's own screens, not only the models' lists.
    for name in ["planning:planner", "attendance_report", "tablets_admin:list", "coverage:report"]:
        assert reverse(name) in pages, name
    assert not [page for page in pages if page.startswith(("/admin/pages/", "/admin/users/"))]


def test_every_back_office_list_and_report_costs_the_same_queries_at_two_volumes(
    admin_client, director
):
    add_activity(2)
    few = {path: queries(admin_client, path) for path in back_office_pages(director)}

    add_activity(30)
    many = {path: queries(admin_client, path) for path in back_office_pages(director)}

    assert many == few


def test_anonymised_registrations_are_absent_from_the_back_office_list(admin_client):
    past = make_workshop(stop=make_stop(date=timezone.localdate() - dt.timedelta(days=200)))
    kept = make_registration(workshop=past, first_name="Josiane")
    wiped = make_registration(workshop=past, first_name="Gisèle")
    Registration.objects.filter(pk=wiped.pk).update(
        first_name="", last_name="", phone="", anonymised_at=timezone.now()
    )

    html = admin_client.get(reverse("registrations:index")).content.decode()

    assert reverse("registrations:edit", args=[kept.pk]) in html
    assert reverse("registrations:edit", args=[wiped.pk]) not in html


def test_the_registrations_list_filters_on_bounded_choices(admin_client):
    add_activity(80)

    html = admin_client.get(reverse("registrations:index")).content.decode()

    # No select of every workshop: a filter with one option per workshop grows with the tour.
    assert html.count("<option") < 50
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).exists()


def test_wagtail_still_calls_the_registrations_list_queryset_hook(admin_client, monkeypatch):
    from sessions.backoffice.registrations import RegistrationIndexView

    calls = []
    hook = RegistrationIndexView.get_base_queryset

    def spy(view):
        calls.append(view)
        return hook(view)

    monkeypatch.setattr(RegistrationIndexView, "get_base_queryset", spy)

    assert admin_client.get(reverse("registrations:index")).status_code == 200
    assert calls, "Wagtail no longer calls get_base_queryset: the list lost its filter"


def test_the_registrations_list_shows_the_newest_sign_ups_first(admin_client):
    """Staff look for who signed up lately; an index gives that order without a sort."""
    earlier = make_registration(first_name="Josiane")
    Registration.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    latest = make_registration(first_name="Gisèle")

    html = admin_client.get(reverse("registrations:index")).content.decode()

    latest_at = html.index(reverse("registrations:edit", args=[latest.pk]))
    assert latest_at < html.index(reverse("registrations:edit", args=[earlier.pk]))


def test_a_mediator_still_sees_only_the_registrations_of_their_stops(client):
    from mediation.roles import MEDIATORS

    mediator = make_user(f"mediatrice{next(_serial)}", group=MEDIATORS)
    theirs, other = make_stop(), make_stop()
    theirs.mediators.add(mediator)
    mine = make_registration(workshop=make_workshop(stop=theirs))
    not_mine = make_registration(workshop=make_workshop(stop=other))

    assert set(Registration.objects.visible_to(mediator)) == {mine}
    assert not_mine in Registration.objects.visible_to(make_user("direction-x", is_superuser=True))
