"""The fleet list on the van's tablet: what the mediator looks for is in sight."""

import pytest

from tablets.services import tablet_record_use
from tests.factories import make_mediator, make_tablet
from tests.live_server import let_the_live_server_finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ines_sees_which_tablets_await_their_reset_without_scrolling_sideways(live_server, browser):
    """On the van's tablet (1024 px, the menu open) the "Réinitialisation" column was past
    the edge of the list's box, behind a sideways scroll: Inès could hand over a tablet still
    holding the previous resident's session. Its model and status are in sight too."""
    from django.utils import timezone

    make_mediator("ines")
    used = make_tablet(make="Samsung", model_name="Galaxy Tab A9+")
    tablet_record_use(tablet=used, used_at=timezone.now(), reference="jeanine-caf")
    make_tablet(make="Apple", model_name="iPad (9e génération)", os_name="iPadOS")
    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "ines")
        page.fill("#id_password", "pass")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(live_server.url + "/admin/")
        page.goto(live_server.url + "/admin/tablets/")

        box = page.locator(".table-container").bounding_box()
        for heading in ("Numéro d’inventaire", "Modèle", "Statut", "Réinitialisation"):
            cell = page.get_by_role("columnheader", name=heading).bounding_box()
            assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, heading
        row = page.locator(f'tr[data-asset-tag="{used.asset_tag}"]')
        assert "Samsung Galaxy Tab A9+" in row.inner_text()
    finally:
        context.close()
        let_the_live_server_finish()
