from django.contrib.postgres.aggregates import ArrayAgg
from django.db import models
from django.db.models import Q, Value
from django.urls import reverse

from examples.managers import SLUG_LABEL, SlugManager

from .provenance import (  # noqa: F401  (registered with the app from here)
    TerritoryFunctionCarrier,
    TerritoryPartner,
    TerritorySource,
)


class CodeManager(models.Manager):
    """Places are known by their INSEE code, in fixtures as in URLs."""

    def get_by_natural_key(self, code: str):
        return self.get(code=code)


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)

    objects = CodeManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "région"
        verbose_name_plural = "régions"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def get_absolute_url(self) -> str:
        return reverse("territories:region", args=[self.code])


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name="région"
    )

    objects = CodeManager()

    class Meta:
        ordering = ["code"]
        verbose_name = "département"
        verbose_name_plural = "départements"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    natural_key.dependencies = ["territories.region"]  # type: ignore[attr-defined]  # Django's idiom

    def get_absolute_url(self) -> str:
        return reverse("territories:departement", args=[self.code])


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def with_departement_codes(self) -> "TerritoryQuerySet":
        """Each territory with the codes of its départements, in order, as
        `departement_codes`: one query, where a prefetch takes two."""
        return self.annotate(
            departement_codes=ArrayAgg(
                "departements__code",
                order_by="departements__code",
                filter=Q(departements__isnull=False),
                default=Value([]),
            )
        )


class TerritoryManager(SlugManager.from_queryset(TerritoryQuerySet)):  # type: ignore[misc]
    pass


class Territory(models.Model):
    """A named local territory, such as a territoire of the Grand Paris."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(SLUG_LABEL, max_length=200, unique=True)
    summary = models.CharField(
        "résumé",
        max_length=300,
        blank=True,
        help_text="Une ou deux phrases qui disent ce qu’est le territoire, d’après les sources.",
    )
    description = models.TextField(
        blank=True, help_text="Les paragraphes sont séparés par une ligne vide."
    )
    website = models.URLField("site web", blank=True)
    last_verified_at = models.DateField(
        "dernière vérification",
        null=True,
        blank=True,
        help_text="Le jour où l’équipe a relu la présentation et ses sources.",
    )
    departements = models.ManyToManyField(
        Departement, related_name="territories", blank=True, verbose_name="départements"
    )

    objects = TerritoryManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "territoire"
        verbose_name_plural = "territoires"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["territories.departement"]  # type: ignore[attr-defined]  # Django's idiom

    def get_absolute_url(self) -> str:
        return reverse("territories:territory", args=[self.slug])


class Function(models.Model):
    """One of the four territorial co-construction functions (métiers) of the fiche."""

    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)
    name = models.CharField("nom", max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "fonction de co-construction"
        verbose_name_plural = "fonctions de co-construction"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("examples:function", args=[self.slug])


class ActivityManager(models.Manager["Activity"]):
    def get_by_natural_key(self, function_slug: str, order: int) -> "Activity":
        return self.get(function__slug=function_slug, order=order)


class Activity(models.Model):
    function = models.ForeignKey(
        Function, on_delete=models.CASCADE, related_name="activities", verbose_name="fonction"
    )
    name = models.CharField("activité", max_length=200)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = ActivityManager()

    class Meta:
        ordering = ["function", "order"]
        constraints = [
            models.UniqueConstraint(fields=["function", "order"], name="unique_activity_order")
        ]
        verbose_name = "activité"
        verbose_name_plural = "activités"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, int]:
        return (self.function.slug, self.order)

    natural_key.dependencies = ["territories.function"]  # type: ignore[attr-defined]  # Django's idiom
