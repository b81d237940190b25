"""End to end on a tablet-sized headless Chromium: attendance recorded with no signal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import Attendance, AttendanceVersion, Registration, RegistrationChannel
from tablets.models import TabletReset, TabletUse
from tests.accessibility import axe_violations
from tests.factories import (
    make_mediator,
    make_module,
    make_registration,
    make_stop,
    make_tablet,
    make_workshop,
)
from tests.sessions.mediator_app.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def day(db):
    mediator = make_mediator("ines")
    stop = make_stop(date=timezone.localdate())
    stop.mediators.add(mediator)
    module = make_module(outcomes=["Compte CAF créé", "Mot de passe noté"])
    workshop = make_workshop(stop=stop, module=module)
    people = [
        make_registration(workshop=workshop, first_name=name, last_name="Martin")
        for name in ("Jeanine", "Marcel", "Odette")
    ]
    return workshop, people, list(module.outcomes.order_by("sort_order"))


def test_attendance_recorded_offline_survives_a_reload_and_reaches_the_server_once(
    live_server, page, day
):
    workshop, (jeanine, marcel, odette), (caf, password) = day
    # Service workers need a secure context: http://localhost is one, 127.0.0.1 may not be.
    base = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size({"width": 800, "height": 1280})
    context = page.context

    page.goto(base + "/tablette/")
    page.fill("#id_username", "ines")
    page.fill("#id_password", "pass")
    page.locator("form.tablet-login button[type=submit]").click()
    page.wait_for_url(base + "/tablette/")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    expect(page.locator("#day")).to_have_attribute("data-state", "ready")

    context.set_offline(True)

    def card(registration):
        return page.locator(f'li[data-registration="{registration.uuid}"]')

    def present_with(registration, outcomes):
        card(registration).locator("[data-action=present]").click()
        card(registration).locator("summary").click()
        for outcome in outcomes:
            card(registration).locator(f'input[name=outcome][value="{outcome.pk}"]').check()
        expect(card(registration)).to_have_attribute("data-state", "pending")

    present_with(jeanine, [caf])
    present_with(marcel, [caf, password])
    card(odette).locator("[data-action=absent]").click()
    walk_in_form = page.locator(f'form.walk-in[data-stop="{workshop.stop_id}"]')
    walk_in_form.locator("[name=first_name]").fill("Gérard")
    walk_in_form.locator("[name=phone]").fill("06 12 34 56 78")
    walk_in_form.locator("button[type=submit]").click()
    walk_in = page.locator("li.person", has_text="Gérard")
    expect(walk_in).to_have_attribute("data-state", "pending")
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "4")
    # Nothing could leave the tablet.
    assert not Attendance.objects.exists()

    page.reload()

    expect(page.locator("#day")).to_have_attribute("data-state", "ready")
    for registration in (jeanine, marcel, odette):
        expect(card(registration)).to_have_attribute("data-state", "pending")
    expect(card(jeanine)).to_have_attribute("data-present", "true")
    expect(card(marcel)).to_have_attribute("data-present", "true")
    expect(card(odette)).to_have_attribute("data-present", "false")
    expect(card(marcel).locator(f'input[name=outcome][value="{password.pk}"]')).to_be_checked()
    expect(card(jeanine).locator(f'input[name=outcome][value="{password.pk}"]')).not_to_be_checked()
    expect(walk_in).to_have_attribute("data-present", "true")

    context.set_offline(False)

    for registration in (jeanine, marcel, odette):
        expect(card(registration)).to_have_attribute("data-state", "sent", timeout=15_000)
    expect(page.locator("li.person", has_text="Gérard")).to_have_attribute(
        "data-state", "sent", timeout=15_000
    )
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0")
    # Asking again sends nothing twice.
    page.locator("#send-now").click()

    attendances = {
        a.registration.first_name: a for a in Attendance.objects.select_related("registration")
    }
    assert set(attendances) == {"Jeanine", "Marcel", "Odette", "Gérard"}
    assert set(attendances["Jeanine"].outcomes.all()) == {caf}
    assert set(attendances["Marcel"].outcomes.all()) == {caf, password}
    assert attendances["Odette"].present is False
    assert attendances["Gérard"].present is True
    gerard = Registration.objects.get(channel=RegistrationChannel.WALK_IN)
    assert gerard.workshop == workshop
    assert gerard.home_commune == workshop.stop.commune
    assert gerard.phone == "+33612345678"
    assert Registration.objects.filter(first_name="Gérard").count() == 1
    # Only the latest version of each person left the tablet: nothing was received twice.
    assert not AttendanceVersion.objects.exists()


def is_the_days_data(response):
    return response.url.endswith(reverse("mediator_app:day"))


def jeanine_borrows_a_tablet(live_server, page, jeanine):
    """Inès signs in and lends TAB-001 to Jeanine, present; the server has the record and the
    tablet has read the day again since."""
    tablet = make_tablet(asset_tag="TAB-001", serial_number="SN-1")
    sign_in(page, live_server.url.replace("127.0.0.1", "localhost"))
    jeanine_card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    jeanine_card.locator("[data-action=present]").click()
    jeanine_card.locator("summary").click()
    with page.expect_response(is_the_days_data):
        jeanine_card.locator("select[name=tablet]").select_option(str(tablet.pk))
    expect(jeanine_card).to_have_attribute("data-state", "sent", timeout=20_000)
    return tablet


def test_a_lent_tablet_must_be_reset_before_the_next_resident(live_server, page, day):
    workshop, (jeanine, marcel, _), _ = day
    tablet = jeanine_borrows_a_tablet(live_server, page, jeanine)
    marcel_option = page.locator(
        f'li[data-registration="{marcel.uuid}"] select[name=tablet] option[value="{tablet.pk}"]'
    )
    expect(marcel_option).to_be_disabled(timeout=20_000)
    reset_button = page.locator(f'#tablets-to-reset button[data-tablet="{tablet.pk}"]')

    reset_button.click()

    expect(marcel_option).to_be_enabled(timeout=20_000)
    expect(reset_button).to_have_count(0)
    # The reset leaves the tablet as a record: wait for the server's answer, not for a delay.
    expect(
        page.locator(f'#tablets-to-reset li[data-tablet="{tablet.pk}"][data-reset]')
    ).to_have_attribute("data-state", "sent", timeout=20_000)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0")
    assert Attendance.objects.get(registration=jeanine).lending_tablet == tablet
    tablet.refresh_from_db()
    assert not tablet.needs_reset
    assert TabletReset.objects.filter(tablet=tablet).count() == 1
    # The day's data read after the reset agrees: the tablet stays free for Marcel.
    page.locator("#send-now").click()
    expect(marcel_option).to_be_enabled()
    expect(reset_button).to_have_count(0)


def test_a_reset_tapped_while_the_tablets_section_is_redrawn_is_not_lost(live_server, page, day):
    """Inès's finger is on "Tablette réinitialisée" when the answer for Marcel's card comes in
    and the lending tablets' section is brought up to date: her tap still records the reset."""
    workshop, (jeanine, marcel, _), _ = day
    tablet = jeanine_borrows_a_tablet(live_server, page, jeanine)
    reset_button = page.locator(f'#tablets-to-reset button[data-tablet="{tablet.pk}"]')
    reset_button.scroll_into_view_if_needed()
    box = reset_button.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.mouse.down()
    expect(reset_button).to_be_focused()
    # Marcel marked absent meanwhile (by script: the mouse stays on the reset button); his
    # record is sent and answered, and the day read again, before the finger comes up.
    with page.expect_response(is_the_days_data):
        page.evaluate(
            "selector => document.querySelector(selector).click()",
            f'li[data-registration="{marcel.uuid}"] [data-action=absent]',
        )
    expect(page.locator(f'li[data-registration="{marcel.uuid}"]')).to_have_attribute(
        "data-state", "sent", timeout=20_000
    )
    page.mouse.up()

    expect(reset_button).to_have_count(0)
    expect(
        page.locator(f'#tablets-to-reset li[data-tablet="{tablet.pk}"][data-reset]')
    ).to_have_attribute("data-state", "sent", timeout=20_000)
    assert TabletReset.objects.filter(tablet=tablet).count() == 1


