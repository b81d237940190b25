"""What happens at a stop: workshops, the residents who sign up for them."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from mediation.models import PARIS, Commune, Stop, StopStatus, TutorialModule
from mediation.templatetags.french_dates import longdatetime
from sessions.sent_by_form import SentByFormQuerySet, submission_key_field
from sessions.vocabulary import (  # noqa: F401
    THEMES_FROM_MODULE_THEME,
    ActivityProfile,
    AgeBracket,
    Autonomy,
    Equipment,
    Gender,
    Operator,
    PlaceType,
    Redirection,
    Situation,
)


class WorkshopQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date | None = None) -> "WorkshopQuerySet":
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(stop__date__gte=today).order_by("stop__date", "start_time")

    def with_registrations_visible_to(self, user) -> "WorkshopQuerySet":
        """The workshops whose registrations this staff member may see."""
        return self.filter(stop__in=Stop.objects.whose_people_are_visible_to(user))


class Workshop(models.Model):
    """A group workshop on a module at a stop; a one-to-one appointment has a capacity of 1."""

    stop = models.ForeignKey(
        Stop, verbose_name=_("stop"), related_name="workshops", on_delete=models.CASCADE
    )
    module = models.ForeignKey(
        TutorialModule, verbose_name=_("module"), related_name="workshops", on_delete=models.PROTECT
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    capacity = models.PositiveSmallIntegerField(_("seats"), default=6)
    # Kept in step with confirmed registrations by sessions.services only: the conditional
    # UPDATE on this counter is what prevents overbooking under concurrent sign-ups.
    seats_taken = models.PositiveSmallIntegerField(_("seats taken"), default=0, editable=False)
    signup_opens_at = models.DateTimeField(_("sign-up opens"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("sign-up closes"), null=True, blank=True)
    # What the activity report says of the workshop; empty themes mean the module's.
    themes = models.JSONField(_("themes"), default=list, blank=True)
    procedure_name = models.CharField(
        _("administrative procedure done"),
        max_length=200,
        blank=True,
        help_text=_("For example: Déclaration de revenus."),
    )
    operator = models.CharField(
        _("body in charge of the procedure"), max_length=20, choices=Operator.choices, blank=True
    )
    place_type = models.CharField(
        _("place type"), max_length=20, choices=PlaceType.choices, default=PlaceType.VAN
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["stop__date", "start_time"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="workshop_never_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="workshop_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.title} – {self.stop}"

    def clean(self):
        # Said by the field, in words: else the database's check speaks, by its name.
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The workshop must end after it starts.")})

    @property
    def activity_themes(self) -> list[str]:
        return self.themes or [str(t) for t in THEMES_FROM_MODULE_THEME[self.module.theme]]

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_appointment(self) -> bool:
        return self.capacity == 1

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.stop.date, self.start_time, tzinfo=PARIS)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.stop.date, self.end_time, tzinfo=PARIS)

    def signup_state(self, now: dt.datetime) -> str:
        """`open`, `not_yet_open`, `closed` (deadline or start passed) or `cancelled`."""
        if self.stop.is_cancelled:
            return "cancelled"
        if self.signup_opens_at and now < self.signup_opens_at:
            return "not_yet_open"
        closes_at = min(self.signup_closes_at or self.starts_at, self.starts_at)
        return "closed" if now >= closes_at else "open"

    def signup_state_changes_at(self, now: dt.datetime) -> dt.datetime | None:
        """The next moment after `now` when `signup_state` may read otherwise (sign-ups open,
        close, the workshop starts), or None: a page that shows the state is stale then."""
        moments = (self.signup_opens_at, self.signup_closes_at, self.starts_at)
        coming = [moment for moment in moments if moment is not None and moment > now]
        return min(coming, default=None)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("waiting list")
    CANCELLED = "cancelled", _("cancelled")


class RegistrationChannel(models.TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("by phone")
    WALK_IN = "walk_in", _("walk-in")


class RegistrationQuerySet(SentByFormQuerySet):
    def active(self) -> "RegistrationQuerySet":
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def named(self, first_name: str, last_name: str) -> "RegistrationQuerySet":
        """The same person by name, regardless of case: with a phone or an e-mail, what the
        unique constraints (one_active_registration_per_person_*) call a duplicate."""
        return self.filter(first_name__iexact=first_name, last_name__iexact=last_name)

    def same_person(
        self, *, first_name: str, last_name: str, phone: str, email: str
    ) -> "RegistrationQuerySet":
        """The registrations of this person, as the unique constraints tell one: the name
        regardless of case, and the phone or the e-mail (normalised); none without either."""
        if not (phone or email):
            return self.none()
        same_contact = Q(pk__in=[])
        if phone:
            same_contact |= Q(phone=phone)
        if email:
            same_contact |= Q(email=email)
        return self.named(first_name, last_name).filter(same_contact)

    def confirmed(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")

    def promoted_not_called(self, today: dt.date) -> "RegistrationQuerySet":
        """Given a seat from the waiting list and not yet phoned about it, for a workshop of a
        stop still to come: with `contacts.still_to_call`, the calls staff must make."""
        return self.filter(
            status=RegistrationStatus.CONFIRMED,
            promoted_at__isnull=False,
            called_at__isnull=True,
            anonymised_at__isnull=True,
            workshop__stop__date__gte=today,
        ).exclude(workshop__stop__status=StopStatus.CANCELLED)

    def with_seat_message_failed(self) -> "RegistrationQuerySet":
        """Annotate `seat_message_failed`: the message telling of a seat given from the waiting
        list failed for good by every channel it took (credit run out, number refused…) and
        none is still to leave, so nothing told the person: staff phone them."""
        from sessions.message_models import MessageKind, MessageState

        seat_news = OutboundMessage.objects.filter(
            registration=OuterRef("pk"), kind=MessageKind.PROMOTED
        )
        failed = Exists(seat_news.filter(state=MessageState.FAILED))
        left_or_may_leave = Exists(
            seat_news.exclude(state__in=[MessageState.FAILED, MessageState.SKIPPED])
        )
        return self.annotate(
            seat_message_failed=ExpressionWrapper(
                Q(failed) & ~Q(left_or_may_leave), output_field=BooleanField()
            )
        )

    def maybe_to_call(self, today: dt.date) -> "RegistrationQuerySet":
        """`promoted_not_called`, annotated `with_seat_message_failed`, narrowed in SQL to
        those with no e-mail or whose seat's message failed: `contacts.still_to_call` says,
        of these few, whom staff must phone."""
        return (
            self.promoted_not_called(today)
            .with_seat_message_failed()
            .filter(Q(email="") | Q(seat_message_failed=True))
        )

    def visible_to(self, user) -> "RegistrationQuerySet":
        """Coordinators see every registration; a mediator, those of their assigned stops."""
        stops = Stop.objects.whose_people_are_visible_to(user)
        # Every stop (coordinators): no filter, rather than a scan of the stops on each count.
        return self.filter(workshop__stop__in=stops) if stops.query.has_filters() else self.all()


class Registration(models.Model):
    """A resident's sign-up for a workshop (an "inscription"): online, by phone or walk-in."""

    # Made by whoever creates the record (the server, or a tablet offline): the sync key.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), related_name="registrations", on_delete=models.CASCADE
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    home_commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune of residence"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    needs = models.TextField(_("needs"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=RegistrationChannel.choices,
        default=RegistrationChannel.ONLINE,
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # Signed personal links embed this; bumping it revokes every link sent before.
    token_version = models.PositiveIntegerField(default=1, editable=False)
    # The same form sent again leads to this registration's confirmation, which a form filled
    # in elsewhere with the same name and number does not (sessions/sent_by_form.py).
    submission_key = submission_key_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Set when names and contact details are wiped after the retention period (GDPR).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # What the reminder command already sent, so that a second cron run sends nothing twice.
    reminded_two_days_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_one_day_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the waiting list gave them a seat, and when staff phoned to say so: a resident no
    # SMS or e-mail reaches (a landline, no contact) is listed "to call" in between.
    promoted_at = models.DateTimeField(
        _("given a seat from the waiting list at"), null=True, blank=True, editable=False
    )
    called_at = models.DateTimeField(
        _("phoned about the seat at"), null=True, blank=True, editable=False
    )

    objects = RegistrationQuerySet.as_manager()

    # Nothing in Wagtail's content refers to a registration: indexing its references cost
    # six queries on every sign-up.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["workshop", "created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["workshop", "status"]),
            # The back office's list: newest first, anonymised ones left out (no sort).
            models.Index(
                fields=["-created_at"],
                condition=Q(anonymised_at__isnull=True),
                name="registration_listed_newest",
            ),
            # The calls to make, read on every visit to the back office's home: the few given
            # a seat and not yet phoned, not a scan of three years of registrations.
            models.Index(
                fields=["promoted_at"],
                condition=Q(promoted_at__isnull=False, called_at__isnull=True),
                name="registration_to_call",
            ),
        ]
        # The service refuses duplicates under the workshop lock; these are the last line.
        # A duplicate is the same person (name) with the same phone or e-mail: a couple
        # sharing the home's landline may both sign up for one workshop.
        constraints = [
            models.UniqueConstraint(
                "workshop",
                "phone",
                Lower("first_name"),
                Lower("last_name"),
                condition=~Q(status="cancelled") & ~Q(phone=""),
                name="one_active_registration_per_person_phone",
            ),
            models.UniqueConstraint(
                "workshop",
                "email",
                Lower("first_name"),
                Lower("last_name"),
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="one_active_registration_per_person_email",
            ),
        ]

    def __str__(self) -> str:
        if self.anonymised_at is not None:
            # Kept for the figures, its name wiped: said, rather than a blank where it was.
            return str(_("Anonymised person"))
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def waiting_position(self) -> int | None:
        """1 for the next to get a seat, in the order the list is served; None if not waiting."""
        if self.status != RegistrationStatus.WAITING:
            return None
        ahead = (
            Registration.objects.waiting()
            .filter(workshop_id=self.workshop_id)
            .filter(
                models.Q(created_at__lt=self.created_at)
                | models.Q(created_at=self.created_at, pk__lt=self.pk)
            )
        )
        return ahead.count() + 1


