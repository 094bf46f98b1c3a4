"""The fiche's reference texts besides its examples: the three eras of partnership relations,
the key figures it quotes and the resources it points to."""

from django.db import models

from .managers import SLUG_LABEL, SlugManager


class Era(models.Model):
    """One of the three eras of partnership relations (mécénat, pratiques responsables,
    co-construction)."""

    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)
    name = models.CharField("nom", max_length=200)
    period = models.CharField("période", max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order"]
        verbose_name = "ère partenariale"
        verbose_name_plural = "ères partenariales"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class KeyFigure(models.Model):
    """A figure the fiche quotes, with the study it comes from."""

    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)
    value = models.CharField("valeur", max_length=50)
    label = models.CharField("intitulé", max_length=300)
    source = models.CharField("source", max_length=300)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order"]
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ResourceKind(models.TextChoices):
    EXAMPLES_BASE = "base_exemples", "Base d’exemples inspirants"
    TERRITORIAL_BASE = "base_territoriale", "Base d’inspiration territoriale"
    KIT = "kit", "Fiche du kit «\u00a0L’ODD 17 en pratique\u00a0»"
    STUDY = "etude", "Étude"
    RESOURCE_CENTER = "centre_ressources", "Centre de ressources"


RESOURCE_GROUP_TITLES = {
    ResourceKind.EXAMPLES_BASE: "Bases d’exemples inspirants",
    ResourceKind.TERRITORIAL_BASE: "Bases d’inspiration territoriale",
    ResourceKind.KIT: "Les fiches du kit «\u00a0L’ODD\u00a017 en pratique\u00a0»",
    ResourceKind.STUDY: "Études",
    ResourceKind.RESOURCE_CENTER: "Centre de ressources",
}


class Resource(models.Model):
    """A resource base, study or tool that the fiche points to."""

    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=ResourceKind.choices)
    description = models.TextField(blank=True)
    url = models.URLField("adresse", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order"]
        verbose_name = "ressource"
        verbose_name_plural = "ressources"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