def test_offline_a_tablet_is_lent_reset_and_lent_again_and_the_fleet_learns_it_once_in_order(
    live_server, page, day
):
    """No signal in the village: Inès lends TAB-001 to Jeanine, wipes it, lends it to Marcel."""
    workshop, (jeanine, marcel, _), _ = day
    tablet = make_tablet(asset_tag="TAB-001", serial_number="SN-1")
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    page.context.set_offline(True)

    def lend(registration):
        card = page.locator(f'li[data-registration="{registration.uuid}"]')
        card.locator("[data-action=present]").click()
        card.locator("summary").click()
        card.locator("select[name=tablet]").select_option(str(tablet.pk))
        expect(card).to_have_attribute("data-state", "pending")
        return card

    lend(jeanine)
    marcel_option = page.locator(
        f'li[data-registration="{marcel.uuid}"] select[name=tablet] option[value="{tablet.pk}"]'
    )
    expect(marcel_option).to_be_disabled()
    reset_button = page.locator(f'#tablets-to-reset button[data-tablet="{tablet.pk}"]')
    reset_button.click()
    expect(reset_button).to_have_count(0)
    expect(marcel_option).to_be_enabled()
    reset_line = page.locator(f'#tablets-to-reset li[data-tablet="{tablet.pk}"][data-reset]')
    expect(reset_line).to_have_attribute("data-state", "pending")
    lend(marcel)
    expect(reset_button).to_have_count(1)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "3")
    # Nothing left the tablet.
    assert not TabletReset.objects.exists()
    assert not TabletUse.objects.exists()

    page.context.set_offline(False)

    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20_000)
    expect(reset_line).to_have_attribute("data-state", "sent", timeout=20_000)
    for registration in (jeanine, marcel):
        card = page.locator(f'li[data-registration="{registration.uuid}"]')
        expect(card).to_have_attribute("data-state", "sent", timeout=20_000)
    # Asking again sends nothing twice.
    page.locator("#send-now").click()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0")

    reset = TabletReset.objects.get()
    assert reset.tablet == tablet
    uses = list(TabletUse.objects.order_by("used_at"))
    assert [use.reference for use in uses] == [
        str(Attendance.objects.get(registration=person).uuid) for person in (jeanine, marcel)
    ]
    assert [use.reset for use in uses] == [reset, None]
    assert uses[0].used_at < reset.at < uses[1].used_at
    tablet.refresh_from_db()
    # Marcel had it last: it awaits its next reset, on the server and on the screen.
    assert tablet.needs_reset
    expect(reset_button).to_have_count(1, timeout=20_000)