class AttendanceQuerySet(models.QuerySet):
    def present(self) -> "AttendanceQuerySet":
        return self.filter(present=True)

    def for_workshop(self, workshop: Workshop) -> "AttendanceQuerySet":
        return self.filter(registration__workshop=workshop)

    def visible_to(self, user) -> "AttendanceQuerySet":
        return self.filter(
            registration__workshop__stop__in=Stop.objects.whose_people_are_visible_to(user)
        )


class Attendance(ActivityProfile):
    """What the mediator recorded about one registration: the version currently in force.

    Written only by sessions.mediator_app.sync, from records made on a tablet; `uuid` is the id the
    tablet gave the version in force, and every version it replaced is an AttendanceVersion.
    """

    uuid = models.UUIDField(_("record id"), unique=True, editable=False)
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        related_name="attendance",
        on_delete=models.CASCADE,
    )
    present = models.BooleanField(_("present"))
    outcomes = models.ManyToManyField(
        "mediation.ModuleOutcome", verbose_name=_("outcomes reached"), related_name="+", blank=True
    )
    lending_tablet = models.ForeignKey(
        "tablets.Tablet",
        verbose_name=_("lending tablet used"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    minutes_spent = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    # The tablet's clock when the mediator made this version: the conflict rule compares it.
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    received_at = models.DateTimeField(_("received at"), auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["registration__workshop", "registration__created_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self) -> str:
        return str(self.registration)


class AttendanceVersion(models.Model):
    """A version of an attendance that is not (or no longer) in force, kept for the record.

    Either it was in force and a later one replaced it, or it arrived after a later one
    and lost the conflict straight away.
    """

    class Fate(models.TextChoices):
        REPLACED = "replaced", _("replaced by a later record")
        OUTDATED = "outdated", _("arrived after a later record")

    uuid = models.UUIDField(_("record id"), unique=True, editable=False)
    attendance = models.ForeignKey(
        Attendance,
        verbose_name=_("attendance"),
        related_name="history",
        on_delete=models.CASCADE,
    )
    fate = models.CharField(_("fate"), max_length=20, choices=Fate.choices)
    # The fields of the version as the tablet sent them (outcome and tablet ids included).
    data = models.JSONField(_("record"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    archived_at = models.DateTimeField(_("archived at"), auto_now_add=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["attendance", "-recorded_at"]
        verbose_name = _("attendance history")
        verbose_name_plural = _("attendance history")

    def __str__(self) -> str:
        return f"{self.attendance} ({longdatetime(self.recorded_at)})"


# Individual helps (activity outside workshops), alerts and requests for a visit, the message
# log, SMS opt-outs, short links and broadcasts live in their own modules, imported here so
# that Django sees them.
from sessions.activity_models import IndividualHelp  # noqa: E402, F401
from sessions.demand_models import (  # noqa: E402, F401
    BusRequest,
    BusRequestStatus,
    StopAlert,
    StopAlertDelivery,
)
from sessions.message_models import (  # noqa: E402, F401
    Broadcast,
    OutboundMessage,
    ShortLink,
    SmsOptOut,
)

# Residents' requests about their data (subject access, erasure), as staff handled them.
from sessions.privacy_models import PersonalDataRequest  # noqa: E402, F401

# Records a tablet sent and the server refused, for the coordinators to put right.
from sessions.sync_models import RefusedRecord  # noqa: E402, F401
