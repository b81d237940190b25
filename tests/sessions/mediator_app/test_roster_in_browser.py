"""What a mediator reads on the tablet's roster: notes, who is who, seats, one walk-in form;
and the app asks the browser to keep its storage."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from mediation.models import PARIS
from tests.accessibility import axe_violations
from tests.factories import make_commune, make_mediator, make_registration, make_stop, make_workshop
from tests.sessions.mediator_app.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster(db):
    mediator = make_mediator("ines")
    stop = make_stop(date=timezone.localdate())
    stop.mediators.add(mediator)
    morning = make_workshop(stop=stop, capacity=3)
    afternoon = make_workshop(
        stop=stop, capacity=2, start_time=dt.time(14, 0), end_time=dt.time(15, 0)
    )
    rue = make_commune(name="Rue-Test")
    ham = make_commune(name="Ham-Test")
    odette = make_registration(
        workshop=morning,
        first_name="Odette",
        last_name="Martin",
        needs="Je suis malvoyante, il me faut une grande police.",
        home_commune=rue,
        phone="+33611111111",
    )
    other_odette = make_registration(
        workshop=afternoon,
        first_name="Odette",
        last_name="Martin",
        home_commune=ham,
        phone="+33622222299",
    )
    make_registration(workshop=morning, first_name="Marcel", last_name="Leroy")
    return morning, afternoon, odette, other_odette


def test_the_roster_shows_notes_tells_namesakes_apart_and_counts_walk_ins(
    live_server, page, roster
):
    morning, afternoon, odette, other_odette = roster
    base = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto(base + "/tablette/")
    page.fill("#id_username", "ines")
    page.fill("#id_password", "pass")
    page.locator("form.tablet-login button[type=submit]").click()
    expect(page.locator("#day")).to_have_attribute("data-state", "ready")
    # The app asked the browser to keep its records (navigator.storage.persist()); the
    # browser's answer depends on how the app was opened, the question does not.
    expect(page.locator("html")).to_have_attribute(
        "data-storage-persisted", re.compile(r"^(true|false)$")
    )

    # Times as French writes them, as on the public pages: "14 h", not "14:00".
    expect(page.locator(f"#workshop-{afternoon.pk}")).to_have_text(re.compile("^14\u00a0h · "))

    first = page.locator(f'li[data-registration="{odette.uuid}"]')
    second = page.locator(f'li[data-registration="{other_odette.uuid}"]')
    expect(first.locator("[data-role=note]")).to_contain_text("grande police")
    expect(second.locator("[data-role=note]")).to_have_count(0)
    expect(first.locator(".person-hint")).to_contain_text("Rue-Test")
    expect(first.locator(".person-hint")).to_contain_text("11")
    expect(second.locator(".person-hint")).to_contain_text("Ham-Test")
    expect(second.locator(".person-hint")).to_contain_text("99")
    expect(page.locator(".person-hint")).to_have_count(2)  # Marcel has no namesake

    # One walk-in form for the stop, whatever its number of workshops.
    expect(page.locator("form.walk-in")).to_have_count(1)
    seats = page.locator(f'[data-role=seats][data-workshop="{afternoon.pk}"]')
    expect(seats).to_have_attribute("data-taken", "1")
    form = page.locator("form.walk-in")
    form.locator("select[name=workshop]").select_option(str(afternoon.pk))
    form.locator("[name=first_name]").fill("Gérard")
    form.locator("button[type=submit]").click()
    expect(seats).to_have_attribute("data-taken", "2")
    expect(page.locator(f'section[data-workshop="{afternoon.pk}"] li.person')).to_have_count(2)
    assert axe_violations(page) == []


def test_a_day_of_two_stops_tells_their_sections_apart_for_a_screen_reader(live_server, page):
    # Inès runs Albert in the morning and Ham in the afternoon. Each stop has its own
    # "individual help" form; read out by a screen reader among the page's regions, the two
    # must not carry the same name, or she cannot tell which stop she is about to record for.
    ines = make_mediator("ines")
    morning = make_stop(date=timezone.localdate(), commune=make_commune(name="Albert"))
    afternoon = make_stop(
        date=timezone.localdate(),
        commune=make_commune(name="Ham"),
        start_time=dt.time(14, 0),
        end_time=dt.time(17, 0),
    )
    for stop in (morning, afternoon):
        stop.mediators.add(ines)
        make_workshop(stop=stop)
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_in(page, base)
    page.set_viewport_size({"width": 1024, "height": 1366})

    expect(page.locator("section.stop")).to_have_count(2)
    helps = page.get_by_role("region", name=re.compile("Accompagnement individuel"))
    expect(helps).to_have_count(2)
    expect(helps.first).to_have_accessible_name(re.compile("Albert"))
    expect(helps.last).to_have_accessible_name(re.compile("Ham"))
    assert axe_violations(page) == []


def test_the_first_of_the_month_reads_as_french_writes_it(live_server, page):
    # "lundi 1er mars 2027", not the browser's "lundi 1 mars 2027".
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=PARIS), tick=True):
        mediator = make_mediator("ines")
        stop = make_stop(date=timezone.localdate())
        stop.mediators.add(mediator)
        make_workshop(stop=stop)
        sign_in(page, live_server.url.replace("127.0.0.1", "localhost"))

        expect(page.locator("#day-title")).to_have_text("lundi 1er mars 2027")


def test_a_resident_who_cancelled_but_came_is_badged_so_on_her_card(live_server, page, roster):
    # Odile cancelled, came all the same, and another tablet marked her present: on Inès's
    # roster her card stays, and says why she is there though her registration is cancelled.
    from sessions.models import Attendance

    morning = roster[0]
    odile = make_registration(
        workshop=morning, first_name="Odile", last_name="Petit", status="cancelled"
    )
    Attendance.objects.create(
        uuid=uuid.uuid4(), registration=odile, present=True, recorded_at=timezone.now()
    )
    sign_in(page, live_server.url.replace("127.0.0.1", "localhost"))

    card = page.locator(f'li[data-registration="{odile.uuid}"]')
    expect(card.locator(".badge")).to_have_text("inscription annulée, venu(e) quand même")
    expect(card).to_have_attribute("data-present", "true")
    # She takes a seat in the van: Odette, Marcel and Odile.
    seats = page.locator(f'[data-role=seats][data-workshop="{morning.pk}"]')
    expect(seats).to_have_attribute("data-taken", "3")


def test_links_at_the_top_lead_to_each_stop_and_workshop_below_the_header(
    live_server, page, roster
):
    # Inès runs a second stop this afternoon: the day is a long page. The links at the top
    # take her to a workshop or a stop, its heading shown below the header that stays on
    # screen, and the focus there for whoever reads with a screen reader.
    morning, afternoon, _, _ = roster
    evening = make_stop(
        date=timezone.localdate(),
        start_time=dt.time(17, 0),
        end_time=dt.time(19, 0),
        commune=make_commune(name="Corbie-Test"),
    )
    evening.mediators.add(morning.stop.mediators.get())
    make_workshop(stop=evening, start_time=dt.time(17, 0), end_time=dt.time(18, 0))
    page.set_viewport_size({"width": 800, "height": 700})
    sign_in(page, live_server.url.replace("127.0.0.1", "localhost"))
    page.set_viewport_size({"width": 800, "height": 700})

    nav = page.get_by_role("navigation", name="Aller à")
    expect(nav.get_by_role("link")).to_have_count(
        2 + 3 + 1  # two stops, three workshops, the lending tablets
    )
    for name, heading_id in [
        (re.compile(r"^14\sh · "), f"workshop-{afternoon.pk}"),
        (re.compile("^Corbie-Test"), f"stop-{evening.pk}"),
    ]:
        nav.get_by_role("link", name=name).click()
        heading = page.locator(f"#{heading_id}")
        expect(heading).to_be_focused()
        header_bottom = page.evaluate(
            "document.querySelector('.tablet-header').getBoundingClientRect().bottom"
        )
        top = heading.evaluate("(h) => h.getBoundingClientRect().top")
        assert header_bottom <= top < header_bottom + 100, (name, header_bottom, top)
    assert axe_violations(page) == []
