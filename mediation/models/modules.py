"""What the van teaches: tutorial modules, their steps and outcomes."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from mediation.blocks import ModuleStepsBlock

MIN_DURATION, MAX_DURATION = 5, 600


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
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_(
            "The end of its page's address (/modules/…/). If you change it, the former "
            "address keeps leading to the page: handouts already printed still work."
        ),
    )
    goal = models.TextField(_("goal"), help_text=_("What the resident can do afterwards."))
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=ModuleLevel.choices, default=ModuleLevel.BEGINNER
    )
    # The bounds of a module file (module_loader): a workshop lasts 5 minutes to 10 hours.
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
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
    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_(
            "Untick to withdraw it: it leaves the list of tutorials and is no longer offered "
            "for new workshops; its page stays readable until its last planned workshop."
        ),
    )

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


class FormerModuleSlug(models.Model):
    """An address a module's page had before: the QR codes of handouts given out still work."""

    slug = models.SlugField(_("former slug"), max_length=200, unique=True)
    module = models.ForeignKey(
        TutorialModule,
        verbose_name=_("tutorial module"),
        related_name="former_slugs",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("former address of a module")
        verbose_name_plural = _("former addresses of modules")

    def __str__(self) -> str:
        return self.slug