READ_TABLET_STORAGE = """async (dayUrl) => {
  const cached = [];
  for (const key of await caches.keys()) {
    if ((await caches.open(key).then((cache) => cache.match(dayUrl, { ignoreVary: true })))) {
      cached.push(key);
    }
  }
  const records = await new Promise((resolve, reject) => {
    const opening = indexedDB.open("mediation-tablette", 1);
    opening.onupgradeneeded = () =>
      opening.result.createObjectStore("records", { keyPath: "uuid" });
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const all = db.transaction("records").objectStore("records").getAll();
      all.onsuccess = () => {
        resolve(all.result.map((r) => r.note || r.registration));
        db.close();
      };
    };
  });
  return { cached, records };
}"""


def test_signing_out_leaves_neither_the_roster_nor_the_notes_on_the_shared_tablet(
    live_server, page, day
):
    # The van's tablets pass from hand to hand: after Ines signs out, whoever opens the
    # browser next must find neither her day's roster (names, needs) nor her notes.
    workshop, (jeanine, _, _), _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    jeanine_card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    jeanine_card.locator("[data-action=present]").click()
    jeanine_card.locator("summary").click()
    jeanine_card.locator("textarea[name=note]").fill("aide dossier APL")
    jeanine_card.locator("textarea[name=note]").blur()
    expect(jeanine_card).to_have_attribute("data-state", "sent", timeout=20_000)
    before = page.evaluate(READ_TABLET_STORAGE, "/tablette/api/jour/")
    assert before["cached"] and "aide dossier APL" in before["records"]

    page.locator('form[action="/tablette/deconnexion/"] button[type=submit]').click()
    page.wait_for_url(base + "/tablette/connexion/")

    after = page.evaluate(READ_TABLET_STORAGE, "/tablette/api/jour/")
    assert after == {"cached": [], "records": []}
    assert Attendance.objects.get(registration=jeanine).note == "aide dossier APL"


