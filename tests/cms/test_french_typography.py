"""Phone numbers are tapped, never wrapped; times keep their parts together."""

import datetime as dt
import re

import pytest

from mediation.models import Branding
from tests.cms.conftest import TODAY
from tests.factories import make_commune, make_stop, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(db):
    branding = Branding.load()
    branding.contact_phone = "03 22 11 22 33"
    branding.save()
    return branding.contact_phone


def test_every_phone_number_on_the_public_pages_is_a_tel_link_that_never_wraps(
    client, frozen, home, phone
):
    commune = make_commune(slug="rue-test")
    workshop = make_workshop(stop=make_stop(commune=commune, date=TODAY + dt.timedelta(days=2)))
    pages = ["/", "/communes/rue-test/", f"/escales/{workshop.stop.pk}/", "/carte/"]
    pages.append(f"/ateliers/{workshop.pk}/inscription/")
    for path in pages:
        html = client.get(path).content.decode()
        shown = re.findall(r'<a class="phone" href="tel:0322112233">([^<]*)</a>', html)
        assert shown, path
        assert set(shown) == {"03\u00a022\u00a011\u00a022\u00a033"}, path
        # Machine-readable data (schema.org JSON-LD) keeps the number as typed.
        shown_text = re.sub(
            r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S
        )
        assert "03 22 11 22 33" not in shown_text, path


def test_times_on_the_stop_page_never_break(client, frozen):
    stop = make_stop(date=TODAY + dt.timedelta(days=2))
    html = client.get(f"/escales/{stop.pk}/").content.decode()
    assert "9\u00a0h\u00a030" in html
    assert not re.search(r"\d h \d", html)
