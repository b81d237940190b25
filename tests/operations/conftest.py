# The public site's fixtures: a frozen Tuesday, a Wagtail home page, the 771 communes.
from tests.cms.conftest import amiens, frozen, home, somme  # noqa: F401