WRITE_SENT_RECORD = """async (record) => {
  await new Promise((resolve, reject) => {
    const opening = indexedDB.open("mediation-tablette", 1);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const writing = db.transaction("records", "readwrite");
      writing.objectStore("records").put(record);
      writing.oncomplete = () => { db.close(); resolve(); };
      writing.onerror = () => reject(writing.error);
    };
  });
}"""


def test_signing_out_forgets_records_this_page_never_loaded(live_server, page, day):
    # Ines had the app open in a second tab, whose notes are on the tablet but were never
    # loaded by the tab she signs out from (the same happens when a note is answered by the
    # server just as a newer one replaces it). Signing out must leave none of them behind.
    workshop, (jeanine, _, _), _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    page.evaluate(
        WRITE_SENT_RECORD,
        {
            "uuid": "5b0f7d0e-7c1a-4d55-9a43-0f1e2d3c4b5a",
            "registration": str(jeanine.uuid),
            "workshop": workshop.pk,
            "recorded_at": "2026-11-30T09:00:00.000Z",
            "state": "sent",
            "reason": "",
            "note": "vit seule, tension",
        },
    )
    assert (
        "vit seule, tension" in page.evaluate(READ_TABLET_STORAGE, "/tablette/api/jour/")["records"]
    )

    page.locator('form[action="/tablette/deconnexion/"] button[type=submit]').click()
    page.wait_for_url(base + "/tablette/connexion/")

    assert page.evaluate(READ_TABLET_STORAGE, "/tablette/api/jour/") == {
        "cached": [],
        "records": [],
    }


def test_signing_out_with_records_not_sent_asks_first_and_keeps_them(live_server, page, day):
    # No signal in the van: Ines marks Jeanine present, then taps "Se déconnecter". Signed
    # out, her record could only be sent by whoever signs in next, and refused if they do not
    # run the stop: the tablet asks first, and "Annuler" keeps her signed in with her day.
    workshop, (jeanine, _, _), _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    page.context.set_offline(True)
    card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    card.locator("[data-action=present]").click()
    expect(card).to_have_attribute("data-state", "pending")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    sign_out = page.locator('form[action="/tablette/deconnexion/"] button[type=submit]')

    sign_out.click()

    for _ in range(100):  # the question comes once the tablet has tried to send
        if asked:
            break
        page.wait_for_timeout(100)
    expect(card).to_have_attribute("data-state", "pending")
    assert len(asked) == 1 and ": 1." in asked[0]
    assert page.url == base + "/tablette/"
    kept = page.evaluate(READ_TABLET_STORAGE, "/tablette/api/jour/")
    assert kept["cached"] and str(jeanine.uuid) in kept["records"]
    # Back in range: the record leaves, and signing out no longer asks anything.
    page.context.set_offline(False)
    page.locator("#send-now").click()
    expect(card).to_have_attribute("data-state", "sent", timeout=20_000)
    sign_out.click()
    page.wait_for_url(base + "/tablette/connexion/")
    assert len(asked) == 1
    assert Attendance.objects.filter(registration=jeanine, present=True).exists()


def test_a_walk_ins_unlikely_phone_is_caught_before_the_person_is_lost(live_server, page, day):
    # Raymonde gives "06 12" and then cannot remember the rest. Kept as typed, the record
    # would come back refused and Raymonde would count for nobody: the form says so at once.
    workshop, _, _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    form = page.locator("form.walk-in")
    form.locator("[name=first_name]").fill("Raymonde")
    form.locator("[name=phone]").fill("06 12")

    form.locator("button[type=submit]").click()

    expect(form.locator("[data-role=error]")).to_have_text(
        "Ce numéro de téléphone n’est pas valide. Exemple\u00a0: 06 12 34 56 78."
    )
    expect(page.locator("li.person", has_text="Raymonde")).to_have_count(0)
    form.locator("[name=phone]").fill("")
    form.locator("button[type=submit]").click()
    expect(page.locator("li.person", has_text="Raymonde")).to_have_attribute(
        "data-state", "sent", timeout=20_000
    )


