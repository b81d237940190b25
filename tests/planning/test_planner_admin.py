"""The planner, the series preview and the stop form in the back office."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mediation.models import SeriesWorkshop, Stop, StopSeries, Van
from mediation.planning.series import series_generate
from mediation.roles import MEDIATORS
from mediation.services import stop_update
from sessions.models import Workshop
from tests.factories import (
    make_mediator,
    make_module,
    make_registration,
    make_stop,
    make_user,
    stop_edit_form,
)
from tests.planning.conftest import TODAY, make_series

pytestmark = pytest.mark.django_db


def planner_queries(client, van, day) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("planning:planner"), {"van": van.pk, "date": day})
    assert response.status_code == 200
    return len(queries)


def test_the_planner_query_count_does_not_grow_with_the_stops(client, frozen, coordinator, van,
                                                                 amiens, abbeville):  # fmt: skip
    client.force_login(coordinator)
    ines = make_mediator()
    module = make_module()
    for day in (4, 5):
        stop = make_stop(van=van, commune=amiens, date=dt.date(2027, 2, day))
        stop.mediators.add(ines)
        make_registration(workshop=Workshop.objects.create(
            stop=stop, module=module, start_time=dt.time(10), end_time=dt.time(11)))  # fmt: skip
    few = planner_queries(client, van, "2027-02-01")
    for day in range(1, 28):
        stop = make_stop(van=van, commune=abbeville, date=dt.date(2027, 3, day))
        stop.mediators.add(ines)
        make_registration(workshop=Workshop.objects.create(
            stop=stop, module=module, start_time=dt.time(10), end_time=dt.time(11)))  # fmt: skip
    many = planner_queries(client, van, "2027-03-01")
    assert many == few


def test_the_planner_shows_fill_rate_conflicts_and_kilometres(client, frozen, coordinator, van,
                                                                amiens, abbeville):  # fmt: skip
    client.force_login(coordinator)
    stop = make_stop(van=van, commune=abbeville, date=dt.date(2027, 1, 14))
    workshop = Workshop.objects.create(
        stop=stop, module=make_module(), start_time=dt.time(10), end_time=dt.time(11), capacity=4
    )
    make_registration(workshop=workshop)
    workshop.seats_taken = 1
    workshop.save()
    make_stop(van=van, commune=amiens, date=dt.date(2027, 1, 14), start_time=dt.time(11))
    response = client.get(reverse("planning:planner"), {"van": van.pk, "vue": "semaine",
                                                        "date": "2027-01-14"})  # fmt: skip
    week = response.context["weeks"][0]
    thursday = week.days[3]
    assert [item.occupancy.fill_rate for item in thursday.stops] == [25, None]
    assert {c.kind for item in thursday.stops for c in item.conflicts} == {"van_overlap"}
    assert week.km > 2 * 40  # Amiens → Abbeville and back, at least
    html = response.content.decode()
    assert reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]) in html
    assert 'data-kind="van_overlap"' in html


def test_a_coordinator_previews_then_generates_a_series(client, frozen, coordinator, van,
                                                          abbeville):  # fmt: skip
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 3, 31))
    SeriesWorkshop.objects.create(
        series=series, module=make_module(), start_time=dt.time(9, 30), end_time=dt.time(11)
    )
    url = reverse("planning:series_preview", args=[series.pk])
    preview = client.get(url)
    assert preview.status_code == 200
    assert len(preview.context["plan"].to_create) == 13
    assert not Stop.objects.exists()
    response = client.post(url, {"plan": preview.context["plan"].fingerprint})
    assert response.status_code == 302
    assert Stop.objects.filter(series=series).count() == 13
    assert Workshop.objects.filter(stop__series=series).count() == 13
    assert "plan-up-to-date" in client.get(url).content.decode()


def test_a_mediator_sees_the_preview_but_cannot_generate(client, frozen, van, abbeville):
    client.force_login(make_mediator())
    series = make_series(van, abbeville, end_date=dt.date(2027, 3, 31))
    url = reverse("planning:series_preview", args=[series.pk])
    assert client.get(url).status_code == 200
    # The admin turns a refusal into a redirect to the dashboard with a message.
    assert client.post(url).url == reverse("wagtailadmin_home")
    assert not Stop.objects.exists()


def test_the_stop_form_shows_its_conflicts_and_that_it_is_an_exception(client, frozen,
                                                                         coordinator, van,
                                                                         abbeville):  # fmt: skip
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    series_generate(series=series, today=TODAY)
    stop = Stop.objects.filter(series=series).order_by("date").first()
    make_stop(van=van, commune=abbeville, date=stop.date, start_time=dt.time(10))
    edit = reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk])
    page = client.get(edit).content.decode()
    assert 'data-conflicts="1"' in page and 'data-kind="van_overlap"' in page

    form = client.get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["mediators"] = []
    data["place_name"] = "Salle des fêtes"
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    stop.refresh_from_db()
    assert stop.is_exception
    assert "Exception" in client.get(edit).content.decode() or stop.edited_by_hand


def _add_stop(client, van, commune, **fields):
    """A stop added in the back office, on Wednesday 13 January 2027, 10:00 to 12:00."""
    form = {
        "van": van.pk,
        "commune": commune.pk,
        "date": "2027-01-13",
        "start_time": "10:00",
        "end_time": "12:00",
        "place_name": "Place de la mairie",
        "status": "planned",
    }
    return client.post(reverse("wagtailsnippets_mediation_stop:add"), form | fields, follow=True)


def test_a_stop_saved_with_a_conflict_says_so_at_once(client, frozen, coordinator, van, amiens,
                                                      abbeville):  # fmt: skip
    # Claire adds an Amiens stop for Inès on the morning Inès is already in Abbeville: the
    # page she lands on says so, before the day comes.
    ines = make_mediator("ines")
    other_van = Van.objects.create(name="Bus 2", plate="EF-456-GH", home_base=amiens)
    make_stop(van=other_van, commune=abbeville, date=dt.date(2027, 1, 13)).mediators.add(ines)
    client.force_login(coordinator)

    response = _add_stop(client, van, amiens, mediators=[ines.pk])

    assert Stop.objects.filter(commune=amiens).exists()
    [warning] = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert "Cette escale a" in warning and "conflit" in warning
    assert "Le même médiateur est prévu à" in warning


def test_a_stop_saved_without_a_conflict_warns_of_nothing(client, frozen, coordinator, van,
                                                          amiens):  # fmt: skip
    client.force_login(coordinator)

    response = _add_stop(client, van, amiens)

    assert Stop.objects.exists()
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_the_dashboard_lists_upcoming_conflicts_for_coordinators(client, frozen, coordinator,
                                                                   van, amiens):  # fmt: skip
    make_stop(van=van, commune=amiens, date=dt.date(2027, 3, 29))  # Easter Monday
    client.force_login(coordinator)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="planning-conflicts-panel"' in page
    assert 'data-kind="holiday"' in page


def test_a_stop_without_a_van_is_refused_next_to_the_field_once_there_are_vans(
    client, frozen, coordinator, van, abbeville
):
    client.force_login(coordinator)
    add = reverse("wagtailsnippets_mediation_stop:add")
    assert client.get(add).context["form"]["van"].value() == van.pk
    response = client.post(
        add,
        {
            "commune": abbeville.pk,
            "date": "2027-01-13",
            "start_time": "09:30",
            "end_time": "12:30",
            "place_name": "Place de la mairie",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["van"]] == ["van_required"]
    assert not Stop.objects.exists()


def test_a_series_that_ends_before_it_starts_is_refused_next_to_the_field(
    client, frozen, coordinator, van, abbeville
):
    client.force_login(coordinator)
    response = client.post(
        reverse("wagtailsnippets_mediation_stopseries:add"),
        series_form(van, abbeville, start_date="2027-03-01", end_date="2027-02-01"),
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors


def test_made_up_addresses_get_a_404_not_an_error(client, frozen, coordinator, van):
    client.force_login(coordinator)
    assert client.get(reverse("planning:route"), {"van": "abc"}).status_code == 404
    assert client.get(reverse("planning:route"), {"van": "999"}).status_code == 404
    assert client.post(reverse("planning:calendar_create"), {"van": "x"}).status_code == 404
    odd = client.get(reverse("planning:planner"), {"van": "abc", "date": "2027-13-45"})
    assert odd.status_code == 200 and odd.context["van"] == van


def test_the_month_grid_abbreviates_months_in_french(client, frozen, coordinator, van):
    # "1 Déc" and "30 Nov" read as English; French abbreviates "1 déc.", "30 nov.".
    client.force_login(coordinator)

    html = client.get(reverse("planning:planner"), {"van": van.pk, "date": "2026-12-01"})

    text = html.content.decode()
    assert "1 déc." in text
    assert "Déc<" not in text and "Dec<" not in text


def series_form(van, commune, **changes) -> dict:
    """The series' back-office form as posted, with `changes`."""
    return {
        "van": van.pk,
        "commune": commune.pk,
        "rule": "weekly",
        "weekday": 1,
        "interval_weeks": 2,
        "week_of_month": 1,
        "start_date": "2027-01-05",
        "end_date": "2027-03-30",
        "start_time": "09:30",
        "end_time": "12:30",
        "place_name": "Place de la mairie",
        "workshops-TOTAL_FORMS": 0,
        "workshops-INITIAL_FORMS": 0,
        "workshops-MIN_NUM_FORMS": 0,
        "workshops-MAX_NUM_FORMS": 1000,
    } | changes


