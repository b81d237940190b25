"""Media in production: on disk behind the proxy, or in an S3-compatible bucket; flyers keep
their logo either way because PDFs read images through the storage API."""

import runpy
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import storages
from pypdf import PdfReader

from mediation.models import Branding
from tests.factories import make_commune, make_image, make_stop

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "mediation" / "settings.py"
PRODUCTION_ENV = {
    "MEDIATION_ENV": "production",
    "SECRET_KEY": "k" * 50,
    "ALLOWED_HOSTS": "bus.example.org",
    "SITE_URL": "https://bus.example.org",
    # What production requires besides (a shared cache, backends that really send).
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SMS_BACKEND": "sessions.sms.FileSmsBackend",
}


def production_settings(monkeypatch, **extra) -> dict:
    for name, value in {**PRODUCTION_ENV, **extra}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_by_default_production_media_stay_on_disk_for_the_proxy(monkeypatch):
    loaded = production_settings(monkeypatch)
    assert loaded["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert loaded["MEDIA_URL"] == "/media/"
    nginx = (SETTINGS_FILE.parents[1] / "deploy" / "nginx.conf").read_text()
    assert "location /media/" in nginx


def test_with_s3_media_get_addresses_on_the_buckets_public_domain(monkeypatch):
    loaded = production_settings(
        monkeypatch,
        MEDIA_STORAGE="s3",
        S3_BUCKET="bus-media",
        S3_ENDPOINT_URL="https://s3.fr-par.example.net",
        S3_CUSTOM_DOMAIN="media.bus.example.org",
    )
    from django.utils.module_loading import import_string

    config = loaded["STORAGES"]["default"]
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    assert storage.url("images/logo.png") == "https://media.bus.example.org/media/images/logo.png"


def test_s3_without_a_bucket_refuses_to_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        production_settings(monkeypatch, MEDIA_STORAGE="s3")


@pytest.fixture
def remote_media(settings):
    """Media in a storage with its own address, as a bucket has (in memory here)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"base_url": "https://media.bus.example.org/media/"},
        },
    }
    return storages["default"]


@pytest.mark.django_db
def test_a_flyer_keeps_its_logo_when_media_live_in_a_bucket(client, remote_media, root_collection):
    pytest.importorskip("weasyprint")
    branding = Branding.load()
    branding.logo = make_image(size=(600, 240))
    branding.save()
    assert branding.logo.file.url.startswith("https://media.bus.example.org/media/")
    village = make_commune(name="Bray-sur-Somme", slug="bray-sur-somme")
    make_stop(commune=village)
    response = client.get(f"/communes/{village.slug}/affiche.pdf")
    assert response.status_code == 200
    page = PdfReader(BytesIO(response.content)).pages[0]
    # The logo and the QR code.
    assert len(page.images) == 2


@pytest.mark.django_db
def test_a_bucket_out_of_reach_does_not_fail_a_prepared_pdf(remote_media, monkeypatch):
    """A prepared PDF's digest reads the files its document names (mediation.pdf): a bucket
    that cannot be reached counts as a missing file, as the rendering takes it."""
    pytest.importorskip("weasyprint")
    from mediation.pdf import document_digest

    remote_media.save("images/logo.png", BytesIO(b"the logo"))
    html = '<img src="https://media.bus.example.org/media/images/logo.png">'
    reached = document_digest(html)

    class BucketOutOfReach(Exception):
        """As botocore raises it: not an OSError."""

    def out_of_reach(*args, **kwargs):
        raise BucketOutOfReach("Could not connect to the endpoint URL")

    monkeypatch.setattr(remote_media, "open", out_of_reach)
    unreached = document_digest(html)

    assert unreached != reached
    assert document_digest(html) == unreached
