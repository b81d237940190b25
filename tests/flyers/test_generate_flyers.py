"""The coordinator writes every commune's flyer into a folder, for print shops or town halls."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections

from mediation.models import Branding, Commune
from tests.factories import make_commune, make_epci, make_stop
from tests.flyers.conftest import page_text, pdf_pages


@pytest.fixture
def epci_with_communes(db):
    epci = make_epci(name="CC des Essais", slug="cc-des-essais", code="299000801")
    communes = [make_commune(name=f"Village {number}", epci=epci) for number in range(3)]
    make_commune(name="Hors EPCI", slug="hors-epci")
    make_stop(commune=communes[0], date=dt.date.today() + dt.timedelta(days=3))
    return epci, communes


@pytest.mark.usefixtures("branding")
@pytest.mark.parametrize("selector", ["cc-des-essais", "299000801"])
def test_it_writes_one_flyer_per_commune_of_the_epci(tmp_path, epci_with_communes, selector):
    _, communes = epci_with_communes
    call_command("generate_flyers", epci=selector, output=str(tmp_path), workers=1, verbosity=0)
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(f"affiche-{commune.slug}.pdf" for commune in communes)
    for commune in communes:
        pages = pdf_pages((tmp_path / f"affiche-{commune.slug}.pdf").read_bytes())
        assert len(pages) == 1
        assert commune.name in page_text(pages[0])


@pytest.fixture
def committed_epci(django_db_setup, django_db_blocker):
    """Communes committed for real, which forked workers can read from their own connections.

    Removed afterwards by hand: a transactional test's flush would also wipe what the
    migrations put in (Wagtail's root page) for the tests that come after.
    """
    with django_db_blocker.unblock():
        had_branding = Branding.objects.exists()
        epci = make_epci(name="CC des Processus", slug="cc-des-processus", code="299000802")
        communes = [make_commune(name=f"Hameau {number}", epci=epci) for number in range(5)]
    yield epci, communes
    with django_db_blocker.unblock():
        Commune.objects.filter(epci=epci).delete()
        epci.delete()
        if not had_branding:
            Branding.objects.all().delete()
        # Run after the browser tests (it has no django_db mark), this test may hold a
        # connection of its own context: left open, it would block dropping the test database.
        connections.close_all()


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="forked workers cannot see an in-memory SQLite test database",
)
def test_two_worker_processes_write_every_commune(tmp_path, committed_epci, django_db_blocker):
    _, communes = committed_epci
    with django_db_blocker.unblock():
        call_command(
            "generate_flyers", epci="cc-des-processus", output=str(tmp_path), workers=2, verbosity=0
        )
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(f"affiche-{commune.slug}.pdf" for commune in communes)


def test_an_unknown_epci_is_refused(tmp_path, epci_with_communes):
    with pytest.raises(CommandError):
        call_command("generate_flyers", epci="inconnue", output=str(tmp_path), verbosity=0)
    assert not list(tmp_path.iterdir())


def test_a_period_out_of_bounds_is_refused(tmp_path, epci_with_communes):
    with pytest.raises(CommandError):
        call_command("generate_flyers", mois=13, output=str(tmp_path), verbosity=0)
