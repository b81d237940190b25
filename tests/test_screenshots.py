"""Every resident's, mediator's and coordinator's main screen, at phone, tablet and desktop widths.

Each screen must fit its width (no horizontal scrolling, nothing cut off at the right edge
unless it sits in a box that scrolls sideways), keep its boxes apart (no text or control
drawn over another), and pass axe. The images are written to SCREENSHOTS_DIR
(`make screenshots` sets docs/screenshots/), so that anyone can look at every screen after a
change; otherwise to a temporary folder.
"""

import io
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mediation.demo import DEMO_PASSWORD
from mediation.models import Stop
from sessions.alerts import stop_alert_create
from sessions.models import Workshop
from tests.accessibility import axe_violations
from tests.live_server import let_the_live_server_finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1024, 1280)
SETTLE_MS = 300

# Elements that show something: text, controls, images. Two of them that are not nested
# must not overlap; a box hidden from sight (visually-hidden, off-screen) is left out.
OVERLAPS_JS = (Path(__file__).parent / "overlaps.js").read_text(encoding="utf-8")
# Wagtail's main column hides what overflows it: the page never scrolls sideways, the last
# columns of a wide list were simply out of reach.
CUT_OFF_JS = (Path(__file__).parent / "cut_off.js").read_text(encoding="utf-8")
# A phone number is read and dialled in one piece: "06 39 50 / 88 11" over two lines misleads.
BROKEN_NUMBERS_JS = """() => [...document.querySelectorAll('.phone-number, a[href^="tel:"]')]
    .filter((element) => element.offsetParent !== null && element.textContent.trim())
    .filter((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        return tops.size > 1;
    })
    .map((element) => element.textContent.trim())"""


def screenshots_dir(tmp_path_factory) -> Path:
    folder = os.environ.get("SCREENSHOTS_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_and_shoot(
    page, folder: Path, name: str, *, ready=None, scope: str = "body", widths=WIDTHS
) -> None:
    """Shoot the page at each width, then check it; `scope` limits the overlap check (Wagtail's
    own chrome lays an icon button over its search field on purpose)."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        # Wagtail's sidebar slides in (150 ms) when a phone's width grows to a tablet's: a
        # shot taken at once showed it over the page, which no reader at that width sees.
        page.wait_for_timeout(SETTLE_MS)
        if ready:
            ready()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} at {width} px scrolls sideways ({scroll} px wide)"
        overlaps = page.evaluate(OVERLAPS_JS, scope)
        assert not overlaps, f"{name} at {width} px: boxes overlap: {overlaps}"
        cut_off = page.evaluate(CUT_OFF_JS, "body")
        assert not cut_off, f"{name} at {width} px: out of reach at the right: {cut_off}"
        broken = page.evaluate(BROKEN_NUMBERS_JS)
        assert not broken, f"{name} at {width} px: phone numbers over two lines: {broken}"
    assert axe_violations(page) == [], name


def sign_in(page, base: str, *, path: str, username: str, submit: str) -> None:
    page.goto(base + path)
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator(submit).click()


@contextmanager
def back_office(browser, base: str, *, username: str):
    """A page of a browser in French, in Paris, signed in to the back office as `username`
    (whose password is the demo's); closed, and the live server let finish, at the end."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(
            page,
            base,
            path=reverse("wagtailadmin_login"),
            username=username,
            submit="form button[type=submit]",
        )
        page.wait_for_url(base + reverse("wagtailadmin_home"))
        yield page
    finally:
        context.close()
        let_the_live_server_finish()


