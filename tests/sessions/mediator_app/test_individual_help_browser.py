"""End to end on a tablet with no signal: an individual help reaches the funders' export."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.activity import Period, activity_rows
from reports.coop import EXPORT_COLUMNS
from sessions.models import IndividualHelp
from tests.accessibility import axe_violations
from tests.factories import make_commune, make_mediator, make_stop, make_workshop
from tests.sessions.mediator_app.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_help_recorded_offline_is_sent_once_back_online_and_exported(live_server, page):
    mediator = make_mediator("ines")
    stop = make_stop(date=timezone.localdate())
    stop.mediators.add(mediator)
    make_workshop(stop=stop)
    make_commune(name="Quend", insee_code="80649")
    # Service workers need a secure context: http://localhost is one, 127.0.0.1 may not be.
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)

    page.context.set_offline(True)
    page.locator(".help-details > summary").click()
    form = page.locator(f'form.individual-help[data-stop="{stop.pk}"]')
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-role=error]")).to_be_visible()  # the time spent is missing
    form.locator("[name=minutes_spent]").fill("30")
    form.locator('input[name=themes][value="demarches"]').check()
    form.locator('input[name=themes][value="social_sante"]').check()
    form.locator("[name=procedure_name]").fill("Demande de carte Vitale")
    form.locator("select[name=operator]").select_option("cnam")
    form.locator("select[name=gender]").select_option("masculin")
    form.locator("[name=commune]").fill("Quend (80649)")
    form.locator("button[type=submit]").click()
    recorded = page.locator(".individual-helps li.help")
    expect(recorded).to_have_attribute("data-state", "pending")
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")
    assert not IndividualHelp.objects.exists()

    page.reload()
    expect(page.locator(".individual-helps li.help")).to_have_attribute("data-state", "pending")
    page.context.set_offline(False)

    expect(page.locator(".individual-helps li.help")).to_have_attribute(
        "data-state", "sent", timeout=15_000
    )
    page.locator("#send-now").click()
    assert IndividualHelp.objects.count() == 1
    row = dict(zip(EXPORT_COLUMNS, next(activity_rows(Period(stop.date, stop.date))), strict=True))
    assert row["Type"] == "Accompagnement individuel"
    assert row["Nom de la démarche administrative"] == "Demande de carte Vitale"
    assert (
        row["Thématique(s) d’accompagnement"]
        == "Aide aux démarches administratives\nSocial - Santé"
    )
    assert row["Commune du bénéficiaire"] == "Quend"
    assert axe_violations(page) == []