def test_a_tablet_the_fleet_refuses_is_left_out_and_the_card_says_why_in_french(
    live_server, page, day
):
    # No signal in the van: Inès lends TAB-001 to Jeanine, while at the office Claire marks
    # it as lost. Back in range, the server keeps Jeanine's presence without the tablet:
    # Inès reads why, not a code, and the picker shows no tablet, as the server holds.
    workshop, (jeanine, _, _), _ = day
    tablet = make_tablet(asset_tag="TAB-001", serial_number="SN-1")
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    card.locator("[data-action=present]").click()
    expect(card).to_have_attribute("data-state", "sent", timeout=20_000)
    page.context.set_offline(True)
    card.locator("summary").click()
    card.locator("select[name=tablet]").select_option(str(tablet.pk))
    expect(card).to_have_attribute("data-state", "pending")
    tablet.status = "lost"
    tablet.save(update_fields=["status"])

    page.context.set_offline(False)
    page.locator("#send-now").click()

    expect(card).to_have_attribute("data-warning", "tablet_refused", timeout=20_000)
    expect(card).to_have_attribute("data-state", "sent")
    state = card.locator("[data-role=state]")
    expect(state).to_contain_text(
        "Présence envoyée, sans la tablette de prêt : cette tablette de prêt n’est pas"
    )
    expect(card.locator("select[name=tablet]")).to_have_value("")
    assert "_" not in state.inner_text()
    attendance = Attendance.objects.get(registration=jeanine)
    assert attendance.present and attendance.lending_tablet is None

    # She picks another tablet: the warning goes with the new record.
    other = make_tablet(asset_tag="TAB-002", serial_number="SN-2")
    page.reload()
    card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    card.locator("summary").click()
    card.locator("select[name=tablet]").select_option(str(other.pk))
    expect(card).to_have_attribute("data-state", "sent", timeout=20_000)
    expect(card).to_have_attribute("data-warning", "")
    expect(card.locator("[data-role=state]")).to_have_text("Envoyé au serveur")


def test_records_kept_on_the_tablet_are_dropped_after_a_few_days_refused_ones_too(
    live_server, page, day
):
    # Inès never signs out of the van's tablet. Last week a walk-in's record came back
    # refused (Raymonde, her phone number in it): like the records the server has, it must
    # not stay on the tablet for ever; this morning's pending record stays (the only copy).
    workshop, (jeanine, marcel, _), _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    last_week = (timezone.now() - dt.timedelta(days=6)).isoformat()
    old = {"workshop": workshop.pk, "recorded_at": last_week, "present": True}
    page.evaluate(
        WRITE_SENT_RECORD,
        old
        | {
            "uuid": "0d4f1c55-5b43-4f4e-8a61-3d2f0b9c7a10",
            "registration": "6a7e9a3e-2b0c-4c6e-9d8a-5f1e3b2c4d60",
            "walk_in": {"first_name": "Raymonde", "commune": "80021", "phone": "06 12"},
            "state": "refused",
            "reason": "invalid_phone",
            "note": "refusée : Raymonde 06 12",
        },
    )
    page.evaluate(
        WRITE_SENT_RECORD,
        old
        | {
            "uuid": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
            "registration": str(marcel.uuid),
            "state": "sent",
            "reason": "",
            "note": "envoyée : Marcel",
        },
    )
    page.context.set_offline(True)
    card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    card.locator("[data-action=present]").click()
    expect(card).to_have_attribute("data-state", "pending")

    page.reload()
    expect(page.locator("#day")).to_have_attribute("data-state", "ready")

    kept = page.evaluate(READ_TABLET_STORAGE, "/tablette/api/jour/")["records"]
    assert kept == [str(jeanine.uuid)]


