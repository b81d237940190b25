"""The privacy notice states the retention period from the settings and the residents' rights."""

import pytest

from cms.demo import seed_legal_pages
from mediation.models import Branding

pytestmark = pytest.mark.django_db


def test_the_notice_states_the_retention_period_from_the_setting(client, home, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 45
    seed_legal_pages(home=home)
    branding = Branding.load()
    branding.contact_phone = "03 22 11 22 33"
    branding.save()

    response = client.get(branding.privacy_page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="privacy-facts"' in html
    assert "45" in html[html.index('id="privacy-retention"') :][:200]
    assert "CNIL" in html
    assert "03 22 11 22 33" in html


def test_other_content_pages_do_not_carry_it(client, home):
    seed_legal_pages(home=home)
    assert (
        'id="privacy-facts"'
        not in client.get(Branding.load().legal_notice_page.url).content.decode()
    )