def test_every_main_screen_fits_phone_tablet_and_desktop(live_server, browser, tmp_path_factory):
    call_command("import_communes", "--verbosity", "0")
    call_command("seed_demo", stdout=io.StringIO())
    folder = screenshots_dir(tmp_path_factory)
    # Service workers need a secure context: http://localhost is one, 127.0.0.1 may not be.
    base = live_server.url.replace("127.0.0.1", "localhost")
    workshop = (
        Workshop.objects.upcoming()
        .filter(stop__status="planned", seats_taken__lt=1_000)
        .select_related("stop__commune")
        .order_by("stop__date", "start_time")
        .exclude(capacity=0)
        .first()
    )
    stop = workshop.stop
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        public = [
            ("home", reverse("wagtail_serve", args=[""])),
            ("commune", reverse("cms:commune", args=[stop.commune.slug])),
            ("stop", reverse("cms:stop", args=[stop.pk])),
            ("map", reverse("cms:map")),
            ("signup", reverse("workshops:signup", args=[workshop.pk])),
        ]
        for name, path in public:
            page.goto(base + path)
            check_and_shoot(page, folder, name)

        page.fill("#id_first_name", "Marie-Thérèse")
        page.fill("#id_last_name", "Dupont")
        page.fill("#id_phone", "06 12 34 56 78")
        page.locator("#id_consent").check()
        page.locator("#signup-form button[type=submit]").click()
        expect(page.locator("#registration-status")).to_be_visible()
        check_and_shoot(page, folder, "confirmation")

        # "Prévenez-moi" by SMS: the code page, once a new code was asked for.
        alert = stop_alert_create(
            commune=stop.commune, radius_km=20, phone="+33612345678", consent=True
        )
        page.goto(base + reverse("workshops:alert_code", args=[alert.key]))
        page.locator("#alert-code-resend button").click()
        expect(page.locator("#code-resent")).to_be_visible()
        check_and_shoot(page, folder, "alert-code")

        today = Stop.objects.filter(date=timezone.localdate()).first()
        if today is None:
            # The demo keeps Sundays and holidays free: bring the next stop to today.
            today = Stop.objects.upcoming().filter(mediators__isnull=False).first()
            Stop.objects.filter(pk=today.pk).update(date=timezone.localdate())
        sign_in(
            page,
            base,
            path=reverse("mediator_app:home"),
            username=today.mediators.order_by("username").first().username,
            submit="form.tablet-login button[type=submit]",
        )
        expect(page.locator("#day")).to_have_attribute("data-state", "ready")
        check_and_shoot(page, folder, "tablet")

        page.context.clear_cookies()
        sign_in(
            page,
            base,
            path=reverse("wagtailadmin_login"),
            username="coordination",
            submit="form button[type=submit]",
        )
        page.wait_for_url(base + reverse("wagtailadmin_home"))
        check_and_shoot(page, folder, "dashboard", scope="#tour-panel")

        # The figures for funders, and an activity export asked for from there (the
        # immediate task backend builds it before the page answers).
        page.goto(base + reverse("reports_admin:statistics"))
        page.locator("#export-xlsx").click()
        expect(page.locator("#export-download")).to_be_visible()
        check_and_shoot(page, folder, "export", scope=".reports-page")
        page.locator("text=Retour aux statistiques").click()
        # The activity report too, then the page lists both files.
        page.locator("#report-pdf").click()
        expect(page.locator("#export-download")).to_be_visible()
        check_and_shoot(page, folder, "report", scope=".reports-page")
        page.locator("text=Retour aux statistiques").click()
        expect(page.locator("#recent-exports")).to_contain_text("Rapport d’activité (PDF)")
        check_and_shoot(page, folder, "statistics", scope=".reports-page")

        # An intercommunality's flyers, from the menu's "Affiches", prepared the same way.
        page.goto(base + reverse("reports_admin:flyers"))
        page.locator("#id_epci").select_option(index=1)
        page.locator("#flyers-ask").click()
        expect(page.locator("#export-download")).to_contain_text("Ouvrir les affiches")
        check_and_shoot(page, folder, "flyers-ready", scope=".reports-page")
        page.locator("text=Retour aux affiches").click()
        expect(page.locator("#recent-exports")).to_contain_text("Affiches pour les mairies (PDF)")
        check_and_shoot(page, folder, "flyers", scope=".reports-page")

        # The widest lists, which a mediator reads on the van's tablet: every column within
        # reach (they scroll sideways in their own box when the screen is narrower).
        # And the form that registers a caller, whose list of workshops is as wide as its
        # longest workshop's name.
        lists = [
            ("registrations", reverse("registrations:index"), "#listing-results", "table"),
            # The tour's stops and workshops, each row with its buttons and "more" menu.
            (
                "stops",
                reverse("wagtailsnippets_mediation_stop:list"),
                "#listing-results",
                "table",
            ),
            (
                "workshops",
                reverse("wagtailsnippets_workshops_workshop:list"),
                "#listing-results",
                "table",
            ),
            ("attendance", reverse("attendance_workshop", args=[workshop.pk]), ".listing", ""),
            ("fleet", reverse("tablets_admin:list"), ".table-container", "table"),
            (
                "registration-new",
                reverse("registrations:add"),
                "main form ul.fields",
                "#id_workshop",
            ),
            # A month of sign-in sheets, one line per workshop, for the coordinator.
            ("signin-sheets", reverse("reports_admin:signin_sheets"), ".nice-padding", "ul a"),
            # A stop's date and hours side by side: on a tablet the end time ran under the
            # side panel, past the screen's edge.
            (
                "stop-edit",
                reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]),
                "main form .w-field-row",
                "#id_end_time",
            ),
        ]
        for name, path, scope, shown in lists:
            page.goto(base + path)
            expect(page.locator(f"{scope} {shown}".strip()).first).to_be_visible()
            check_and_shoot(page, folder, name, scope=scope)
    finally:
        context.close()
        let_the_live_server_finish()
    assert len(list(folder.glob("*.png"))) >= 17 * len(WIDTHS)