def test_after_recording_a_reset_the_keyboard_focus_stays_in_the_lending_tablets_section(
    live_server, page, day
):
    # Inès uses the tablet with a keyboard and a screen reader. She presses "Réinitialisation
    # faite" for TAB-001: the button goes away (the tablet is ready), and the section is drawn
    # again after each send; her focus must land on the section, not fall back to the top of
    # the page, where she would have to find her way down the whole roster again.
    workshop, (jeanine, _, _), _ = day
    tablet = make_tablet(asset_tag="TAB-001", serial_number="SN-1")
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    card.locator("[data-action=present]").click()
    card.locator("summary").click()
    card.locator("select[name=tablet]").select_option(str(tablet.pk))
    expect(card).to_have_attribute("data-state", "sent", timeout=20_000)
    reset_button = page.locator(f'#tablets-to-reset button[data-tablet="{tablet.pk}"]')
    reset_button.focus()

    page.keyboard.press("Enter")

    expect(reset_button).to_have_count(0)
    heading = page.locator("#tablets-title")
    expect(heading).to_be_focused()
    reset_line = page.locator(f'#tablets-to-reset li[data-tablet="{tablet.pk}"][data-reset]')
    expect(reset_line).to_have_attribute("data-state", "sent", timeout=20_000)
    expect(heading).to_be_focused()


def test_a_walk_ins_error_is_announced_and_tied_to_its_field(live_server, page, day):
    # Inès uses a screen reader. The walk-in form puts her back in the phone field when the
    # number is unlikely: the reader must say why (an alert, and the field described by the
    # message and marked invalid), not only "Téléphone (facultatif)".
    workshop, _, _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    form = page.locator("form.walk-in")
    form.locator("[name=first_name]").fill("Raymonde")
    phone = form.locator("[name=phone]")
    phone.fill("06 12")

    form.locator("button[type=submit]").click()

    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("Ce numéro de téléphone n’est pas valide")
    expect(phone).to_be_focused()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(alert.inner_text())
    phone.fill("")
    form.locator("button[type=submit]").click()
    expect(page.locator("li.person", has_text="Raymonde")).to_have_count(1)
    expect(phone).not_to_have_attribute("aria-invalid", "true")
    expect(alert).to_be_hidden()


def test_a_stop_given_to_another_mediator_while_offline_still_shows_whom_the_refusals_were_about(
    live_server, page, day
):
    # Inès marks Jeanine and a walk-in, Lucienne, in the van with no signal. Meanwhile the
    # coordination gives her stop to Olivier. Back online, the server refuses both records
    # ("forbidden") and the day's data no longer holds her stop, so the cards go. She must
    # still see whom the refusals were about and why, to tell the coordination, instead of a
    # header counting refusals that no card on the screen explains.
    workshop, (jeanine, _, _), _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    page.context.set_offline(True)
    page.locator(f'li[data-registration="{jeanine.uuid}"] [data-action=present]').click()
    page.locator("form.walk-in [name=first_name]").fill("Lucienne")
    page.locator("form.walk-in button[type=submit]").click()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "2")

    stop = workshop.stop
    stop.mediators.set([make_mediator("olivier")])
    page.context.set_offline(False)

    expect(page.locator("#day")).to_contain_text("Aucune escale n’est prévue", timeout=20_000)
    refused = page.locator("#refused-elsewhere")
    expect(page.locator("#refused-count")).to_have_attribute("data-count", "2")
    expect(refused.locator("li")).to_have_count(2)
    expect(refused).to_contain_text("Jeanine Martin")
    expect(refused).to_contain_text("Lucienne")
    expect(refused).to_contain_text(workshop.module.title)
    expect(refused.locator("li").first).to_contain_text(
        "Refusé par le serveur\u00a0: vous n’êtes plus affecté(e) à cette escale"
    )
    assert not Attendance.objects.filter(registration__workshop=workshop).exists()

    # The coordination gives the stop back to her: "Renvoyer" sends Jeanine's record as it
    # was made, and she is counted; her stop and its cards come back with the day's data.
    stop.mediators.add(workshop.stop.mediators.model.objects.get(username="ines"))
    refused.locator("li", has_text="Jeanine").get_by_role("button", name="Renvoyer").click()
    expect(page.locator(f'li[data-registration="{jeanine.uuid}"]')).to_have_attribute(
        "data-state", "sent", timeout=20_000
    )
    assert Attendance.objects.filter(registration=jeanine, present=True).exists()


