import io

import pytest
from django.core.files.images import ImageFile

from mediation.demo import seed_modules
from mediation.models import Branding


@pytest.fixture
def seeded_modules(db):
    return seed_modules()


@pytest.fixture
def van_phone(db) -> str:
    branding = Branding.load()
    branding.contact_phone = "03 53 01 00 80"
    branding.save()
    return branding.contact_phone


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def screenshot(media_root):
    """A Wagtail image, as a coordinator would upload a screenshot of a step."""
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PillowImage.new("RGB", (320, 200), (0, 82, 122)).save(buffer, format="PNG")
    return Image.objects.create(title="Écran d'accueil", file=ImageFile(buffer, name="accueil.png"))
