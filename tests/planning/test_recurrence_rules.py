"""Every recurrence rule over a year gives the dates a coordinator expects."""

import datetime as dt

from django.utils import translation

from mediation.models import RecurrenceRule, StopSeries
from mediation.planning.rules import occurrence_dates, public_holiday

YEAR_START, YEAR_END = dt.date(2027, 1, 1), dt.date(2027, 12, 31)
TUESDAY, FRIDAY, MONDAY, WEDNESDAY = 1, 4, 0, 2


def test_every_tuesday_of_2027_is_fifty_two_tuesdays():
    dates = occurrence_dates(
        rule=RecurrenceRule.WEEKLY, weekday=TUESDAY, start=YEAR_START, end=YEAR_END
    )
    assert len(dates) == 52
    assert dates[0] == dt.date(2027, 1, 5)
    assert dates[-1] == dt.date(2027, 12, 28)
    assert all(day.weekday() == TUESDAY for day in dates)


def test_every_other_friday_counts_from_the_first_friday_of_the_period():
    dates = occurrence_dates(
        rule=RecurrenceRule.EVERY_N_WEEKS,
        weekday=FRIDAY,
        start=YEAR_START,
        end=YEAR_END,
        interval_weeks=2,
    )
    assert dates[:3] == [dt.date(2027, 1, 1), dt.date(2027, 1, 15), dt.date(2027, 1, 29)]
    assert len(dates) == 27
    assert dates[-1] == dt.date(2027, 12, 31)
    assert {b - a for a, b in zip(dates, dates[1:], strict=False)} == {dt.timedelta(weeks=2)}


def test_every_four_weeks_from_a_wednesday_in_march():
    dates = occurrence_dates(
        rule=RecurrenceRule.EVERY_N_WEEKS,
        weekday=WEDNESDAY,
        start=dt.date(2027, 3, 3),
        end=YEAR_END,
        interval_weeks=4,
    )
    assert dates[:2] == [dt.date(2027, 3, 3), dt.date(2027, 3, 31)]
    assert len(dates) == 11


def test_the_second_tuesday_of_each_month():
    dates = occurrence_dates(
        rule=RecurrenceRule.NTH_WEEKDAY,
        weekday=TUESDAY,
        start=YEAR_START,
        end=YEAR_END,
        week_of_month=2,
    )
    assert dates == [
        dt.date(2027, 1, 12),
        dt.date(2027, 2, 9),
        dt.date(2027, 3, 9),
        dt.date(2027, 4, 13),
        dt.date(2027, 5, 11),
        dt.date(2027, 6, 8),
        dt.date(2027, 7, 13),
        dt.date(2027, 8, 10),
        dt.date(2027, 9, 14),
        dt.date(2027, 10, 12),
        dt.date(2027, 11, 9),
        dt.date(2027, 12, 14),
    ]


def test_a_fifth_monday_only_in_the_months_that_have_one():
    dates = occurrence_dates(
        rule=RecurrenceRule.NTH_WEEKDAY,
        weekday=MONDAY,
        start=YEAR_START,
        end=YEAR_END,
        week_of_month=5,
    )
    # 2027: Mondays 29 March, 31 May, 30 August, 29 November; no other month has five.
    assert dates == [
        dt.date(2027, 3, 29),
        dt.date(2027, 5, 31),
        dt.date(2027, 8, 30),
        dt.date(2027, 11, 29),
    ]


def test_the_last_friday_of_the_month():
    dates = occurrence_dates(
        rule=RecurrenceRule.NTH_WEEKDAY,
        weekday=FRIDAY,
        start=YEAR_START,
        end=dt.date(2027, 3, 31),
        week_of_month=-1,
    )
    assert dates == [dt.date(2027, 1, 29), dt.date(2027, 2, 26), dt.date(2027, 3, 26)]


def test_a_period_of_one_day_that_is_not_the_weekday_has_no_date():
    assert (
        occurrence_dates(
            rule=RecurrenceRule.WEEKLY,
            weekday=TUESDAY,
            start=dt.date(2027, 1, 6),
            end=dt.date(2027, 1, 6),
        )
        == []
    )


def test_french_public_holidays_are_known_by_their_french_name():
    assert public_holiday(dt.date(2027, 7, 14)) == "Fête nationale"
    assert public_holiday(dt.date(2027, 3, 29))  # Easter Monday 2027
    assert public_holiday(dt.date(2027, 12, 25))
    assert public_holiday(dt.date(2027, 12, 24)) == ""


def test_a_series_says_its_rule_in_words():
    with translation.override("fr"):
        assert StopSeries(rule="nth_weekday", weekday=FRIDAY, week_of_month=-1).rule_label() == (
            "le dernier vendredi du mois"
        )
        assert StopSeries(rule="every_n_weeks", weekday=2, interval_weeks=2).rule_label() == (
            "toutes les 2 semaines le mercredi"
        )
        assert StopSeries(rule="weekly", weekday=TUESDAY).rule_label() == "chaque mardi"