def one_workshop(module, start: str, end: str) -> dict:
    return {
        "workshops-TOTAL_FORMS": 1,
        "workshops-0-id": "",
        "workshops-0-ORDER": 1,
        "workshops-0-module": module.pk,
        "workshops-0-start_time": start,
        "workshops-0-end_time": end,
        "workshops-0-capacity": 6,
    }


def workshop_errors(response) -> dict:
    (workshop,) = response.context["form"].formsets["workshops"].forms
    return workshop.errors


def test_a_series_workshop_that_ends_before_it_starts_is_refused_by_its_field(
    client, frozen, coordinator, van, abbeville
):
    # Typed 11:00 to 10:00: saved, it made generating the series fail with an error page.
    client.force_login(coordinator)
    response = client.post(
        reverse("wagtailsnippets_mediation_stopseries:add"),
        series_form(van, abbeville, **one_workshop(make_module(), "11:00", "10:00")),
    )
    assert response.status_code == 200
    assert "end_time" in workshop_errors(response)
    assert response.context["form"]["place_name"].value() == "Place de la mairie"
    assert not SeriesWorkshop.objects.exists()


def test_a_series_workshop_outside_the_stops_hours_is_refused_by_its_field(
    client, frozen, coordinator, van, abbeville
):
    client.force_login(coordinator)
    module = make_module()
    add = reverse("wagtailsnippets_mediation_stopseries:add")
    afternoon = client.post(
        add, series_form(van, abbeville, **one_workshop(module, "14:00", "15:00"))
    )
    assert afternoon.status_code == 200
    assert "start_time" in workshop_errors(afternoon)
    assert not SeriesWorkshop.objects.exists()

    inside = client.post(add, series_form(van, abbeville, **one_workshop(module, "10:00", "11:30")))
    assert inside.status_code == 302
    assert SeriesWorkshop.objects.get().end_time == dt.time(11, 30)


