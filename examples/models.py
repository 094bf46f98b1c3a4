from collections import defaultdict

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from territories.models import Departement, Function, Territory

# Imported here so that the app registers them: their module holds what the editors add.
from .fiche import Era, KeyFigure, Resource, ResourceKind  # noqa: F401 (registers them)
from .managers import SlugManager
from .provenance import (  # noqa: F401
    ExampleCategory,
    ExampleFigure,
    ExamplePartner,
    ExampleSource,
    Origin,
)
from .search import SEARCH_CONFIG, Matches, clean_search_text, fetch_all, search_query
from .search_words import SearchWord, corrected_search  # noqa: F401 (registers the model)
from .status import ExampleStatus

#: Trigram similarity (0 to 1) from which two titles are taken for a possible duplicate.
DUPLICATE_TITLE_SIMILARITY = 0.6


def slug_from_title(title: str) -> str:
    """slugify() drops apostrophes: « L’atelier d’Ain » would become `latelier-dain`."""
    return slugify(title.replace("’", " ").replace("'", " "))


class ImmutableUnaccent(models.Func):
    """unaccent() wrapped in an IMMUTABLE SQL function (created by a migration), so that
    indexes can use it."""

    function = "immutable_unaccent"
    output_field = models.TextField()


class Category(models.Model):
    """One of the four partnership categories of the fiche."""

    slug = models.SlugField(max_length=100, unique=True)
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
    slug = models.SlugField(max_length=100, unique=True)
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


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    ENTREPRISE = "entreprise", "Entreprise"
    COLLECTIVITE = "collectivite", "Collectivité"
    FONDATION = "fondation", "Fondation"
    ACTEUR_PUBLIC = "acteur_public", "Acteur public"
    ACADEMIQUE = "academique", "Acteur académique"


PARTNER_GROUP_TITLES = {
    PartnerKind.ASSOCIATION: "Associations",
    PartnerKind.ENTREPRISE: "Entreprises",
    PartnerKind.COLLECTIVITE: "Collectivités",
    PartnerKind.FONDATION: "Fondations",
    PartnerKind.ACTEUR_PUBLIC: "Acteurs publics",
    PartnerKind.ACADEMIQUE: "Acteurs académiques",
    "": "Autres partenaires",
}


class PartnerQuerySet(models.QuerySet["Partner"]):
    def with_published_examples(self) -> "PartnerQuerySet":
        """Partners of at least one published example, each with `published_count`."""
        published = Q(examples__status=ExampleStatus.PUBLIE)
        return self.annotate(
            published_count=models.Count("examples", filter=published, distinct=True)
        ).filter(published_count__gt=0)


class PartnerManager(SlugManager.from_queryset(PartnerQuerySet)):  # type: ignore[misc]
    pass


