"""A coordinator previews a series, generates it, edits it; exceptions and sign-ups are safe."""

import datetime as dt

import pytest

from mediation.models import ClosurePeriod, RecurrenceRule, SeriesWorkshop, Stop, StopStatus
from mediation.planning.series import series_generate, series_plan
from mediation.services import stop_update
from sessions.models import Workshop
from tests.factories import make_mediator, make_module, make_registration
from tests.planning.conftest import TODAY, make_series

pytestmark = pytest.mark.django_db

MONDAY = 0


def test_the_preview_skips_and_lists_public_holidays_and_writes_nothing(van, abbeville):
    # Mondays of 2027: Easter Monday (29 March) and Whit Monday (17 May) are holidays.
    series = make_series(van, abbeville, weekday=MONDAY)
    plan = series_plan(series, today=TODAY)
    skipped = {off.date: off.kind for off in plan.skipped}
    assert skipped == {
        dt.date(2027, 3, 29): "holiday",
        dt.date(2027, 5, 17): "holiday",
        dt.date(2027, 11, 1): "holiday",
    }
    assert dt.date(2027, 3, 29) not in plan.dates
    assert len(plan.dates) == 51 - 3
    assert plan.to_create == plan.dates
    assert not Stop.objects.exists()


def test_fourteenth_of_july_and_christmas_are_skipped(van, abbeville):
    # 14 July 2027 is a Wednesday; 25 December a Saturday.
    wednesdays = make_series(van, abbeville, weekday=2)
    saturdays = make_series(van, abbeville, weekday=5)
    assert dt.date(2027, 7, 14) in {o.date for o in series_plan(wednesdays, today=TODAY).skipped}
    assert dt.date(2027, 12, 25) in {o.date for o in series_plan(saturdays, today=TODAY).skipped}


def test_closure_periods_are_skipped_and_named(van, abbeville):
    ClosurePeriod.objects.create(
        label="Congés d'été", start_date=dt.date(2027, 8, 1), end_date=dt.date(2027, 8, 21)
    )
    plan = series_plan(make_series(van, abbeville), today=TODAY)
    closed = [off for off in plan.skipped if off.kind == "closure"]
    assert [off.date for off in closed] == [
        dt.date(2027, 8, 3),
        dt.date(2027, 8, 10),
        dt.date(2027, 8, 17),
    ]
    assert "Congés d'été" in closed[0].reason


def test_generating_creates_the_stops_with_their_mediators_and_workshops(van, abbeville):
    ines = make_mediator("ines")
    module = make_module()
    series = make_series(
        van,
        abbeville,
        rule=RecurrenceRule.EVERY_N_WEEKS,
        interval_weeks=2,
        end_date=dt.date(2027, 3, 31),
    )
    series.mediators.add(ines)
    SeriesWorkshop.objects.create(
        series=series, module=module, start_time=dt.time(9, 30), end_time=dt.time(11), capacity=8
    )
    plan = series_generate(series=series, today=TODAY)
    stops = list(Stop.objects.filter(series=series).order_by("date"))
    assert [stop.date for stop in stops] == plan.dates
    assert stops[0].date == dt.date(2027, 1, 5) and stops[1].date == dt.date(2027, 1, 19)
    assert all(stop.van == van and stop.place_name == "Place de la mairie" for stop in stops)
    assert all(list(stop.mediators.all()) == [ines] for stop in stops)
    assert Workshop.objects.filter(stop__in=stops, module=module, capacity=8).count() == len(stops)
    # Generating again changes nothing.
    again = series_generate(series=series, today=TODAY)
    assert not again.writes_anything
    assert Stop.objects.filter(series=series).count() == len(stops)


def test_editing_a_series_moves_future_stops_but_not_exceptions_nor_stops_with_sign_ups(
    van, abbeville
):
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 28))
    series_generate(series=series, today=TODAY)
    stops = list(Stop.objects.filter(series=series).order_by("date"))
    hand_edited, signed_up = stops[1], stops[2]
    hand_edited.place_name = "Salle des fêtes"
    stop_update(stop=hand_edited, changed_fields=["place_name"])
    make_registration(
        workshop=Workshop.objects.create(
            stop=signed_up, module=make_module(), start_time=dt.time(10), end_time=dt.time(11)
        )
    )

    # The series moves from Tuesday to Thursday, one hour later.
    series.weekday = 3
    series.start_time, series.end_time = dt.time(10, 30), dt.time(13, 30)
    series.save()
    plan = series_plan(series, today=TODAY)
    assert [stop.pk for stop in plan.exceptions] == [hand_edited.pk]
    assert [(d.stop.pk, d.registrations) for d in plan.decisions] == [(signed_up.pk, 1)]

    series_generate(series=series, today=TODAY)
    hand_edited.refresh_from_db()
    signed_up.refresh_from_db()
    assert (hand_edited.date, hand_edited.place_name) == (dt.date(2027, 1, 12), "Salle des fêtes")
    assert hand_edited.is_exception
    assert (signed_up.date, signed_up.start_time) == (dt.date(2027, 1, 19), dt.time(9, 30))
    assert signed_up.status != StopStatus.CANCELLED
    moved = Stop.objects.get(pk=stops[0].pk)
    assert (moved.date, moved.start_time) == (dt.date(2027, 1, 7), dt.time(10, 30))
    assert moved.sequence == 1  # calendars learn of the move
    active = Stop.objects.filter(series=series).not_cancelled()
    thursdays = [s.date for s in active if s.date.weekday() == 3]
    # The kept stops still stand for their visits: no second stop in their weeks.
    assert dt.date(2027, 1, 14) not in thursdays and dt.date(2027, 1, 21) not in thursdays
    assert dt.date(2027, 2, 25) in thursdays
    assert len(thursdays) == 8 - 2


