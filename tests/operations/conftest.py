# The public site's fixtures: a frozen Tuesday, a Wagtail home page, the 771 communes.
import pytest

from tests.cms.conftest import amiens, frozen, home  # noqa: F401


@pytest.fixture
def root_collection(django_db_blocker):
    """Wagtail's root collection, which images need; a transactional test's flush removes it."""
    from wagtail.models import Collection

    with django_db_blocker.unblock():
        return Collection.get_first_root_node() or Collection.add_root(name="Root")
