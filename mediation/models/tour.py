"""When the van comes: stops (a day in a commune, at a place, between two times)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.models.geography import Commune, Epci
from mediation.templatetags.french_dates import longdate

PARIS = ZoneInfo("Europe/Paris")


class StopStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")


class StopQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date | None = None) -> "StopQuerySet":
        today = today or timezone.localdate()
        return self.filter(date__gte=today).order_by("date", "start_time")

    def not_over(self, today: dt.date, time_of_day: dt.time | None) -> "StopQuerySet":
        """The upcoming stops that have not ended at this time of `today` (None: all of its
        stops): a resident has no use for this morning's stop in the afternoon."""
        stops = self.upcoming(today)
        if time_of_day is None:
            return stops
        return stops.exclude(date=today, end_time__lte=time_of_day)

    def past(self, today: dt.date | None = None) -> "StopQuerySet":
        today = today or timezone.localdate()
        return self.filter(date__lt=today).order_by("-date", "-start_time")

    def on_date(self, day: dt.date) -> "StopQuerySet":
        return self.filter(date=day)

    def in_commune(self, commune: Commune) -> "StopQuerySet":
        return self.filter(commune=commune)

    def in_epci(self, epci: Epci) -> "StopQuerySet":
        return self.filter(commune__epci=epci)

    def not_cancelled(self) -> "StopQuerySet":
        return self.exclude(status=StopStatus.CANCELLED)

    def assigned_to(self, user) -> "StopQuerySet":
        return self.filter(mediators=user)

    def whose_people_are_visible_to(self, user) -> "StopQuerySet":
        """The stops whose registrations, attendance and residents' contacts this user sees:
        every stop for a coordinator, a mediator's assigned stops, none for anyone else."""
        from mediation.roles import is_coordinator, is_mediator

        if not user.is_authenticated:
            return self.none()
        if is_coordinator(user):
            return self.all()
        if is_mediator(user):
            return self.assigned_to(user)
        return self.none()

    def of_van(self, van) -> "StopQuerySet":
        return self.filter(van=van)

    def between(self, first: dt.date, last: dt.date) -> "StopQuerySet":
        return self.filter(date__gte=first, date__lte=last)


class Stop(models.Model):
    """A day when the van parks in a commune, at a place, between two times (an "escale")."""

    # What a registrant was told and would turn up for: the day, the hours, the place. Nobody
    # changes these under them unnoticed (the stop's form, a series' new plan).
    FIELDS_REGISTRANTS_KNOW = frozenset(
        {"commune", "date", "start_time", "end_time", "place_name", "address"}
    )

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="stops", on_delete=models.PROTECT
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    place_name = models.CharField(
        _("place"), max_length=200, help_text=_("For example: Place de la mairie.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    directions = models.TextField(
        _("directions"), blank=True, help_text=_("How to find the van, in plain words.")
    )
    latitude = models.DecimalField(
        _("precise latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("precise longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=StopStatus.choices, default=StopStatus.PLANNED
    )
    cancellation_reason = models.CharField(_("reason for cancellation"), max_length=300, blank=True)
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediators"),
        related_name="assigned_stops",
        blank=True,
    )
    van = models.ForeignKey(
        "mediation.Van",
        verbose_name=_("van"),
        related_name="stops",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    series = models.ForeignKey(
        "mediation.StopSeries",
        verbose_name=_("series"),
        related_name="stops",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    # The date of the series this stop stands for, even after it was moved.
    occurrence_date = models.DateField(
        _("date in its series"), null=True, blank=True, editable=False
    )
    # A stop of a series edited by hand is an exception: editing the series leaves it alone.
    edited_by_hand = models.BooleanField(_("edited by hand"), default=False, editable=False)
    # Calendar clients only replace an event whose SEQUENCE grew; bumped on every public change.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StopQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="stop_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "commune"]),
            models.Index(fields=["van", "date"]),
            # A commune's coming stops, cancelled ones included (residents learn of them).
            models.Index(fields=["commune", "date"], name="stop_commune_date"),
            # The nearest-stop search counts the coming stops of each commune around: without
            # the cancelled ones in it, the index answers alone (the count read each stop for
            # its status: 0.8 → 0.6 ms a commune page at volume).
            models.Index(
                fields=["commune", "date"],
                condition=~Q(status=StopStatus.CANCELLED),
                name="stop_not_cancelled_commune",
            ),
            # The map's one query counts the coming stops of every commune: without the
            # cancelled ones in it, the index answers alone (an index-only scan, no stop read).
            # The end time in it (PostgreSQL) leaves out today's ended stops without reading
            # the stops either: reading them made the uncached map 0.2 ms slower.
            models.Index(
                fields=["date", "commune"],
                condition=~Q(status=StopStatus.CANCELLED),
                include=["end_time"],
                name="stop_not_cancelled_date",
            ),
        ]

    def __str__(self) -> str:
        # "Morlancourt, mardi 5 janvier 2027", as staff say it (titles, breadcrumbs, choosers).
        return f"{self.commune.name}, {longdate(self.date)}"

    def clean(self):
        # Said by the field, in words: else the database's check speaks, by its name.
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The stop must end after it starts.")})

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=PARIS)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=PARIS)

    @property
    def is_exception(self) -> bool:
        """A stop of a series that someone edited by hand: the series no longer moves it."""
        return self.series_id is not None and self.edited_by_hand

    @property
    def is_cancelled(self) -> bool:
        return self.status == StopStatus.CANCELLED