def test_the_refused_records_fit_phone_tablet_and_desktop(live_server, browser, tmp_path_factory):
    """The coordinators' "Refus des tablettes" (open, then dealt with) and its panel on the
    back office's home, a large office screen (1,440 px) too."""
    import datetime as dt
    import uuid

    from sessions.mediator_app.sync import attendance_sync_batch
    from tests.factories import (
        make_commune,
        make_coordinator,
        make_mediator,
        make_registration,
        make_stop,
        make_workshop,
    )

    folder = screenshots_dir(tmp_path_factory)
    claire = make_coordinator("claire")
    claire.first_name, claire.last_name = "Claire", "Dubois"
    claire.set_password(DEMO_PASSWORD)
    claire.save()
    ines = make_mediator("ines")
    ines.first_name, ines.last_name = "Inès", "Carpentier"
    ines.save()
    stop = make_stop(
        commune=make_commune(name="Saint-Riquier", slug="saint-riquier"),
        date=timezone.localdate(),
    )
    stop.mediators.add(make_mediator("olivier"))  # given to Olivier while Inès was offline
    workshop = make_workshop(stop=stop)
    made = (timezone.now() - dt.timedelta(minutes=40)).isoformat()
    people = [
        make_registration(workshop=workshop, first_name=first, last_name=last)
        for first, last in (("Marie-Thérèse", "Vandermeersch"), ("Marcel", "Dupuis"))
    ]
    records = [
        {
            "uuid": str(uuid.uuid4()),
            "recorded_at": made,
            "workshop": workshop.pk,
            "registration": str(person.uuid),
            "present": present,
        }
        for person, present in zip(people, (True, False), strict=True)
    ]
    records.append(
        records[0]
        | {"uuid": str(uuid.uuid4()), "registration": str(uuid.uuid4())}
        | {"walk_in": {"first_name": "Gérard", "commune": stop.commune.insee_code}}
    )
    attendance_sync_batch(user=ines, records=records)
    attendance_sync_batch(user=ines, records=records[:1])  # "Renvoyer": sent twice

    widths = (*WIDTHS, 1440)
    base = live_server.url.replace("127.0.0.1", "localhost")
    with back_office(browser, base, username="claire") as page:
        expect(page.locator("#refused-records-panel")).to_be_visible()
        check_and_shoot(
            page, folder, "dashboard-refusals", scope="#refused-records-panel", widths=widths
        )
        page.locator("#refused-records-panel a").click()
        expect(page.locator("#refused-records")).to_be_visible()
        check_and_shoot(page, folder, "refused-records", scope=".nice-padding", widths=widths)
        page.locator("#refused-records button").first.click()
        page.goto(base + reverse("workshops_refused_records") + "?etat=traites")
        expect(page.locator("#refused-records")).to_be_visible()
        check_and_shoot(
            page, folder, "refused-records-dealt-with", scope=".nice-padding", widths=widths
        )


