"""Filters of the back office's lists of stops and workshops."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StopPeriodFilter(django_filters.ChoiceFilter):
    """Which stops a list shows: upcoming ones from today (the default), past ones, or all.

    Three years of tour sorted by date would open on the first stop ever made; staff open the
    lists for the coming weeks. Past stops come most recent first, unless a column is sorted.
    """

    UPCOMING, PAST, ALL = "a-venir", "passees", "toutes"

    def __init__(self, *, stop_path: str = "", **kwargs):
        self.date_field = f"{stop_path}__date" if stop_path else "date"
        super().__init__(
            choices=[
                (self.UPCOMING, _("Upcoming (from today)")),
                (self.PAST, _("Past, most recent first")),
                (self.ALL, _("All dates")),
            ],
            empty_label=None,
            initial=self.UPCOMING,
            label=_("Period"),
            **kwargs,
        )

    def filter(self, queryset, value):
        today = timezone.localdate()
        if value == self.UPCOMING:
            return queryset.filter(**{f"{self.date_field}__gte": today})
        if value == self.PAST:
            past = queryset.filter(**{f"{self.date_field}__lt": today})
            sorted_by_hand = "ordering" in getattr(self.parent.request, "GET", {})
            return past if sorted_by_hand else past.reverse()
        return queryset


class PeriodFilterSetMixin:
    """Starts a list on upcoming stops, unless the address names a period or a date range
    (a link to last spring's workshops means all of them, not those of that range to come)."""

    period_field = "period"
    date_range_field = "stop_date"

    def __init__(self, data=None, *args, **kwargs):
        given_dates = data is not None and any(
            data.get(f"{self.date_range_field}_{end}") for end in ("after", "before")
        )
        default = StopPeriodFilter.ALL if given_dates else StopPeriodFilter.UPCOMING
        if data is not None and not data.get(self.period_field):
            data = data.copy()
            data[self.period_field] = default
        super().__init__(data, *args, **kwargs)
        # The default is no filter chosen: no chip to remove, "Filtrer" counts none.
        self.filters[self.period_field].extra["initial"] = default