def test_a_months_kilometres_count_only_the_days_of_that_month(
    client, frozen, coordinator, van, abbeville
):
    # The week of Monday 29 March 2027 runs into April. Claire adds up January to March for
    # the funder: the stop of Thursday 1 April belongs to April's total, not to March's too.
    client.force_login(coordinator)
    make_stop(van=van, commune=abbeville, date=dt.date(2027, 4, 1))

    def total(day):
        response = client.get(reverse("planning:planner"), {"van": van.pk, "date": day})
        return response.context["total_km"]

    assert total("2027-03-01") == 0
    assert total("2027-04-01") > 2 * 40  # Amiens → Abbeville and back, at least


def test_a_stop_typed_in_last_year_is_refused_next_to_its_date(
    client, frozen, coordinator, van, abbeville
):
    # 5 January 2027: Claire types 2026 out of habit. Saved, the stop would count as held
    # in the figures; it is refused by the field, with what she typed kept.
    client.force_login(coordinator)
    stop = make_stop(van=van, commune=abbeville, date=dt.date(2027, 1, 12))
    form = {"van": van.pk, **stop_edit_form(stop, date="2026-01-12", place_name="Salle")}
    add = client.post(reverse("wagtailsnippets_mediation_stop:add"), form)
    assert [e.code for e in add.context["form"].errors.as_data()["date"]] == ["past"]
    assert add.context["form"]["place_name"].value() == "Salle"
    edit = client.post(reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]), form)
    assert [e.code for e in edit.context["form"].errors.as_data()["date"]] == ["past"]
    assert Stop.objects.get().date == dt.date(2027, 1, 12)


