"""The test factories give a test the rows it asks for, whatever ran before it."""

import pytest

from mediation.models import Commune
from tests.factories import make_commune

pytestmark = pytest.mark.django_db


def test_a_real_commune_can_be_made_where_the_somme_is_already_imported(somme):
    """A test with the 771 communes that also made Quend by its INSEE code failed on the
    unique constraint."""
    quend = make_commune(name="Quend", insee_code="80649", population=42)

    assert Commune.objects.get(insee_code="80649") == quend
    assert quend.population == 42  # the factory's row, not the imported one
    assert quend.epci is None
    assert Commune.objects.count() == 771  # replaced, not added


def test_a_commune_made_with_a_real_slug_replaces_the_imported_one_too(somme):
    amiens = make_commune(name="Amiens", slug="amiens")

    assert Commune.objects.get(slug="amiens") == amiens
    assert Commune.objects.count() == 771
