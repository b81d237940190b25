"""The core domain: where the van goes (communes, EPCI), when (stops), what it teaches."""

import datetime as dt
import math
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable

from mediation.blocks import ModuleStepsBlock
from mediation.text import normalize_for_search

PARIS = ZoneInfo("Europe/Paris")
EARTH_RADIUS_KM = 6371.0


class Epci(models.Model):
    """An intercommunality (établissement public de coopération intercommunale)."""

    code = models.CharField(_("SIREN code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("intercommunality")
        verbose_name_plural = _("intercommunalities")

    def __str__(self) -> str:
        return self.name


class CommuneQuerySet(models.QuerySet):
    def search(self, text: str) -> "CommuneQuerySet":
        """Communes whose name or postal code matches what a resident typed."""
        query = normalize_for_search(text)
        if not query:
            return self.none()
        if query.isdigit():
            # Residents type postal codes; an INSEE code is the fallback. "80100" is
            # Abbeville's postal code but also the INSEE code of another village.
            by_postal_code = self.filter(postal_codes__contains=query)
            return by_postal_code if by_postal_code.exists() else self.filter(insee_code=query)
        return self.filter(search_name__contains=query).order_by(
            # Exact and prefix matches first: "amiens" before "saint-amiens-quelque-chose".
            models.Case(
                models.When(search_name=query, then=0),
                models.When(search_name__startswith=query, then=1),
                default=2,
            ),
            "-population",
        )


class Commune(models.Model):
    """A commune (village or town), identified by its INSEE code."""

    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("An INSEE code has 5 characters."))],
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    postal_codes = models.CharField(
        _("postal codes"), max_length=100, help_text=_("Separated by semicolons.")
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    epci = models.ForeignKey(
        Epci,
        verbose_name=_("intercommunality"),
        related_name="communes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name

    @property
    def postal_code_list(self) -> list[str]:
        return [code for code in self.postal_codes.split(";") if code]

    def refresh_search_name(self) -> None:
        self.search_name = normalize_for_search(self.name)

    def distance_km(self, other: "Commune") -> float:
        """Great-circle distance between the two communes' centroids, in kilometres."""
        lat1, lon1 = math.radians(self.latitude), math.radians(self.longitude)
        lat2, lon2 = math.radians(other.latitude), math.radians(other.longitude)
        half_chord = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))


class StopStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")


class StopQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date | None = None) -> "StopQuerySet":
        today = today or timezone.localdate()
        return self.filter(date__gte=today).order_by("date", "start_time")

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


class Stop(models.Model):
    """A day when the van parks in a commune, at a place, between two times (an "escale")."""

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
    # Calendar clients only replace an event whose SEQUENCE grew; bumped on every public change.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
        indexes = [models.Index(fields=["date", "commune"])]

    def __str__(self) -> str:
        return f"{self.commune.name}, {self.date:%d/%m/%Y}"

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=PARIS)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=PARIS)

    @property
    def is_cancelled(self) -> bool:
        return self.status == StopStatus.CANCELLED


class ModuleLevel(models.TextChoices):
    BEGINNER = "beginner", _("beginner")
    INTERMEDIATE = "intermediate", _("intermediate")


class ModuleTheme(models.TextChoices):
    """Themes of the national activity report of digital mediation (La Coop)."""

    ADMINISTRATIVE = "demarches", _("help with online administrative procedures")
    MONEY_TAXES = "argent_impots", _("money and taxes")
    HEALTH_SOCIAL = "social_sante", _("social matters and health")
    SOCIAL_NETWORKS = "reseaux_sociaux", _("social networks")
    EMAIL = "email", _("e-mail")
    SECURITY = "securite", _("digital security")
    DEVICE_BASICS = "equipement", _("using a device")
    NAVIGATION = "navigation", _("browsing the internet")


class TutorialModuleQuerySet(models.QuerySet):
    def active(self) -> "TutorialModuleQuerySet":
        return self.filter(is_active=True)


class TutorialModule(ClusterableModel):
    """A tutorial the mediators teach, such as "Créer son compte CAF"."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    goal = models.TextField(_("goal"), help_text=_("What the resident can do afterwards."))
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=ModuleLevel.choices, default=ModuleLevel.BEGINNER
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5)]
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    documents_to_bring = models.TextField(
        _("documents to bring"), blank=True, help_text=_("One document per line.")
    )
    theme = models.CharField(
        _("theme"), max_length=30, choices=ModuleTheme.choices, default=ModuleTheme.ADMINISTRATIVE
    )
    steps = StreamField(
        ModuleStepsBlock(),
        verbose_name=_("steps"),
        blank=True,
        help_text=_("Numbered steps, with tips, warnings and links to the official site."),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    objects = TutorialModuleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("tutorial module")
        verbose_name_plural = _("tutorial modules")

    def __str__(self) -> str:
        return self.title

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents_to_bring.splitlines() if line.strip()]

    @property
    def step_count(self) -> int:
        return sum(1 for block in self.steps if block.block_type == "step")

    def grouped_steps(self) -> tuple[list, list[dict]]:
        """The steps in order, each with the tips, warnings and links written after it.

        Pages render the steps as one ordered list, so a note belongs inside the step it
        follows rather than interrupting the numbering; notes written before the first step
        come back apart, as an introduction.
        """
        introduction, steps = [], []
        for block in self.steps:
            if block.block_type == "step":
                steps.append({"block": block, "notes": []})
            elif steps:
                steps[-1]["notes"].append(block)
            else:
                introduction.append(block)
        return introduction, steps


class ModuleOutcome(Orderable):
    """Something a resident achieved in a module, ticked by the mediator ("compte CAF créé")."""

    module = ParentalKey(TutorialModule, related_name="outcomes", on_delete=models.CASCADE)
    label = models.CharField(_("outcome"), max_length=200)

    class Meta(Orderable.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["module", "label"], name="unique_outcome_per_module")
        ]

    def __str__(self) -> str:
        return self.label


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


@register_setting(icon="site")
class Branding(BaseGenericSetting):
    """Who runs the service and how it looks; another operator sets its own."""

    site_name = models.CharField(
        _("name of the service"), max_length=100, default="Le Bus numérique"
    )
    tagline = models.CharField(
        _("tagline"), max_length=150, default="Le numérique vient à vous", blank=True
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#00527a",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour such as #00527a."))],
        help_text=_("Used for links and buttons on white: it must contrast at least 4.5:1."),
    )
    contact_phone = models.CharField(_("phone number for residents"), max_length=30, default="")
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    operator_name = models.CharField(_("operator"), max_length=200, blank=True)
    operator_address = models.TextField(_("operator's address"), blank=True)
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("branding and contact")

    def clean(self) -> None:
        super().clean()
        if re.fullmatch(r"#[0-9a-fA-F]{6}", self.primary_colour):
            ratio = contrast_ratio(self.primary_colour, "#ffffff")
            if ratio < MINIMUM_CONTRAST:
                raise ValidationError(
                    {
                        "primary_colour": _(
                            "This colour contrasts %(ratio).1f:1 with white; at least 4.5:1 "
                            "is needed for everyone to read it."
                        )
                        % {"ratio": ratio}
                    }
                )
