"""Where an example's facts come from, and what the editorial team added to the fiche: its
sources, its dated figures, its partners' roles and the reasons for its categories.

The fiche only names its examples: everything here is an editorial addition, shown as such on
the example's page, each fact with the source that supports it.
"""

from django.db import models

FICHE_PUBLISHER = "Mission ministérielle sur les alliances stratégiques"


class Origin(models.TextChoices):
    FICHE = "fiche", "Cité par la fiche"
    AJOUT = "ajout", "Ajout éditorial"


class PublicSource(models.Model):
    """A public page that supports some facts of a page of the directory."""

    url = models.URLField("adresse", max_length=600)
    publisher = models.CharField("éditeur", max_length=200)
    title = models.CharField("titre", max_length=300, blank=True)
    supports = models.TextField(
        "ce qu’elle établit", blank=True, help_text="Les faits que cette source appuie."
    )
    consulted_on = models.DateField("consultée le", null=True, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]
        verbose_name = "source"
        verbose_name_plural = "sources"

    def __str__(self) -> str:
        return self.title or self.publisher


class ExampleSource(PublicSource):
    """A source of an example's facts; the fiche itself, when it cites the example, comes
    first."""

    example = models.ForeignKey(
        "examples.Example", on_delete=models.CASCADE, related_name="sources"
    )
    is_fiche = models.BooleanField(
        "la fiche elle-même",
        default=False,
        help_text="La fiche « Exemples inspirants » : toujours citée en premier.",
    )

    class Meta(PublicSource.Meta):
        ordering = ["-is_fiche", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["example", "url"], name="example_source_unique_url")
        ]


class ExampleFigure(models.Model):
    """A figure about an example, with its date and its source."""

    example = models.ForeignKey(
        "examples.Example", on_delete=models.CASCADE, related_name="figures"
    )
    text = models.CharField("chiffre", max_length=400)
    date = models.CharField(
        "date", max_length=200, blank=True, help_text="Par exemple « mars 2018 »."
    )
    source_url = models.URLField("source", max_length=600, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "chiffre"
        verbose_name_plural = "chiffres"

    def __str__(self) -> str:
        return self.text


class ExamplePartner(models.Model):
    """A partner's part in one alliance."""

    example = models.ForeignKey("examples.Example", on_delete=models.CASCADE)
    partner = models.ForeignKey(
        "examples.Partner", on_delete=models.CASCADE, verbose_name="partenaire"
    )
    role = models.CharField(
        "rôle", max_length=200, blank=True, help_text="Mécène, co-pilote, financeur, hébergeur…"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        db_table = "examples_example_partners"
        ordering = ["order", "pk"]
        verbose_name = "rôle d’un partenaire"
        verbose_name_plural = "partenaires et rôles"
        constraints = [
            models.UniqueConstraint(
                fields=["example", "partner"], name="examples_example_partners_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.role})" if self.role else str(self.partner)


class ExampleCategory(models.Model):
    """The editorial classification of an example in a category, with its grounding."""

    example = models.ForeignKey("examples.Example", on_delete=models.CASCADE)
    category = models.ForeignKey(
        "examples.Category", on_delete=models.CASCADE, verbose_name="catégorie"
    )
    reason = models.TextField(
        "raison du classement",
        blank=True,
        help_text="Une phrase : le fait, tiré des sources, qui justifie ce classement.",
    )

    class Meta:
        db_table = "examples_example_categories"
        verbose_name = "classement éditorial"
        verbose_name_plural = "classements éditoriaux"
        constraints = [
            models.UniqueConstraint(
                fields=["example", "category"], name="examples_example_categories_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.category)