def test_yesterdays_record_refused_this_morning_is_shown_and_counted(live_server, page, day):
    # Yesterday Inès marked Paulette present at Albert with no signal, and the tablet never
    # found one again before the evening. This morning the records leave; meanwhile
    # yesterday's stop was given to Olivier, so Paulette's is refused. No card of today's
    # roster is Paulette's: the tablet must still say whom it was about, which day, and why.
    workshop, _, _ = day
    ines = workshop.stop.mediators.get()
    yesterday_stop = make_stop(date=timezone.localdate() - dt.timedelta(days=1))
    yesterday_stop.mediators.add(make_mediator("olivier"))
    yesterday_workshop = make_workshop(stop=yesterday_stop)
    paulette = make_registration(
        workshop=yesterday_workshop, first_name="Paulette", last_name="Martin"
    )
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    yesterday_evening = timezone.localtime() - dt.timedelta(days=1)
    page.evaluate(
        WRITE_SENT_RECORD,
        {
            "uuid": "5a0c7f7e-3d5e-4b8a-9a51-2f5b1c7d9e10",
            "recorded_at": yesterday_evening.isoformat(),
            "workshop": yesterday_workshop.pk,
            "registration": str(paulette.uuid),
            "present": True,
            "state": "pending",
            "reason": "",
            "by": ines.pk,
            "name": "Paulette Martin",
            "where": "Albert · 9 h 30 · Module",
        },
    )

    page.reload()

    refused = page.locator("#refused-elsewhere li")
    expect(refused).to_have_count(1, timeout=20_000)
    expect(refused).to_contain_text("Paulette Martin")
    weekdays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    expect(refused).to_contain_text(weekdays[yesterday_evening.weekday()])
    expect(refused).to_contain_text("vous n’êtes plus affecté(e) à cette escale")
    expect(page.locator("#refused-count")).to_have_attribute("data-count", "1")


def test_the_next_morning_what_was_sent_before_and_other_accounts_sent_notes_leave_the_tablet(
    live_server, page, day
):
    # The van's tablet stays signed in overnight, or Olivier's session ran out without him
    # signing out. This morning Inès opens today's roster with a signal: yesterday's notes
    # the server already holds, and what Olivier left here and already sent, must not stay
    # on the shared tablet. What is still pending stays (Olivier's included: the only copy),
    # and so does her refusal of yesterday, for its three days.
    workshop, (jeanine, marcel, _), _ = day
    ines = workshop.stop.mediators.get()
    olivier = make_mediator("olivier")
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    yesterday = (timezone.now() - dt.timedelta(days=1)).isoformat()
    now = timezone.now().isoformat()
    kept_on_tablet = {"workshop": workshop.pk, "present": True, "reason": ""}
    for uuid, recorded_at, state, by, note in [
        ("0b6f2a9e-1c2d-4e3f-8a4b-5c6d7e8f9a01", yesterday, "sent", ines.pk, "hier : APL"),
        ("0b6f2a9e-1c2d-4e3f-8a4b-5c6d7e8f9a02", now, "sent", olivier.pk, "Olivier : CAF"),
        ("0b6f2a9e-1c2d-4e3f-8a4b-5c6d7e8f9a03", yesterday, "refused", ines.pk, "hier refusé"),
        ("0b6f2a9e-1c2d-4e3f-8a4b-5c6d7e8f9a04", now, "sent", ines.pk, "ce matin"),
        (
            "0b6f2a9e-1c2d-4e3f-8a4b-5c6d7e8f9a05",
            yesterday,
            "pending",
            olivier.pk,
            "Olivier attend",
        ),
    ]:
        page.evaluate(
            WRITE_SENT_RECORD,
            kept_on_tablet
            | {
                "uuid": uuid,
                "recorded_at": recorded_at,
                "registration": str(marcel.uuid),
                "state": state,
                "by": by,
                "note": note,
            },
        )

    page.reload()
    expect(page.locator("#day")).to_have_attribute("data-state", "ready")

    kept = page.evaluate(READ_TABLET_STORAGE, "/tablette/api/jour/")["records"]
    assert sorted(kept) == ["Olivier attend", "ce matin", "hier refusé"]


def _add_walk_in(page, first_name, phone=""):
    """Add a walk-in with the stop's commune; her card (the one badged "sans inscription")."""
    form = page.locator("form.walk-in")
    form.locator("[name=first_name]").fill(first_name)
    form.locator("[name=phone]").fill(phone)
    form.locator("button[type=submit]").click()
    card = page.locator("li.person", has_text=first_name).filter(has_text="sans inscription")
    expect(card).to_have_count(1)
    return card