def test_a_stop_already_past_can_still_be_edited(client, frozen, coordinator, van, abbeville):
    client.force_login(coordinator)
    stop = make_stop(van=van, commune=abbeville, date=dt.date(2027, 1, 4))
    form = {"van": van.pk, **stop_edit_form(stop, directions="Derrière l'église")}
    response = client.post(reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk]), form)
    assert response.status_code == 302


def test_a_series_ending_before_today_is_refused_next_to_its_last_date(
    client, frozen, coordinator, van, abbeville
):
    client.force_login(coordinator)
    response = client.post(
        reverse("wagtailsnippets_mediation_stopseries:add"),
        series_form(van, abbeville, start_date="2026-01-05", end_date="2026-03-30"),
    )
    assert [e.code for e in response.context["form"].errors.as_data()["end_date"]] == ["past"]


def test_a_closure_that_ends_before_it_starts_is_refused_next_to_its_last_day(
    client, frozen, coordinator
):
    # Without it, Claire read "the constraint closure_ends_after_start is violated".
    client.force_login(coordinator)
    response = client.post(
        reverse("wagtailsnippets_mediation_closureperiod:add"),
        {"label": "Vacances d'hiver", "start_date": "2027-02-19", "end_date": "2027-02-15"},
    )
    errors = response.context["form"].errors
    assert list(errors) == ["end_date"]
    assert response.context["form"]["label"].value() == "Vacances d'hiver"


def test_the_preview_says_a_new_workshop_reaches_new_stops_only(
    client, frozen, coordinator, van, abbeville
):
    # Claire adds a second workshop to a series already generated: "nothing to generate"
    # alone would let her think the stops have it. The preview says they keep their own.
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 3, 31))
    url = reverse("planning:series_preview", args=[series.pk])
    assert "plan-workshops-note" not in client.get(url).content.decode()
    series_generate(series=series, today=TODAY)
    SeriesWorkshop.objects.create(
        series=series, module=make_module(), start_time=dt.time(9, 30), end_time=dt.time(11)
    )
    html = client.get(url).content.decode()
    assert "plan-up-to-date" in html and "plan-workshops-note" in html


def test_the_mediators_picker_offers_the_staff_by_their_names(
    client, frozen, coordinator, van, abbeville
):
    # Claire picks Inès by her name; the accountant's account is no one to send in the van,
    # and Marc, who left (his account is inactive), stays only on the stop he already had.
    ines = make_user("ines", group=MEDIATORS, first_name="Inès", last_name="Dubois")
    make_user("compta", first_name="Paul", last_name="Comptable")
    marc = make_user("marc", group=MEDIATORS, first_name="Marc", last_name="Leroy")
    held = make_stop(van=van, commune=abbeville, date=TODAY + dt.timedelta(days=3))
    held.mediators.add(marc)
    marc.is_active = False
    marc.save()
    client.force_login(coordinator)

    new_stop = client.get(reverse("wagtailsnippets_mediation_stop:add")).context["form"]
    new_series = client.get(reverse("wagtailsnippets_mediation_stopseries:add")).context["form"]
    marcs_stop = client.get(reverse("wagtailsnippets_mediation_stop:edit", args=[held.pk])).context[
        "form"
    ]

    for form in (new_stop, new_series):
        offered = {label for _, label in form.fields["mediators"].choices}
        assert "Inès Dubois" in offered
        assert "Paul Comptable" not in offered and "compta" not in offered
        assert "Marc Leroy" not in offered
    assert "Marc Leroy" in {label for _, label in marcs_stop.fields["mediators"].choices}
    assert ines.pk in {int(str(value)) for value, _ in new_stop.fields["mediators"].choices}


def test_a_weekly_series_does_not_ask_every_how_many_weeks(
    client, frozen, coordinator, van, abbeville
):
    # Claire emptied "every how many weeks" and "which one in the month", which mean nothing
    # to a series every Tuesday: it is saved; a fortnightly series still needs its number.
    client.force_login(coordinator)
    add = reverse("wagtailsnippets_mediation_stopseries:add")

    weekly = client.post(add, series_form(van, abbeville, interval_weeks="", week_of_month="0"))
    fortnightly = client.post(
        add, series_form(van, abbeville, rule="every_n_weeks", interval_weeks="")
    )

    assert weekly.status_code == 302
    series = StopSeries.objects.get()
    assert (series.rule, series.interval_weeks, series.week_of_month) == ("weekly", 2, 1)
    assert fortnightly.status_code == 200
    assert "interval_weeks" in fortnightly.context["form"].errors


