"""Planning the tour: vans, recurring series of stops, closure periods, private calendars."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from mediation.models.geography import Commune
from mediation.models.modules import TutorialModule
from mediation.templatetags.french_dates import hour


class Van(models.Model):
    """A vehicle of the operator's fleet; every stop belongs to one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    plate = models.CharField(_("number plate"), max_length=20, blank=True)
    home_base = models.ForeignKey(
        Commune,
        verbose_name=_("home base"),
        related_name="based_vans",
        on_delete=models.PROTECT,
        help_text=_("Where the van leaves from in the morning and comes back to."),
    )
    tablets_carried = models.PositiveSmallIntegerField(_("tablets carried"), default=6)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("van")
        verbose_name_plural = _("vans")

    def __str__(self) -> str:
        return self.name


class ClosurePeriod(models.Model):
    """Days the operator does not run (summer break, staff training…), skipped like holidays."""

    label = models.CharField(_("label"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure period")
        verbose_name_plural = _("closure periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        # Said by the field, in words: else the database's check speaks, by its name.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot come before the first day.")})

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date


class RecurrenceRule(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    EVERY_N_WEEKS = "every_n_weeks", _("every N weeks")
    NTH_WEEKDAY = "nth_weekday", _("the n-th weekday of the month")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


ORDINALS = {
    1: _("first"),
    2: _("second"),
    3: _("third"),
    4: _("fourth"),
    5: _("fifth"),
    -1: _("last"),
}


class StopSeries(ClusterableModel):
    """A van coming back to the same place on a rule (e.g. every other Tuesday), between two dates.

    Saving a series writes no stop: the coordinator previews its dates, then generates them.
    """

    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Optional; the commune by default.")
    )
    van = models.ForeignKey(
        Van, verbose_name=_("van"), related_name="series", on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="series", on_delete=models.PROTECT
    )
    place_name = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    directions = models.TextField(_("directions"), blank=True)
    rule = models.CharField(
        _("rule"), max_length=20, choices=RecurrenceRule.choices, default=RecurrenceRule.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    interval_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("For “every N weeks”: 2 for a fortnightly visit."),
    )
    week_of_month = models.SmallIntegerField(
        _("which one in the month"),
        default=1,
        validators=[MinValueValidator(-1), MaxValueValidator(5)],
        help_text=_("For “the n-th weekday”: 1 to 5, or -1 for the last one of the month."),
    )
    start_date = models.DateField(_("first date"))
    end_date = models.DateField(_("last date"))
    start_time = models.TimeField(_("start time"), default=dt.time(9, 30))
    end_time = models.TimeField(_("end time"), default=dt.time(12, 30))
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediators"),
        related_name="planned_series",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["van__name", "commune__name"]
        verbose_name = _("series of stops")
        verbose_name_plural = _("series of stops")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="series_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="series_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.commune.name} ({self.van.name})"

    def rule_label(self) -> str:
        """The rule in words: "every 2 weeks on Wednesday", "the last Friday of the month"."""
        day = self.get_weekday_display()
        if self.rule == RecurrenceRule.NTH_WEEKDAY:
            nth = ORDINALS.get(self.week_of_month, str(self.week_of_month))
            return _("the %(nth)s %(day)s of the month") % {"nth": nth, "day": day}
        if self.rule == RecurrenceRule.EVERY_N_WEEKS and self.interval_weeks > 1:
            return _("every %(n)s weeks on %(day)s") % {"n": self.interval_weeks, "day": day}
        return _("every %(day)s") % {"day": day}

    def clean(self):
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("The series must end after it starts.")
            elif (self.end_date - self.start_date).days > 3 * 366:
                errors["end_date"] = _("A series lasts three years at most.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The stop must end after it starts.")
        if self.rule == RecurrenceRule.NTH_WEEKDAY and self.week_of_month == 0:
            errors["week_of_month"] = _("Choose 1 to 5, or -1 for the last one.")
        if errors:
            raise ValidationError(errors)


class SeriesWorkshop(models.Model):
    """A workshop every stop of the series offers: which module, when, how many seats."""

    series = ParentalKey(StopSeries, related_name="workshops", on_delete=models.CASCADE)
    module = models.ForeignKey(
        TutorialModule, verbose_name=_("module"), related_name="+", on_delete=models.PROTECT
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    capacity = models.PositiveSmallIntegerField(_("seats"), default=6)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["sort_order", "start_time"]
        verbose_name = _("workshop of the series")
        verbose_name_plural = _("workshops of the series")

    def __str__(self) -> str:
        return f"{self.module}, {hour(self.start_time)}"

    def clean(self):
        # Said by the field: else generating the series fails on the workshops' own check.
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The workshop must end after it starts.")})


class PrivateFeedQuerySet(models.QuerySet):
    def active(self) -> "PrivateFeedQuerySet":
        return self.filter(revoked_at__isnull=True)


class PrivateFeed(models.Model):
    """A secret calendar address for one mediator or one van; only a hash of its token is kept.

    Revoking it (or asking for a new one) makes the old address answer 404 at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        related_name="private_feeds",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    van = models.ForeignKey(
        Van,
        verbose_name=_("van"),
        related_name="private_feeds",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PrivateFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("private calendar")
        verbose_name_plural = _("private calendars")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, van__isnull=True)
                | Q(user__isnull=True, van__isnull=False),
                name="private_feed_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.van)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