def test_the_individual_helps_fit_phone_tablet_and_desktop(live_server, browser, tmp_path_factory):
    """The helps the tablets sent, as Claire lists them (Chiffres › Accompagnements
    individuels), then one of them opened from its line."""
    import datetime as dt
    import uuid

    from sessions.activity_models import IndividualHelp
    from tests.factories import make_commune, make_coordinator, make_stop

    folder = screenshots_dir(tmp_path_factory)
    claire = make_coordinator("claire")
    claire.set_password(DEMO_PASSWORD)
    claire.save()
    stop = make_stop(
        commune=make_commune(name="Saint-Riquier", slug="saint-riquier"),
        date=timezone.localdate() - dt.timedelta(days=2),
    )
    for minutes, procedure, operator in (
        (20, "Attestation de droits Ameli", "cnam"),
        (45, "Déclaration trimestrielle RSA", "caf"),
        (15, "", ""),
    ):
        IndividualHelp.objects.create(
            uuid=uuid.uuid4(),
            stop=stop,
            minutes_spent=minutes,
            procedure_name=procedure,
            operator=operator,
            first_visit=True,
            recorded_at=timezone.now() - dt.timedelta(days=2, minutes=minutes),
        )
    base = live_server.url
    with back_office(browser, base, username="claire") as page:
        page.goto(base + reverse("individual_helps:index"))
        expect(page.locator("#listing-results table")).to_be_visible()
        check_and_shoot(page, folder, "individual-helps", scope="#listing-results")
        page.locator("#listing-results td.title a").first.click()
        expect(page.locator("main")).to_contain_text("Saint-Riquier")
        check_and_shoot(page, folder, "individual-help", scope="main")


def test_the_requests_for_a_visit_fit_phone_tablet_and_desktop(
    live_server, browser, tmp_path_factory
):
    """A town hall's request as Claire lists it (Demandes de venue), then opened."""
    from sessions.demand_models import BusRequest
    from tests.factories import make_commune, make_coordinator

    folder = screenshots_dir(tmp_path_factory)
    claire = make_coordinator("claire")
    claire.set_password(DEMO_PASSWORD)
    claire.save()
    request = BusRequest.objects.create(
        commune=make_commune(name="Presville", slug="presville"),
        requester_kind="mairie",
        organisation="Mairie de Presville",
        contact_name="Martine Leroy",
        email="mairie@presville.example",
        phone="+33612345678",
        expected_people=12,
        venue="Salle des fêtes, parking derrière l’église",
        preferred_period="Un mardi matin en mai",
        needs="Déclaration de revenus en ligne, compte Ameli",
        consent_at=timezone.now(),
    )
    base = live_server.url
    with back_office(browser, base, username="claire") as page:
        page.goto(base + reverse("bus_requests:index"))
        expect(page.locator("#listing-results table")).to_be_visible()
        check_and_shoot(page, folder, "visit-requests", scope="#listing-results")
        page.goto(base + reverse("bus_requests:inspect", args=[request.pk]))
        expect(page.locator("main")).to_contain_text("Martine Leroy")
        # The record itself: Wagtail's header clips a long title under its "more" button.
        check_and_shoot(page, folder, "visit-request", scope="main dl")


def test_a_commune_s_form_fits_phone_tablet_and_desktop(live_server, browser, tmp_path_factory):
    """The commune Claire edits in the back office, its address's help text in view."""
    from tests.factories import make_commune, make_coordinator

    folder = screenshots_dir(tmp_path_factory)
    claire = make_coordinator("claire")
    claire.set_password(DEMO_PASSWORD)
    claire.save()
    commune = make_commune(name="Morlancourt", slug="morlancour")
    base = live_server.url
    with back_office(browser, base, username="claire") as page:
        page.goto(base + reverse("wagtailsnippets_mediation_commune:edit", args=[commune.pk]))
        expect(page.locator("#w-editor-form")).to_contain_text("les affiches déjà imprimées")
        check_and_shoot(page, folder, "commune-form", scope="#w-editor-form")
