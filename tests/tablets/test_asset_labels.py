import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from tablets.models import TabletStatus
from tablets.views import tablet_record_url
from tests.factories import make_mediator, make_tablet

pytestmark = pytest.mark.django_db


def test_the_labels_sheet_is_an_a4_pdf_with_every_asset_tag(client):
    tablets = [make_tablet(model_name=f"Galaxy Tab {n}") for n in range(5)]
    client.force_login(make_mediator())

    response = client.get(reverse("tablets_admin:labels"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for tablet in tablets:
        assert tablet.asset_tag in text
        assert tablet.model_name in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)


def test_the_labels_follow_the_list_filter(client):
    kept = make_tablet(status=TabletStatus.CHARGING)
    left_out = make_tablet()
    client.force_login(make_mediator())

    response = client.get(reverse("tablets_admin:labels"), {"status": "charging"})

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert kept.asset_tag in text
    assert left_out.asset_tag not in text


def test_the_qr_code_opens_the_tablet_record_on_the_site(tablet):
    url = tablet_record_url(tablet)

    assert url.startswith(settings.SITE_URL)
    assert url.endswith(reverse("tablets_admin:detail", args=[tablet.pk]))
