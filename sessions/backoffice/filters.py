"""Filters shared by the back office's lists."""

import django_filters

from mediation.text import normalize_for_search


class StopCommuneFilter(django_filters.CharFilter):
    """The stop's commune as staff type it: "hedauville", "St Riquier" or "Hédau" all find
    theirs (the commune's accent-free search name, as the public search reads it)."""

    def __init__(self, *, stop_path: str, **kwargs):
        super().__init__(field_name=f"{stop_path}__commune__search_name", **kwargs)

    def filter(self, queryset, value):
        query = normalize_for_search(value or "")
        return queryset.filter(**{f"{self.field_name}__contains": query}) if query else queryset
