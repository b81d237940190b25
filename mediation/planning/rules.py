"""Dates of a recurrence rule, and the days the van does not run (public holidays, closures)."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

from mediation.models import ClosurePeriod, RecurrenceRule
from mediation.templatetags.french_dates import hours

WEEK = dt.timedelta(weeks=1)


def minutes_between(earlier: dt.time, later: dt.time) -> int:
    """From `earlier` to `later` in minutes (negative when `later` comes first)."""
    return (later.hour * 60 + later.minute) - (earlier.hour * 60 + earlier.minute)


def outside_stop_hours(first: dt.time, last: dt.time, *, opens: dt.time, closes: dt.time) -> str:
    """What to say of a workshop from `first` to `last` at a stop open from `opens` to
    `closes` ("" when it fits): residents come for the hours the stop's page and flyers give."""
    if opens <= first and last <= closes:
        return ""
    return _("The workshop must take place within the stop's hours (%(hours)s).") % {
        "hours": hours(opens, closes)
    }


def occurrence_dates(
    *,
    rule: str,
    weekday: int,
    start: dt.date,
    end: dt.date,
    interval_weeks: int = 1,
    week_of_month: int = 1,
) -> list[dt.date]:
    """Every date of the rule between `start` and `end` inclusive, before any day is skipped.

    "Every N weeks" counts from the first matching weekday on or after `start`. "The n-th
    weekday" skips a month that has no such day (no fifth Tuesday); -1 is the month's last one.
    """
    if rule == RecurrenceRule.NTH_WEEKDAY:
        return _nth_weekdays(weekday, week_of_month, start, end)
    step = WEEK * (interval_weeks if rule == RecurrenceRule.EVERY_N_WEEKS else 1)
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    dates = []
    while day <= end:
        dates.append(day)
        day += step
    return dates


def _nth_weekdays(weekday: int, nth: int, start: dt.date, end: dt.date) -> list[dt.date]:
    dates = []
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= end:
        first = dt.date(year, month, 1)
        first_match = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
        matches = []
        day = first_match
        while day.month == month:
            matches.append(day)
            day += WEEK
        chosen = matches[-1] if nth == -1 else (matches[nth - 1] if nth <= len(matches) else None)
        if chosen and start <= chosen <= end:
            dates.append(chosen)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.France(years=year, language="fr").items())


def public_holiday(day: dt.date) -> str:
    """The name of the French public holiday on `day`, or ""."""
    return _french_holidays(day.year).get(day, "")


@dataclass(frozen=True)
class DayOff:
    date: dt.date
    reason: str
    kind: str  # "holiday" or "closure"


class OffDays:
    """Public holidays and the operator's closure periods, loaded once (one query)."""

    def __init__(self, first: dt.date, last: dt.date):
        self.closures = list(
            ClosurePeriod.objects.filter(start_date__lte=last, end_date__gte=first).order_by(
                "start_date"
            )
        )

    def why(self, day: dt.date) -> DayOff | None:
        name = public_holiday(day)
        if name:
            return DayOff(day, _("public holiday: %s") % name, "holiday")
        for closure in self.closures:
            if closure.contains(day):
                return DayOff(day, _("closure: %s") % closure.label, "closure")
        return None
