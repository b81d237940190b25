"""The home page finds its Wagtail site as Wagtail does, by a query compiled once per process."""

import pytest
from wagtail.models import Page, Site

from mediation.sites import site_for_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return Page.objects.get(depth=1)


def wagtails_answer(request):
    return Site._find_for_request(request)


@pytest.mark.parametrize(
    "host", ["testserver", "bus.example.fr", "bus.example.fr:8080", "autre.example.fr:80"]
)
def test_it_answers_as_wagtail_for_every_kind_of_match(rf, root, host):
    Site.objects.all().delete()
    Site.objects.create(hostname="default.example.fr", root_page=root, is_default_site=True)
    Site.objects.create(hostname="bus.example.fr", port=80, root_page=root)
    Site.objects.create(hostname="bus.example.fr", port=8080, root_page=root)
    Site.objects.create(hostname="autre.example.fr", port=8000, root_page=root)

    request = rf.get("/", HTTP_HOST=host)

    assert site_for_request(request) == wagtails_answer(request)


def test_without_any_site_there_is_none(rf):
    Site.objects.all().delete()

    assert site_for_request(rf.get("/")) is None


def test_wagtail_still_reads_the_site_found_before_its_view(rf, root):
    """The home page's view puts the site in request._wagtail_site, where Wagtail keeps it:
    if Wagtail stopped reading it there, it would look the site up a second time."""
    request = rf.get("/")
    request._wagtail_site = marker = Site(hostname="marker.example.fr", root_page=root)

    assert Site.find_for_request(request) is marker


def test_a_new_site_is_found_on_the_next_request(rf, root):
    Site.objects.all().delete()
    Site.objects.create(hostname="default.example.fr", root_page=root, is_default_site=True)
    site_for_request(rf.get("/", HTTP_HOST="bus.example.fr"))
    bus = Site.objects.create(hostname="bus.example.fr", port=80, root_page=root)

    assert site_for_request(rf.get("/", HTTP_HOST="bus.example.fr")) == bus


def test_the_root_page_comes_in_its_specific_form_as_wagtail_would_fetch_it(root):
    from cms.models import HomePage
    from mediation.sites import specific_page

    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-test"))
    page = Page.objects.get(pk=home.pk)
    page.seen_by_the_view = True

    specific = specific_page(page)

    assert isinstance(specific, HomePage)
    assert (specific.pk, specific.title) == (home.pk, "Accueil")
    assert specific.seen_by_the_view  # the page's other attributes kept, as get_specific does
    assert specific.specific is specific  # Wagtail's routing then asks nothing more
