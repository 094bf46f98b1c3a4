from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchVector,
    SearchVectorField,
)
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from territories.models import Departement, Function, Territory

from .colours import CategoryColour

# Imported here so that the app registers them: their module holds what the editors add.
from .fiche import Era, KeyFigure, Resource, ResourceKind  # noqa: F401 (registers them)
from .french import ImmutableUnaccent
from .managers import SLUG_LABEL, SlugManager
from .partner_kinds import PartnerKind
from .provenance import (  # noqa: F401
    ExampleCategory,
    ExampleFigure,
    ExamplePartner,
    ExampleSource,
    Origin,
)
from .querysets import ExampleManager, PartnerManager
from .search import SEARCH_CONFIG, compose_search_document
from .search_words import SearchWord  # noqa: F401 (registers the model)
from .status import ExampleStatus


class Category(models.Model):
    """One of the four partnership categories of the fiche."""

    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)
    name = models.CharField("nom", max_length=100)
    definition = models.TextField("définition")
    forms = models.TextField(
        "formes", blank=True, help_text="Une forme par ligne, telles que la fiche les décrit."
    )
    forms_are_editorial = models.BooleanField(
        "formes rédigées par l’équipe",
        default=False,
        help_text="Cocher quand la fiche ne détaille pas ces formes : elles sont alors "
        "présentées comme un ajout éditorial, reformulé à partir de sa définition.",
    )
    trends = models.TextField("tendances", blank=True)
    era = models.ForeignKey(
        Era, on_delete=models.PROTECT, related_name="categories", verbose_name="ère"
    )
    share_percent = models.PositiveSmallIntegerField(
        "part des partenariats (%)",
        null=True,
        blank=True,
        help_text="Part des partenariats noués au sein des entreprises d’au moins dix salariés "
        "qui relèvent de cette catégorie ; un partenariat peut combiner plusieurs modes.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    colour = models.CharField(
        "couleur",
        max_length=20,
        choices=CategoryColour.choices,
        default=CategoryColour.BLEU_CANARD,
        help_text="Couleur de ses étiquettes, de ses cartes et du titre de sa page, "
        "choisie dans une palette lisible sur fond blanc.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "catégorie de partenariat"
        verbose_name_plural = "catégories de partenariat"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["examples.era"]  # type: ignore[attr-defined]  # Django's idiom

    def get_absolute_url(self) -> str:
        return reverse("examples:category", args=[self.slug])

    @property
    def form_list(self) -> list[str]:
        return [line.strip() for line in self.forms.splitlines() if line.strip()]


class Theme(models.Model):
    slug = models.SlugField(SLUG_LABEL, max_length=100, unique=True)
    name = models.CharField("nom", max_length=100)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "thème"
        verbose_name_plural = "thèmes"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Partner(models.Model):
    """An organisation that takes part in one or more examples."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(SLUG_LABEL, max_length=200, unique=True)
    kind = models.CharField("type d’acteur", max_length=20, choices=PartnerKind.choices, blank=True)
    website = models.URLField("site web", blank=True)

    objects = PartnerManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("examples:partner", args=[self.slug])

    def published_links(self) -> list["ExamplePartner"]:
        """The published alliances this partner takes part in, with its role in each."""
        return list(
            ExamplePartner.objects.filter(partner=self, example__status=ExampleStatus.PUBLIE)
            .select_related("example")
            .order_by("example__title_key")
        )


#: Named as well as given to the model: the admin writes an example's versions with it
#: (examples/admin_history.py).
EXAMPLE_HISTORY = HistoricalRecords(
    m2m_fields=["categories", "functions", "themes", "departements", "partners"],
    excluded_fields=["search_document", "search_vector", "rank_vector", "title_key"],
    verbose_name="version d’un exemple",
    verbose_name_plural="versions des exemples",
)


class Example(models.Model):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(SLUG_LABEL, max_length=200, unique=True)
    summary = models.CharField("résumé", max_length=300, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(
        "statut",
        max_length=12,
        choices=ExampleStatus.choices,
        default=ExampleStatus.BROUILLON,
        db_index=True,
    )
    origin = models.CharField(
        "origine",
        max_length=10,
        choices=Origin.choices,
        default=Origin.AJOUT,
        help_text="« Cité par la fiche » pour ses 23 exemples ; tout autre exemple est un ajout.",
    )
    fiche_text = models.CharField(
        "ce que dit la fiche",
        max_length=300,
        blank=True,
        help_text="Les mots mêmes de la fiche pour cet exemple, tels qu’elle les écrit.",
    )
    categories = models.ManyToManyField(
        Category,
        through=ExampleCategory,
        related_name="examples",
        blank=True,
        verbose_name="catégories",
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
        "d’envergure nationale",
        default=False,
        help_text="Cocher quand l’exemple ne se rattache à aucun département en particulier.",
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
        Partner,
        through=ExamplePartner,
        related_name="examples",
        blank=True,
        verbose_name="partenaires",
    )
    website = models.URLField("site web", blank=True)
    commune = models.CharField("commune", max_length=200, blank=True)
    place_note = models.CharField(
        "précision sur le lieu",
        max_length=300,
        blank=True,
        help_text="Quand les sources situent l’exemple autrement que la fiche, ou pas du tout.",
    )
    year_started = models.PositiveSmallIntegerField(
        "année de lancement",
        null=True,
        blank=True,
        help_text="Laisser vide quand les sources ne la donnent pas ou divergent.",
    )
    needs_verification = models.BooleanField(
        "à vérifier",
        default=False,
        db_index=True,
        help_text="Les sources ne suffisent pas à décrire l’exemple : l’équipe doit le vérifier.",
    )
    verification_note = models.TextField(
        "ce qu’il reste à vérifier",
        blank=True,
        help_text="Pour l’équipe éditoriale : ce qui est connu, ce qui ne l’est pas.",
    )
    contact_email = models.EmailField(
        "e-mail de contact",
        blank=True,
        help_text="Donné par la personne qui a proposé l’exemple\u00a0; "
        "jamais affiché publiquement.",
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
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", "search_document", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The title and summary alone, to rank the matches: small enough to stay in the row, where
    # ranking tens of thousands of matches reads it without decompressing the full vector.
    rank_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # The directory's order. The database collation is C: without unaccent « École » would sort
    # after « Zèbre ». Stored, so that the index below gives the published examples in this
    # order without computing a key per row.
    title_key = models.GeneratedField(
        expression=ImmutableUnaccent(Lower("title")),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ExampleManager()
    history = EXAMPLE_HISTORY

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
            # The directory's order (title, accents and case aside) among published examples:
            # a page deep in the list, and the directory index's build, are index-only scans.
            models.Index(
                fields=["title_key", "id"],
                name="example_published_title",
                condition=Q(status=ExampleStatus.PUBLIE),
                include=["published_at"],
            ),
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

    def partner_links(self) -> models.QuerySet[ExamplePartner]:
        """The example's partners with their roles, in the order the editors gave."""
        return ExamplePartner.objects.filter(example=self).select_related("partner")

    def classifications(self) -> models.QuerySet[ExampleCategory]:
        """The example's categories with the reason for each, in the categories' order."""
        return (
            ExampleCategory.objects.filter(example=self)
            .select_related("category")
            .order_by("category__order", "category__name")
        )

    def save(self, *args, **kwargs) -> None:
        if self.status == ExampleStatus.PUBLIE and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def build_search_document(self) -> str:
        return compose_search_document(
            partners=self.partners.all(),
            themes=self.themes.all(),
            functions=self.functions.all(),
            categories=self.categories.all(),
            departements=self.departements.select_related("region"),
            territory=self.territory,
        )

    def refresh_search_document(self) -> None:
        document = self.build_search_document()
        if document != self.search_document:
            Example.objects.filter(pk=self.pk).update(search_document=document)
            self.search_document = document


class ExampleAwaitingModeration(Example):
    """The admin's « File de modération »: the same rows as Example, listed apart."""

    class Meta:
        proxy = True
        # The rows are examples: « 2 exemples à modérer », not « 2 file de modération ».
        verbose_name = "exemple à modérer"
        verbose_name_plural = "exemples à modérer"