def test_shortening_a_series_cancels_dates_nobody_registered_for(van, abbeville):
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 28))
    series_generate(series=series, today=TODAY)
    series.end_date = dt.date(2027, 1, 31)
    series.save()
    plan = series_generate(series=series, today=TODAY)
    assert [stop.date for stop in plan.to_cancel] == [dt.date(2027, 2, d) for d in (2, 9, 16, 23)]
    cancelled = Stop.objects.filter(series=series, status=StopStatus.CANCELLED)
    assert cancelled.count() == 4
    assert all(stop.sequence == 1 for stop in cancelled)


def test_a_stop_cancelled_by_hand_is_not_brought_back_by_the_series(van, abbeville):
    # Claire cancels the visit of 19 January (the hall is taken), then moves the series an
    # hour later: the series must not plan 19 January again, and says why it leaves it.
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 28))
    series_generate(series=series, today=TODAY)
    cancelled = Stop.objects.get(series=series, date=dt.date(2027, 1, 19))
    cancelled.status = StopStatus.CANCELLED
    cancelled.cancellation_reason = "Salle prise"
    stop_update(stop=cancelled, changed_fields=["status", "cancellation_reason"])

    series.start_time, series.end_time = dt.time(10, 30), dt.time(13, 30)
    series.save()
    plan = series_plan(series, today=TODAY)
    assert dt.date(2027, 1, 19) not in plan.to_create
    assert [stop.pk for stop in plan.exceptions] == [cancelled.pk]
    assert not plan.conflicts

    series_generate(series=series, today=TODAY)
    on_the_19th = Stop.objects.filter(series=series, date=dt.date(2027, 1, 19))
    assert [stop.status for stop in on_the_19th] == [StopStatus.CANCELLED]


def test_a_date_the_series_cancelled_comes_back_when_the_series_does(van, abbeville):
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 28))
    series_generate(series=series, today=TODAY)
    series.end_date = dt.date(2027, 1, 31)
    series.save()
    series_generate(series=series, today=TODAY)
    series.end_date = dt.date(2027, 2, 28)
    series.save()
    plan = series_plan(series, today=TODAY)
    assert plan.to_create == [dt.date(2027, 2, d) for d in (2, 9, 16, 23)]


def test_a_new_mediator_for_the_series_reaches_the_stops_residents_signed_up_for(van, abbeville):
    # Inès leaves; Claire gives the quarter's series to Thomas. Residents do not care who
    # greets them: the stops they signed up for get Thomas too, without a decision to make.
    ines, thomas = make_mediator("ines"), make_mediator("thomas")
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 28))
    series.mediators.add(ines)
    series_generate(series=series, today=TODAY)
    signed_up = Stop.objects.get(series=series, date=dt.date(2027, 1, 19))
    make_registration(
        workshop=Workshop.objects.create(
            stop=signed_up, module=make_module(), start_time=dt.time(10), end_time=dt.time(11)
        )
    )

    series.mediators.set([thomas])
    plan = series_plan(series, today=TODAY)
    assert not plan.decisions
    series_generate(series=series, today=TODAY)
    signed_up.refresh_from_db()
    assert list(signed_up.mediators.all()) == [thomas]
    assert not signed_up.edited_by_hand

    # New times, though, are the coordinator's decision at that stop.
    series.start_time = dt.time(10)
    series.save()
    assert [d.stop.pk for d in series_plan(series, today=TODAY).decisions] == [signed_up.pk]