class Partner(models.Model):
    """An organisation that takes part in one or more examples."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField("type d'acteur", max_length=20, choices=PartnerKind.choices, blank=True)
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
            .order_by(ImmutableUnaccent(Lower("example__title")))
        )


def group_partners_by_kind(partners) -> list[tuple[str, list["Partner"]]]:
    by_kind: dict[str, list[Partner]] = defaultdict(list)
    for partner in partners:
        by_kind[partner.kind].append(partner)
    return [(title, by_kind[kind]) for kind, title in PARTNER_GROUP_TITLES.items() if by_kind[kind]]


def group_partner_links(links) -> list[tuple[str, list[ExamplePartner]]]:
    """Partner links grouped by the partner's kind, in the order of PartnerKind, unknown kinds
    last."""
    by_kind: dict[str, list[ExamplePartner]] = defaultdict(list)
    for link in links:
        by_kind[link.partner.kind].append(link)
    return [(title, by_kind[kind]) for kind, title in PARTNER_GROUP_TITLES.items() if by_kind[kind]]


class SortOrder(models.TextChoices):
    PERTINENCE = "pertinence", "Pertinence"
    TITRE = "titre", "Titre (A → Z)"
    RECENT = "recent", "Les plus récents"


def title_order() -> models.OrderBy:
    return F("title_key").asc()


class ExampleQuerySet(models.QuerySet["Example"]):
    def published(self) -> "ExampleQuerySet":
        return self.filter(status=ExampleStatus.PUBLIE)

    def visible_to(self, user) -> "ExampleQuerySet":
        """Everyone sees published examples; staff who may view examples also preview the
        others (drafts, proposals, archives)."""
        if user.is_staff and user.has_perm("examples.view_example"):
            return self.all()
        return self.published()

    def for_cards(self) -> "ExampleQuerySet":
        """What a result card shows of the example itself; the directory index names its
        relations (DirectoryIndex.cards). The long texts and search vectors stay in the
        database."""
        return self.defer(
            "description",
            "proposed_partners",
            "search_document",
            "search_vector",
            "rank_vector",
            "title_key",
        )

    def with_relation_ids(self, *relations: str) -> "ExampleQuerySet":
        """Each example with the ids of its `relations` (many-to-many names: "categories",
        "functions"…) as `<relation>_ids` arrays, read in the same query however many examples:
        the directory index names them (DirectoryIndex.cards and relations_of)."""
        annotations = {}
        for relation in relations:
            field = self.model._meta.get_field(relation)
            assert isinstance(field, models.ManyToManyField) and field.remote_field.through
            through = field.remote_field.through
            annotations[f"{relation}_ids"] = ArraySubquery(
                through._default_manager.filter(**{field.m2m_field_name(): OuterRef("pk")}).values(
                    field.m2m_reverse_field_name()
                )
            )
        return self.annotate(**annotations)

    def for_export(self) -> "ExampleQuerySet":
        """Every related name as an array column: one query, however many rows, so an export
        can stream from a server-side cursor without a prefetch per chunk."""

        def names(queryset, field: str, order_by: str = "") -> ArraySubquery:
            return ArraySubquery(
                queryset.filter(examples=OuterRef("pk")).order_by(order_by or field).values(field)
            )

        return self.select_related("territory").annotate(
            category_slugs=names(Category.objects.all(), "slug"),
            function_slugs=names(Function.objects.all(), "slug"),
            theme_slugs=names(Theme.objects.all(), "slug"),
            departement_codes=names(Departement.objects.all(), "code"),
            departement_names=names(Departement.objects.all(), "name"),
            region_names=ArraySubquery(
                Departement.objects.filter(examples=OuterRef("pk"))
                .order_by("region__name")
                .values("region__name")
                .distinct()
            ),
            partner_names=names(Partner.objects.all(), "name"),
            partner_kinds=names(Partner.objects.all(), "kind", order_by="name"),
            source_urls=ArraySubquery(
                ExampleSource.objects.filter(example=OuterRef("pk"))
                .order_by("-is_fiche", "order", "pk")
                .values("url")
            ),
            source_publishers=ArraySubquery(
                ExampleSource.objects.filter(example=OuterRef("pk"))
                .order_by("-is_fiche", "order", "pk")
                .values("publisher")
            ),
        )

    def awaiting_moderation(self) -> "ExampleQuerySet":
        """Public proposals and drafts submitted for review, oldest first."""
        return self.filter(status__in=[ExampleStatus.PROPOSE, ExampleStatus.A_RELIRE]).order_by(
            "created_at", "pk"
        )

    def for_admin_list(self) -> "ExampleQuerySet":
        """What the admin lists show, in a fixed number of queries."""
        return self.prefetch_related("categories", "functions", "departements")

    def similar_titles(
        self, title: str, threshold: float = DUPLICATE_TITLE_SIMILARITY
    ) -> "ExampleQuerySet":
        """Examples whose title is close to `title` (trigrams, ignoring case and accents),
        closest first, each with its `title_similarity`."""
        return (
            self.annotate(
                title_similarity=TrigramSimilarity(
                    ImmutableUnaccent(Lower("title")),
                    # The stubs want a str; Django takes an expression too.
                    ImmutableUnaccent(Lower(models.Value(title, output_field=models.TextField()))),  # type: ignore[arg-type]
                )
            )
            .filter(title_similarity__gte=threshold)
            .order_by("-title_similarity", "title")
        )

    def available_slug(self, title: str) -> str:
        """A slug made from `title` that no example uses yet."""
        max_length = Example._meta.get_field("slug").max_length
        assert max_length  # a SlugField always has one
        base = slug_from_title(title)[: max_length - 6].strip("-") or "exemple"
        taken = set(self.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def _linked_to(self, relation: str, **lookups) -> "ExampleQuerySet":
        # EXISTS rather than a join: several chosen values never duplicate an example.
        field = self.model._meta.get_field(relation)
        assert isinstance(field, models.ManyToManyField) and field.remote_field.through
        through = field.remote_field.through
        return self.filter(
            Exists(through._default_manager.filter(example=OuterRef("pk"), **lookups))
        )

    def in_categories(self, categories) -> "ExampleQuerySet":
        return self._linked_to("categories", category__in=categories)

    def with_functions(self, functions) -> "ExampleQuerySet":
        return self._linked_to("functions", function__in=functions)

    def with_themes(self, themes) -> "ExampleQuerySet":
        return self._linked_to("themes", theme__in=themes)

    def with_partner_kinds(self, kinds) -> "ExampleQuerySet":
        """Alliances with at least one partner of any of these kinds."""
        return self._linked_to("partners", partner__kind__in=kinds)

    def in_departements(self, departements) -> "ExampleQuerySet":
        return self._linked_to("departements", departement__in=departements)

    def in_regions(self, regions) -> "ExampleQuerySet":
        return self._linked_to("departements", departement__region__in=regions)

    def in_territories(self, territories) -> "ExampleQuerySet":
        return self.filter(territory__in=territories)

    def search(self, text: str, *, exact: bool = False) -> "ExampleQuerySet":
        """French full-text search (websearch syntax: "phrase", -exclusion, or), ranked title
        first. Unless `exact`, each word that no example holds is first corrected to the
        nearest word one holds (examples/search_words.py)."""
        text = clean_search_text(text)
        if not text:
            return self
        return self.text_matches(text if exact else corrected_search(text))

    def search_ranks(self, text: str) -> list[tuple[int, float]]:
        """Every example the search finds (as it is written: see corrected_search()), as
        (pk, search_rank) pairs, in one query. A broad search finds half the directory: the
        rows come straight from the cursor, without a model or a dict each."""
        # search_rank is text_matches()'s annotation, which the stubs' plugin can't see.
        ranks = self.text_matches(text).order_by().values_list("pk", "search_rank")  # type: ignore[misc]
        return fetch_all(ranks)

    def text_matches(self, text: str) -> "ExampleQuerySet":
        """The examples whose text holds the words, each with its `search_rank`: the title
        counts most, then the summary, then the rest (description, partners, places…), which
        matches but does not rank. Ranking reads the small rank vector, never the full one."""
        query = search_query(text)
        return self.filter(Matches(F("search_vector"), query)).annotate(
            search_rank=SearchRank(F("rank_vector"), query)
        )

    def sorted_by(self, order: str) -> "ExampleQuerySet":
        if order == SortOrder.RECENT:
            return self.order_by(F("published_at").desc(nulls_last=True), title_order())
        if order == SortOrder.PERTINENCE and "search_rank" in self.query.annotations:
            return self.order_by(F("search_rank").desc(), title_order())
        return self.order_by(title_order())


class ExampleManager(models.Manager.from_queryset(ExampleQuerySet)):  # type: ignore[misc]  # a call as base
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
    history = HistoricalRecords(
        m2m_fields=[categories, functions, themes, departements, partners],
        excluded_fields=["search_document", "search_vector", "rank_vector", "title_key"],
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
            # The directory's order (title, accents and case aside) among published examples:
            # a page deep in the list, and the directory index's build, are index-only scans.
            models.Index(
                fields=["title_key", "id"],
                name="example_published_title",
                condition=Q(status=ExampleStatus.PUBLIE),
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


def compose_search_document(
    *, partners, themes, functions, categories, departements, territory
) -> str:
    """The names of an example's relations, in the order given, for its search vector."""
    departements = list(departements)
    names = [
        *(partner.name for partner in partners),
        *(theme.name for theme in themes),
        *(function.name for function in functions),
        *(category.name for category in categories),
        *(str(departement) for departement in departements),
        *sorted({departement.region.name for departement in departements}),
    ]
    if territory is not None:
        names.append(territory.name)
    return " ".join(names)


class ExampleAwaitingModeration(Example):
    """The admin's « File de modération »: the same rows as Example, listed apart."""

    class Meta:
        proxy = True
        verbose_name = "exemple à modérer"
        verbose_name_plural = "file de modération"
