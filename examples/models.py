from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from territories.models import Departement, Function, Territory

from .status import ExampleStatus, PublishedCountQuerySet

SEARCH_CONFIG = "french_unaccent"


class ImmutableUnaccent(models.Func):
    """unaccent() wrapped in an IMMUTABLE SQL function (created by a migration), so that
    indexes can use it."""

    function = "immutable_unaccent"
    output_field = models.TextField()


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class CountedSlugManager(SlugManager.from_queryset(PublishedCountQuerySet)):
    pass


class Era(models.Model):
    """One of the three eras of partnership relations (mécénat, pratiques responsables,
    co-construction)."""

    slug = models.SlugField(max_length=100, unique=True)
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


class Category(models.Model):
    """One of the four partnership categories of the fiche."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField("nom", max_length=100)
    definition = models.TextField("définition")
    forms = models.TextField(
        "formes", blank=True, help_text="Une forme par ligne, telles que la fiche les décrit."
    )
    trends = models.TextField("tendances", blank=True)
    era = models.ForeignKey(
        Era, on_delete=models.PROTECT, related_name="categories", verbose_name="ère"
    )
    share_percent = models.PositiveSmallIntegerField(
        "part des partenariats (%)",
        null=True,
        blank=True,
        help_text="Part des partenariats en France qui relèvent de cette catégorie.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = CountedSlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "catégorie de partenariat"
        verbose_name_plural = "catégories de partenariat"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["examples.era"]

    def get_absolute_url(self) -> str:
        return reverse("examples:category", args=[self.slug])

    @property
    def form_list(self) -> list[str]:
        return [line.strip() for line in self.forms.splitlines() if line.strip()]


class Theme(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField("nom", max_length=100)

    objects = CountedSlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "thème"
        verbose_name_plural = "thèmes"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    ENTREPRISE = "entreprise", "Entreprise"
    COLLECTIVITE = "collectivite", "Collectivité"
    FONDATION = "fondation", "Fondation"
    ACTEUR_PUBLIC = "acteur_public", "Acteur public"
    ACADEMIQUE = "academique", "Acteur académique"


class Partner(models.Model):
    """An organisation that takes part in one or more examples."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField("type d'acteur", max_length=20, choices=PartnerKind.choices, blank=True)
    website = models.URLField("site web", blank=True)
    is_generated = models.BooleanField(
        "généré pour les tests de charge",
        default=False,
        editable=False,
        help_text="Créé par la commande generate_examples, qui le supprime avec --delete.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ExampleQuerySet(models.QuerySet["Example"]):
    def published(self) -> "ExampleQuerySet":
        return self.filter(status=ExampleStatus.PUBLIE)

    def for_cards(self) -> "ExampleQuerySet":
        """What a result card shows, in a fixed number of queries."""
        return self.select_related("territory").prefetch_related(
            "categories", "functions", "themes", "departements"
        )

    def latest_published(self) -> "ExampleQuerySet":
        return self.published().order_by("-published_at", "-pk")


class ExampleManager(models.Manager.from_queryset(ExampleQuerySet)):
    def get_by_natural_key(self, slug: str) -> "Example":
        return self.get(slug=slug)


class Example(models.Model):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField("résumé", max_length=300, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(
        "statut",
        max_length=12,
        choices=ExampleStatus.choices,
        default=ExampleStatus.BROUILLON,
        db_index=True,
    )
    categories = models.ManyToManyField(
        Category, related_name="examples", blank=True, verbose_name="catégories"
    )
    functions = models.ManyToManyField(
        Function, related_name="examples", blank=True, verbose_name="fonctions"
    )
    themes = models.ManyToManyField(
        Theme, related_name="examples", blank=True, verbose_name="thèmes"
    )
    departements = models.ManyToManyField(
        Departement, related_name="examples", blank=True, verbose_name="départements"
    )
    is_national = models.BooleanField(
        "d'envergure nationale",
        default=False,
        help_text="Cocher quand l'exemple ne se rattache à aucun département en particulier.",
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="examples",
        verbose_name="territoire",
    )
    partners = models.ManyToManyField(
        Partner, related_name="examples", blank=True, verbose_name="partenaires"
    )
    website = models.URLField("site web", blank=True)
    source = models.CharField("source", max_length=500, blank=True)
    source_url = models.URLField("lien vers la source", blank=True)
    contact_email = models.EmailField(
        "e-mail de contact",
        blank=True,
        help_text="Donné par la personne qui a proposé l'exemple ; jamais affiché publiquement.",
    )
    proposed_partners = models.TextField(
        "partenaires indiqués par le public",
        blank=True,
        help_text="Texte libre du formulaire de proposition, à reprendre en partenaires.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    last_verified_at = models.DateField("dernière vérification", null=True, blank=True)
    search_document = models.TextField(
        "texte des relations indexé",
        blank=True,
        editable=False,
        help_text="Noms des partenaires, thèmes, fonctions, catégories et territoires, "
        "recopiés ici pour que la recherche plein texte les trouve.",
    )
    is_generated = models.BooleanField(
        "généré pour les tests de charge",
        default=False,
        editable=False,
        help_text="Créé par la commande generate_examples, qui le supprime avec --delete.",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", "search_document", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ExampleManager()
    history = HistoricalRecords(
        m2m_fields=[categories, functions, themes, departements, partners],
        excluded_fields=["search_document", "search_vector"],
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "exemple"
        verbose_name_plural = "exemples"
        permissions = [("publish_example", "Peut publier et archiver un exemple")]
        indexes = [
            GinIndex(fields=["search_vector"], name="example_search_vector"),
            GinIndex(
                OpClass(ImmutableUnaccent(Lower("title")), name="gin_trgm_ops"),
                name="example_title_trgm",
            ),
            models.Index(fields=["status", "-published_at"], name="example_status_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("examples:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == ExampleStatus.PUBLIE

    def save(self, *args, **kwargs) -> None:
        if self.status == ExampleStatus.PUBLIE and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def build_search_document(self) -> str:
        names = [
            *(partner.name for partner in self.partners.all()),
            *(theme.name for theme in self.themes.all()),
            *(function.name for function in self.functions.all()),
            *(category.name for category in self.categories.all()),
            *(str(departement) for departement in self.departements.all()),
        ]
        if self.territory_id:
            names.append(self.territory.name)
        return " ".join(names)

    def refresh_search_document(self) -> None:
        document = self.build_search_document()
        if document != self.search_document:
            Example.objects.filter(pk=self.pk).update(search_document=document)
            self.search_document = document


class KeyFigure(models.Model):
    """A figure the fiche quotes, with the study it comes from."""

    slug = models.SlugField(max_length=100, unique=True)
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
    EXAMPLES_BASE = "base_exemples", "Base d'exemples inspirants"
    TERRITORIAL_BASE = "base_territoriale", "Base d'inspiration territoriale"
    KIT = "kit", "Fiche du kit « L'ODD 17 en pratique »"
    STUDY = "etude", "Étude"
    RESOURCE_CENTER = "centre_ressources", "Centre de ressources"


class Resource(models.Model):
    """A resource base, study or tool that the fiche points to."""

    slug = models.SlugField(max_length=100, unique=True)
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
