"""Where the van goes: communes and their intercommunalities (EPCI)."""

import math
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.text import normalize_for_search

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
        """Communes whose name or postal code matches what a resident typed.

        Exact and prefix matches come first, then the others, each in French dictionary
        order. A postal code gives every commune that shares it (40 share 80140).
        """
        query = normalize_for_search(text)
        if not query:
            return self.none()
        if query.isdigit():
            # Residents type postal codes; an INSEE code is the fallback. "80100" is
            # Abbeville's postal code but also the INSEE code of another village.
            by_postal_code = self.filter(postal_codes__contains=query).order_by("search_name")
            return by_postal_code if by_postal_code.exists() else self.filter(insee_code=query)
        return self.filter(search_name__contains=query).order_by(
            models.Case(
                models.When(search_name=query, then=0),
                models.When(search_name__startswith=query, then=1),
                default=2,
            ),
            "search_name",
        )

    def in_french_order(self) -> "CommuneQuerySet":
        # search_name is the name without accents or case: É sorts with E, not after Z.
        return self.order_by("search_name")


class Commune(models.Model):
    """A commune (village or town), identified by its INSEE code."""

    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("An INSEE code has 5 characters."))],
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_(
            "The end of its page's address (/communes/…/). If you change it, the former "
            "address keeps leading to the page: flyers already printed still work."
        ),
    )
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
        # The nearest stops are looked up by a range on the coordinates (mediation.schedule).
        indexes = [models.Index(fields=["latitude", "longitude"], name="commune_coordinates")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The search and every list's French order read the search name: kept in step with
        # the name however the commune is saved (the back office's form has no such field;
        # the import, through bulk_create, refreshes it itself).
        self.refresh_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def postal_code_list(self) -> list[str]:
        return [code for code in self.postal_codes.split(";") if code]

    def refresh_search_name(self) -> None:
        self.search_name = normalize_for_search(self.name)

    def distance_km(self, other: "Commune") -> float:
        """Great-circle distance between the two communes' centroids, in kilometres."""
        return great_circle_km(
            float(self.latitude),
            float(self.longitude),
            float(other.latitude),
            float(other.longitude),
        )


class FormerCommuneSlug(models.Model):
    """An address a commune's pages had before: printed flyers and their QR codes still work."""

    slug = models.SlugField(_("former slug"), max_length=200, unique=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="former_slugs", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("former address of a commune")
        verbose_name_plural = _("former addresses of communes")

    def __str__(self) -> str:
        return self.slug


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two points given in degrees, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    half_chord = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))