def test_a_visit_moved_by_hand_whose_own_date_is_past_leaves_the_next_dates_to_the_series(
    van, abbeville
):
    # Claire moved the visit of Tuesday 12 January to Thursday 14. On Wednesday 13 she adds
    # a week to the series: the moved visit stands for the 12th, which is past; 2 March,
    # the new date, must get its stop all the same.
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 23))
    series_generate(series=series, today=TODAY)
    moved = Stop.objects.get(series=series, date=dt.date(2027, 1, 12))
    moved.date = dt.date(2027, 1, 14)
    stop_update(stop=moved, changed_fields=["date"])
    wednesday = dt.date(2027, 1, 13)

    series.end_date = dt.date(2027, 3, 2)
    series.save()
    plan = series_plan(series, today=wednesday)
    assert plan.to_create == [dt.date(2027, 3, 2)]
    assert [stop.pk for stop in plan.exceptions] == [moved.pk]

    series_generate(series=series, today=wednesday)
    assert Stop.objects.filter(series=series, date=dt.date(2027, 3, 2)).exists()
    moved.refresh_from_db()
    assert moved.date == dt.date(2027, 1, 14) and moved.status == StopStatus.PLANNED


def test_a_visit_brought_forward_by_hand_and_now_past_is_not_planned_again(van, abbeville):
    # The visit of Tuesday 19 January was held early, on Monday 11 (the hall was taken on
    # the 19th). On Wednesday 13 the series is looked at again: the 19th was already made,
    # it must not come back as a second visit.
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 23))
    series_generate(series=series, today=TODAY)
    early = Stop.objects.get(series=series, date=dt.date(2027, 1, 19))
    early.date = dt.date(2027, 1, 11)
    stop_update(stop=early, changed_fields=["date"])
    wednesday = dt.date(2027, 1, 13)

    series.start_time, series.end_time = dt.time(10), dt.time(13)
    series.save()
    plan = series_plan(series, today=wednesday)
    assert dt.date(2027, 1, 19) not in plan.to_create
    assert not plan.to_create

    series_generate(series=series, today=wednesday)
    assert not Stop.objects.filter(series=series, date=dt.date(2027, 1, 19)).exists()
    early.refresh_from_db()
    assert (early.date, early.start_time) == (dt.date(2027, 1, 11), dt.time(9, 30))


def test_a_series_moved_to_the_afternoon_takes_its_stops_workshops_along(van, abbeville):
    # The village hall is free only in the afternoon from February: Claire moves the series
    # from 9:30–12:30 to 14:00–17:00. The stops nobody signed up for move, and the workshop
    # of 10:00 moves with them to 14:30: a stop from 14:00 with a workshop at 10:00 would
    # send residents to an empty square.
    module = make_module()
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    SeriesWorkshop.objects.create(
        series=series, module=module, start_time=dt.time(10), end_time=dt.time(11, 30)
    )
    series_generate(series=series, today=TODAY)

    series.start_time, series.end_time = dt.time(14), dt.time(17)
    series.save()
    series_generate(series=series, today=TODAY)

    stops = Stop.objects.filter(series=series)
    assert {(s.start_time, s.end_time) for s in stops} == {(dt.time(14), dt.time(17))}
    workshops = Workshop.objects.filter(stop__series=series)
    assert workshops.count() == 4
    assert {(w.start_time, w.end_time) for w in workshops} == {(dt.time(14, 30), dt.time(16))}


def test_a_stop_whose_workshops_would_not_fit_the_new_hours_is_left_for_the_coordinator(
    van, abbeville
):
    # Shortened to 14:00–15:00, the 10:00–11:30 workshop cannot follow (it would end at
    # 15:30): those stops are not re-timed; the preview lists them, to settle by hand.
    series = make_series(van, abbeville, end_date=dt.date(2027, 1, 31))
    SeriesWorkshop.objects.create(
        series=series, module=make_module(), start_time=dt.time(10), end_time=dt.time(11, 30)
    )
    series_generate(series=series, today=TODAY)

    series.start_time, series.end_time = dt.time(14), dt.time(15)
    series.save()
    plan = series_plan(series, today=TODAY)
    assert not plan.to_update and len(plan.workshops_outside) == 4
    series_generate(series=series, today=TODAY)

    stops = Stop.objects.filter(series=series)
    assert {(s.start_time, s.end_time) for s in stops} == {(dt.time(9, 30), dt.time(12, 30))}
    assert not plan.to_create  # they still stand for their visits


def test_a_visit_edited_by_hand_before_the_series_new_start_takes_none_of_its_dates(van, abbeville):
    # Claire put the stop of 12 January in the hall by hand; then the series is pushed back
    # to start on 19 January and runs one week longer, to 2 March. The hall visit of the
    # 12th stays (hers), but it is no visit of the new series: 2 March gets its stop.
    series = make_series(van, abbeville, end_date=dt.date(2027, 2, 23))
    series_generate(series=series, today=TODAY)
    hall = Stop.objects.get(series=series, date=dt.date(2027, 1, 12))
    hall.place_name = "Salle des fêtes"
    stop_update(stop=hall, changed_fields=["place_name"])

    series.start_date, series.end_date = dt.date(2027, 1, 19), dt.date(2027, 3, 2)
    series.save()
    wednesday = dt.date(2027, 1, 6)
    plan = series_plan(series, today=wednesday)

    assert plan.to_create == [dt.date(2027, 3, 2)]
    assert [stop.pk for stop in plan.exceptions] == [hall.pk]