def test_a_date_at_the_end_of_the_calendar_gets_a_page_not_an_error(
    client, frozen, coordinator, van
):
    # A year typed 9999 (or 0001) in the date field, or in a hand-made address: the month
    # around it has no "next month", and computing one crashed the page.
    # It shows today's month or week instead, as for a date that cannot be read.
    client.force_login(coordinator)
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    for day in ("9999-12-15", "0001-01-01"):
        for view, first in (("mois", TODAY.replace(day=1)), ("semaine", monday)):
            response = client.get(
                reverse("planning:planner"), {"van": van.pk, "vue": view, "date": day}
            )
            assert response.status_code == 200
            assert response.context["first"] == first
        route = client.get(reverse("planning:route"), {"van": van.pk, "semaine": day})
        assert route.status_code == 200


def test_generating_does_what_the_preview_said_or_nothing(
    client, frozen, coordinator, van, abbeville
):
    # Claire reads the preview of a series to the end of March (13 new stops). Meanwhile
    # Marc shortens it to January. Claire's click must not write a plan she never read:
    # nothing is written and she sees the new preview.
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 3, 31))
    url = reverse("planning:series_preview", args=[series.pk])
    read = client.get(url).context["plan"].fingerprint
    series.end_date = dt.date(2027, 1, 31)
    series.save()

    refused = client.post(url, {"plan": read})

    assert refused.status_code == 409
    assert not Stop.objects.exists()
    assert len(refused.context["plan"].to_create) == 4
    assert [m.level_tag for m in refused.context["messages"]] == ["warning"]

    # Read again, generated; a second click (the page was slow) writes nothing more.
    read_again = refused.context["plan"].fingerprint
    assert f'value="{read_again}"' in refused.content.decode()
    first = client.post(url, {"plan": read_again}, follow=True)
    second = client.post(url, {"plan": read_again}, follow=True)
    assert Stop.objects.filter(series=series).count() == 4
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [m.level_tag for m in second.context["messages"]] == ["info"]


def test_the_list_of_series_says_each_ones_rule_in_full(
    client, frozen, coordinator, van, abbeville
):
    # Forty series "every N weeks" look alike: Claire needs "every 2 weeks on Tuesday" and
    # "the last Friday of the month" to find the one she means.
    client.force_login(coordinator)
    fortnightly = make_series(van, abbeville, rule="every_n_weeks", interval_weeks=2)
    last_friday = make_series(van, abbeville, rule="nth_weekday", weekday=4, week_of_month=-1)

    page = client.get(reverse("wagtailsnippets_mediation_stopseries:list")).content.decode()

    with translation.override("fr"):
        assert fortnightly.rule_label() in page
        assert last_friday.rule_label() in page
    by_rule = client.get(reverse("wagtailsnippets_mediation_stopseries:list"), {"ordering": "rule"})
    assert by_rule.status_code == 200


def test_the_preview_lists_the_stops_whose_workshops_would_not_fit_the_new_hours(
    client, frozen, coordinator, van, abbeville
):
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    SeriesWorkshop.objects.create(
        series=series, module=make_module(), start_time=dt.time(10), end_time=dt.time(11, 30)
    )
    series_generate(series=series, today=TODAY)
    series.start_time, series.end_time = dt.time(14), dt.time(15)
    series.save()
    url = reverse("planning:series_preview", args=[series.pk])

    html = client.get(url).content.decode()

    listed = html.split('id="plan-workshops-outside"', 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li>") == 4


def test_what_generating_did_is_said_with_french_plurals(client, frozen, coordinator, van,
                                                         abbeville):  # fmt: skip
    # "1 escale(s) créée(s)" reads as a form letter: one stop is "1 escale créée".
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=TODAY)
    url = reverse("planning:series_preview", args=[series.pk])
    read = client.get(url).context["plan"].fingerprint

    with translation.override("fr"):
        response = client.post(url, {"plan": read}, follow=True)

    [said] = [str(m) for m in response.context["messages"]]
    assert Stop.objects.count() == 1
    assert "(s)" not in said


