"""A private page stays private: the home page and the content pages read their view
restrictions by a query compiled once per process (mediation.sites), with Wagtail's answer."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from cms.models import ContentPage
from mediation.tour_cache import PASSED_PAGE_RESTRICTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.TOUR_CACHE_ENABLED = False  # the restriction must be read on this very request


@pytest.fixture
def private_intro(home):
    home.introduction = "<p>Réservé aux membres</p>"
    home.save_revision().publish()
    return home


def wagtails_answer(page):
    return sorted(Page.get_view_restrictions(page).values_list("pk", flat=True))


def ours(page):
    return sorted(restriction.pk for restriction in page.get_view_restrictions())


def test_a_password_protected_home_page_asks_for_the_password(client, private_intro):
    restriction = PageViewRestriction.objects.create(
        page=private_intro, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    action = reverse(
        "wagtailcore_authenticate_with_password", args=[restriction.pk, private_intro.pk]
    )
    assert action in content
    assert 'type="password"' in content
    assert "Réservé aux membres" not in content
    assert "no-cache" in response["Cache-Control"]


def test_a_restriction_on_an_ancestor_asks_to_log_in(client, private_intro):
    PageViewRestriction.objects.create(
        page=private_intro.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )

    response = client.get("/")

    assert response.status_code == 302
    assert "next=/" in response["Location"]


def test_the_restriction_is_read_again_on_each_request(client, private_intro):
    assert "Réservé aux membres" in client.get("/").content.decode()
    PageViewRestriction.objects.create(
        page=private_intro, restriction_type=PageViewRestriction.LOGIN
    )

    assert client.get("/").status_code == 302

    PageViewRestriction.objects.all().delete()
    assert "Réservé aux membres" in client.get("/").content.decode()


def test_it_answers_as_wagtail_on_the_page_and_its_ancestors(home):
    page = home.add_child(instance=ContentPage(title="Mentions légales", slug="mentions"))
    assert ours(page) == wagtails_answer(page) == []

    for restricted in (home.get_parent(), home, page, page):
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.LOGIN
        )
        assert ours(page) == wagtails_answer(page)
    assert len(ours(page)) == 4
    assert ours(home) == wagtails_answer(home)


def test_an_alias_among_the_ancestors_stands_for_its_source(home):
    source = home.add_child(instance=ContentPage(title="Source", slug="source"))
    parent = home.add_child(instance=ContentPage(title="Parent", slug="parent"))
    page = parent.add_child(instance=ContentPage(title="Page", slug="page"))
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=parent, restriction_type=PageViewRestriction.LOGIN)
    Page.objects.filter(pk=parent.pk).update(alias_of=source)

    assert ours(page) == wagtails_answer(page)
    assert source.view_restrictions.get().pk in ours(page)


def test_the_admin_can_still_filter_and_order_them(home):
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    restrictions = home.get_view_restrictions()

    assert restrictions.exists()
    assert [r.page_id for r in restrictions.order_by("-page__depth")] == [home.pk]


def test_a_visitor_let_in_by_the_password_sees_the_page_and_no_one_else_does(
    client, private_intro, settings
):
    """The home page is cached for everyone: the password form for the public, and never
    the private page a visitor who typed the password was let in to."""
    settings.TOUR_CACHE_ENABLED = True
    restriction = PageViewRestriction.objects.create(
        page=private_intro, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert "Réservé aux membres" not in client.get("/").content.decode()

    let_in = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, private_intro.pk]),
        {"password": "secret", "return_url": "/"},
    )
    assert let_in.status_code == 302

    assert "Réservé aux membres" in client.get("/").content.decode()
    stranger = Client()
    assert "Réservé aux membres" not in stranger.get("/").content.decode()


def test_the_cache_knows_where_wagtail_keeps_the_passwords_typed():
    assert PageViewRestriction.passed_view_restrictions_session_key == PASSED_PAGE_RESTRICTIONS
