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
    # The rights are used by phone or with the CNIL: both are links a resident taps.
    assert 'href="https://www.cnil.fr/fr/adresser-une-plainte"' in _paragraph(html, "privacy-cnil")
    assert 'href="tel:0322112233"' in html
    assert "03\u00a022\u00a011\u00a022\u00a033" in html


def test_other_content_pages_do_not_carry_it(client, home):
    seed_legal_pages(home=home)
    assert (
        'id="privacy-facts"'
        not in client.get(Branding.load().legal_notice_page.url).content.decode()
    )


def _paragraph(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</p>", start)]


def test_the_notice_states_how_long_alerts_and_requests_for_a_visit_are_kept(client, home):
    # Jeanne asked to be told when the van comes near her, and her town hall asked for a
    # visit: the notice tells them for how long, as the purge does it.
    from sessions.alerts import ALERT_KEPT_FOR, UNCONFIRMED_KEPT_FOR
    from sessions.bus_requests import REQUEST_KEPT_FOR

    seed_legal_pages(home=home)

    html = client.get(Branding.load().privacy_page.url).content.decode()

    alerts = _paragraph(html, "privacy-alerts")
    assert f"{ALERT_KEPT_FOR.days}" in alerts and f"{UNCONFIRMED_KEPT_FOR.days}" in alerts
    assert f"{REQUEST_KEPT_FOR.days}" in _paragraph(html, "privacy-bus-requests")


def test_the_notice_says_backups_hold_the_data_for_the_retention_period_again(
    client, home, settings
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 45
    seed_legal_pages(home=home)

    html = client.get(Branding.load().privacy_page.url).content.decode()

    assert "45" in _paragraph(html, "privacy-backups")