def test_the_preview_says_what_changes_at_each_stop_it_updates(
    client, frozen, coordinator, van, abbeville
):
    # "12 janvier, Abbeville (mise à jour)" does not tell Claire whether the hours, the
    # place or the mediators change: the preview names what does.
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    series_generate(series=series, today=TODAY)
    series.start_time, series.place_name = dt.time(10), "Salle des fêtes"
    series.save()

    with translation.override("fr"):
        html = client.get(reverse("planning:series_preview", args=[series.pk])).content.decode()

    changes = html.split('id="plan-changes"', 1)[1].split("</ul>", 1)[0]
    assert changes.count("horaires, lieu") == 4


def test_a_stop_moved_by_hand_says_which_visit_of_its_series_it_stands_for(
    client, frozen, coordinator, van, abbeville
):
    # Moved from Tuesday 12 to Thursday 14 January, the stop is still the series' visit of
    # the 12th (the series plans no other): its form says so, else Claire adds a second one.
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    series_generate(series=series, today=TODAY)
    moved = Stop.objects.get(series=series, date=dt.date(2027, 1, 12))
    moved.date = dt.date(2027, 1, 14)
    stop_update(stop=moved, changed_fields=["date"])
    kept = Stop.objects.get(series=series, date=dt.date(2027, 1, 19))

    def panel(stop):
        edit = reverse("wagtailsnippets_mediation_stop:edit", args=[stop.pk])
        with translation.override("fr"):
            html = client.get(edit).content.decode()
        return html.split('id="stop-planning"', 1)[1].split("</div>", 1)[0]

    assert "mardi 12 janvier 2027" in panel(moved)
    assert "janvier 2027" not in panel(kept)


def test_a_preview_without_conflict_does_not_head_it_zero_conflict(
    client, frozen, coordinator, van, abbeville
):
    client.force_login(coordinator)
    series = make_series(van, abbeville, end_date=dt.date(2027, 3, 31))

    html = client.get(reverse("planning:series_preview", args=[series.pk])).content.decode()

    assert "<h2>Conflits</h2>" in html
    assert "Aucun conflit avec les autres escales prévues." in html
    assert "0 conflit" not in html


def test_the_stop_form_offers_the_vans_by_name_in_a_plain_list(client, frozen, coordinator, van):
    # "Choisir bus" opened a search window to pick among two or three vans; a list of their
    # names is one tap, and says "Choisissez le bus" until one is picked.
    from bs4 import BeautifulSoup

    Van.objects.create(name="Bus 2", plate="EF-456-GH", home_base=van.home_base)
    client.force_login(coordinator)

    html = client.get(reverse("wagtailsnippets_mediation_stop:add")).content.decode()

    field = BeautifulSoup(html, "html.parser").find("select", attrs={"name": "van"})
    options = [option.get_text(strip=True) for option in field.find_all("option")]
    assert options == ["Choisissez le bus", "Bus 1", "Bus 2"]
    assert "Choisir bus" not in html


def test_a_series_workshop_on_a_withdrawn_module_is_refused_but_one_already_planned_stays(
    client, frozen, coordinator, van, abbeville
):
    # "Facebook" was withdrawn: a series would plan it at every new stop. A new workshop of
    # a series may not take it, as a new workshop of a stop may not; a series that already
    # teaches it keeps it when saved for another reason.
    client.force_login(coordinator)
    facebook = make_module(title="Facebook")
    facebook.is_active = False
    facebook.save()

    refused = client.post(
        reverse("wagtailsnippets_mediation_stopseries:add"),
        series_form(van, abbeville, **one_workshop(facebook, "10:00", "11:00")),
    )

    assert refused.status_code == 200
    assert "n’est plus proposé" in str(workshop_errors(refused)["module"])
    assert not SeriesWorkshop.objects.exists()

    series = make_series(van, abbeville, end_date=dt.date(2027, 3, 30))
    kept = SeriesWorkshop.objects.create(
        series=series, module=facebook, start_time=dt.time(10), end_time=dt.time(11)
    )
    data = series_form(van, abbeville, place_name="Salle des fêtes") | {
        **one_workshop(facebook, "10:00", "11:00"),
        "workshops-INITIAL_FORMS": 1,
        "workshops-0-id": kept.pk,
    }
    data["start_date"] = series.start_date.isoformat()
    saved = client.post(
        reverse("wagtailsnippets_mediation_stopseries:edit", args=[series.pk]), data
    )

    assert saved.status_code == 302
    series.refresh_from_db()
    assert series.place_name == "Salle des fêtes"
    assert list(series.workshops.values_list("module__title", flat=True)) == ["Facebook"]