def test_a_walk_in_added_by_mistake_is_removed_from_the_roster_and_from_the_count(
    live_server, page, day
):
    # Inès adds Raymonde with no signal, then sees she is signed up already: the walk-in was a
    # mistake. Taken off before it left the tablet, nothing of her reaches the server. Gérard,
    # added with a signal to the wrong stop, is on the server already: taken off, his walk-in
    # is cancelled there and he does not come back at the next refresh, nor count as absent.
    workshop, (jeanine, _, _), _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    seats = page.locator("[data-role=seats]")
    expect(seats).to_have_attribute("data-taken", "3")
    # A sign-up is the resident's: no "Retirer" on Jeanine's card.
    jeanine_card = page.locator(f'li[data-registration="{jeanine.uuid}"]')
    expect(jeanine_card.locator("[data-action=withdraw]")).to_have_count(0)

    page.context.set_offline(True)
    raymonde = _add_walk_in(page, "Raymonde")
    expect(seats).to_have_attribute("data-taken", "4")
    raymonde.get_by_role("button", name="Retirer (ajouté(e) par erreur)").click()
    expect(raymonde).to_contain_text(
        "Retirer Raymonde de la liste\u00a0? Sa venue ne sera pas comptée."
    )
    assert axe_violations(page) == []
    raymonde.get_by_role("button", name="Non, garder").click()
    expect(raymonde).to_be_visible()
    raymonde.get_by_role("button", name="Retirer (ajouté(e) par erreur)").click()
    raymonde.get_by_role("button", name="Oui, retirer").click()
    expect(page.locator("li.person", has_text="Raymonde")).to_have_count(0)
    expect(page.locator("#workshop-" + str(workshop.pk))).to_be_focused()
    expect(seats).to_have_attribute("data-taken", "3")
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0")
    page.reload()
    expect(page.locator("#day")).to_have_attribute("data-state", "ready")
    expect(page.locator("li.person", has_text="Raymonde")).to_have_count(0)

    page.context.set_offline(False)
    page.locator("#send-now").click()
    gerard = _add_walk_in(page, "Gérard")
    expect(gerard).to_have_attribute("data-state", "sent", timeout=20_000)
    assert Registration.objects.filter(first_name="Gérard", workshop=workshop).exists()
    gerard.get_by_role("button", name="Retirer (ajouté(e) par erreur)").click()
    gerard.get_by_role("button", name="Oui, retirer").click()
    expect(page.locator("li.person", has_text="Gérard")).to_have_count(0)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20_000)
    walk_in = Registration.objects.get(first_name="Gérard", workshop=workshop)
    assert walk_in.status == "cancelled"
    assert not Registration.objects.filter(first_name="Raymonde").exists()
    page.reload()
    expect(page.locator("#day")).to_have_attribute("data-state", "ready")
    expect(page.locator("li.person")).to_have_count(3)
    expect(seats).to_have_attribute("data-taken", "3")


def test_a_signed_up_person_added_again_as_a_walk_in_is_refused_in_words_and_can_be_removed(
    live_server, page, day
):
    # Jeanine, signed up, stands at the door; Inès adds her as a walk-in with her own number.
    # The server refuses the second Jeanine and says why on the card; Inès removes it and
    # marks Jeanine on her own card.
    workshop, (jeanine, _, _), _ = day
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    again = _add_walk_in(page, "Jeanine", phone="0" + jeanine.phone.removeprefix("+33"))

    expect(again).to_have_attribute("data-state", "refused", timeout=20_000)
    expect(again.locator("[data-role=state]")).to_contain_text(
        "cette personne est déjà inscrite à cet atelier (même prénom, même téléphone)"
    )
    expect(page.locator("#refused-count")).to_be_visible()
    again.get_by_role("button", name="Retirer (ajouté(e) par erreur)").click()
    again.get_by_role("button", name="Oui, retirer").click()

    expect(page.locator("li.person", has_text="sans inscription")).to_have_count(0)
    expect(page.locator("#refused-count")).to_be_hidden()
    assert workshop.registrations.filter(first_name="Jeanine").count() == 1
