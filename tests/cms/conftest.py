import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from mediation.models import PARIS
from tests.factories import make_commune

# A Tuesday morning in Amiens; every date in these tests is relative to it.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def home(db):
    """A home page at the root of the default site, whatever the tree the migrations left."""
    root = Page.get_first_root_node()
    if root is None:
        # A transactional test run before in this process flushed the tree the migrations
        # made (pytest-django runs those last, but `--dist loadfile` does not): make it again.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Le Bus numérique", slug="bus-accueil"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


@pytest.fixture
def amiens(db):
    return make_commune(
        name="Amiens-Test", slug="amiens-test", latitude=Decimal("49.90"), longitude=Decimal("2.29")
    )
