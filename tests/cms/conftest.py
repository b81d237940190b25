import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from wagtail.models import Page, Site

from cms.models import HomePage
from mediation.models import PARIS
from mediation.services import communes_import
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


@pytest.fixture
def somme(db):
    """The 771 communes, imported inside the test so that they vanish with it.

    The project-wide session fixture leaves them in the database, which other apps' tests
    (seed_demo refusing to run without communes) must not see.
    """
    communes_import()
