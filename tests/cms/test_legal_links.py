"""The footer's links to the legal pages, read with the branding: always the pages' current
titles and addresses, as Wagtail gives them."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from cms.demo import seed_legal_pages
from mediation.models import Branding
from tests.factories import make_stop, make_workshop

pytestmark = pytest.mark.django_db

FOOTER_LINK = re.compile(r'<li><a href="([^"]+)">([^<]+)</a></li>')


def footer_links(client, url: str = "/") -> list[tuple[str, str]]:
    html = client.get(url).content.decode()
    return FOOTER_LINK.findall(html.split('<footer class="site-footer"', 1)[1])


@pytest.fixture
def legal_pages(home, settings):
    settings.TOUR_CACHE_ENABLED = False  # what a page shows, not how long it is kept
    seed_legal_pages(home=home)
    branding = Branding.load()
    return branding.legal_notice_page, branding.accessibility_page, branding.privacy_page


def test_the_footer_links_each_legal_page_in_order_at_wagtails_own_address(client, legal_pages):
    expected = [(page.url, page.title) for page in legal_pages]
    assert [url for url, _ in expected] == [
        "/mentions-legales/",
        "/accessibilite/",
        "/donnees-personnelles/",
    ]
    for url in ("/", "/carte/", "/communes/", "/modules/"):
        assert footer_links(client, url) == expected, url


def test_a_renamed_moved_or_removed_page_shows_at_once(client, home, legal_pages):
    legal, accessibility, privacy = legal_pages
    page = accessibility.specific
    page.title, page.slug = "Déclaration d’accessibilité", "declaration-accessibilite"
    page.save_revision().publish()
    assert footer_links(client)[1] == ("/declaration-accessibilite/", "Déclaration d’accessibilité")

    about = home.add_child(instance=Page(title="À propos", slug="a-propos"))
    legal.specific.move(about, pos="last-child")
    assert footer_links(client)[0] == ("/a-propos/mentions-legales/", "Mentions légales")

    Page.objects.get(pk=privacy.pk).delete()
    assert [title for _, title in footer_links(client)] == [
        "Mentions légales",
        "Déclaration d’accessibilité",
    ]


def test_an_unpublished_legal_page_leaves_the_footer_until_it_is_published_again(
    client, legal_pages
):
    """A coordinator unpublishes the legal notice to rewrite it: no page links to a 404."""
    legal, accessibility, privacy = legal_pages
    legal.specific.unpublish()
    assert footer_links(client) == [
        (accessibility.url, accessibility.title),
        (privacy.url, privacy.title),
    ]
    assert client.get(legal.url).status_code == 404

    legal.specific.save_revision().publish()
    assert footer_links(client)[0] == ("/mentions-legales/", "Mentions légales")


def serve_the_site_from_the_tree_root() -> None:
    """The default site's root moved up to Wagtail's tree root: every path gains a level."""
    site = Site.objects.get(is_default_site=True)
    site.root_page = Page.get_first_root_node()
    site.save()


def test_the_addresses_follow_the_sites_root(client, home, legal_pages):
    """Pages under the site's root are linked from it; a new root makes new addresses."""
    serve_the_site_from_the_tree_root()
    assert footer_links(client, "/carte/")[0] == (
        f"/{home.slug}/mentions-legales/",
        "Mentions légales",
    )


def test_a_branding_read_by_other_means_gives_the_same_links(legal_pages):
    """The admin and the messages read the branding without the layout's query."""
    assert Branding.objects.get().legal_links == Branding.load().legal_links
    assert Branding.objects.get().privacy_link.url == "/donnees-personnelles/"


def test_the_sign_up_form_links_to_the_privacy_notice(client, legal_pages):
    workshop = make_workshop(stop=make_stop(date=timezone.localdate() + dt.timedelta(days=7)))
    html = client.get(reverse("workshops:signup", args=[workshop.pk])).content.decode()
    assert '<a href="/donnees-personnelles/">' in html


def test_cached_pages_follow_a_moved_legal_page_and_a_new_site_root(client, home, settings):
    """The tour cache's pages are stale when the layout's pages or sites change, not only
    when a page's own text does."""
    settings.TOUR_CACHE_ENABLED = True
    seed_legal_pages(home=home)
    legal = Branding.load().legal_notice_page
    about = home.add_child(instance=Page(title="À propos", slug="a-propos"))
    assert footer_links(client, "/carte/")[0] == ("/mentions-legales/", "Mentions légales")
    assert footer_links(client, "/carte/")[0] == ("/mentions-legales/", "Mentions légales")

    legal.specific.move(about, pos="last-child")
    assert footer_links(client, "/carte/")[0] == (
        "/a-propos/mentions-legales/",
        "Mentions légales",
    )

    serve_the_site_from_the_tree_root()
    assert footer_links(client, "/carte/")[0] == (
        f"/{home.slug}/a-propos/mentions-legales/",
        "Mentions légales",
    )


def test_the_legal_pages_and_the_logo_count_the_branding_among_their_uses(
    client, home, django_capture_on_commit_callbacks
):
    # Claire is about to delete the privacy page: its "usage" must show that the site's
    # footer links to it, not "used 0 times".
    from django.contrib.auth import get_user_model

    with django_capture_on_commit_callbacks(execute=True):
        seed_legal_pages(home=home)
    privacy = Branding.load().privacy_page
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))

    usage = client.get(reverse("wagtailadmin_pages:usage", args=[privacy.pk]))

    assert usage.status_code == 200
    assert "Page de politique de confidentialité" in usage.content.decode()
    assert usage.context["paginator"].count == 1
