"""The examples app's querysets and managers: how the directory asks PostgreSQL for examples
and partners (filters, search, order, exports, admin lists). The models themselves are in
examples/models.py, which gives each its manager."""

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchRank, TrigramSimilarity
from django.db import connection, models
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower

from .french import ImmutableUnaccent, slug_from_title
from .managers import SlugManager
from .provenance import ExamplePartner, ExampleSource
from .search import SEARCH_CONFIG, Matches, clean_search_text, fetch_all, search_query
from .search_words import corrected_search
from .status import ExampleStatus
from .workflow import AWAITING_MODERATION

if TYPE_CHECKING:  # the models import this module: named for the type checker only
    from .models import Example, Partner  # noqa: F401 (used in string annotations)

#: Trigram similarity (0 to 1) from which two titles are taken for a possible duplicate.
DUPLICATE_TITLE_SIMILARITY = 0.6
#: Share of their partners (in common, of all the partners of both) from which two examples
#: are taken to have the same partners.
SAME_PARTNERS_SHARE = 0.8


def website_host(url: str) -> str:
    """The site of an address, « www. » and case aside: `silvergeek.org`."""
    host = urlsplit(url.strip()).hostname or ""
    return host.removeprefix("www.")


def words_sql(text: str) -> str:
    """SQL for the significant words of `text` (SQL): French stems without accents, the
    search's configuration dropping stop words and plurals."""
    return f"tsvector_to_array(to_tsvector('{SEARCH_CONFIG}', {text}))"


def significant_title_words(title: str) -> tuple[list[str], list[str]]:
    """The significant words of `title`, the names of départements and régions aside (« Silver
    Geeks Vienne » is « Silver Geek » in the Vienne), and those names' words."""
    from territories.models import Departement, Region  # the territories import this module

    places = " UNION ".join(
        f"SELECT unnest({words_sql('name')}) FROM {model._meta.db_table}"
        for model in (Departement, Region)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ARRAY(SELECT unnest({words_sql('%s')}) EXCEPT ({places})), ARRAY({places})",
            [title],
        )
        words, place_words = cursor.fetchone()
    return words, place_words


# Whether one title's significant words are all in the other, at least two of them; worked out
# only for the examples whose title holds one of the words (rank_vector's weight A).
SAME_TITLE_WORDS_SQL = """
CASE WHEN {table}.rank_vector @@ %s::tsquery THEN (
    SELECT least(cardinality(theirs.words), %s) >= 2
           AND (theirs.words <@ %s::text[] OR theirs.words @> %s::text[])
    FROM (SELECT ARRAY(SELECT unnest({words}) EXCEPT SELECT unnest(%s::text[])) AS words) theirs
) ELSE false END
"""


def title_similarity(title: str) -> TrigramSimilarity:
    """How close an example's title is to `title` (0 to 1), case and accents aside."""
    return TrigramSimilarity(
        ImmutableUnaccent(Lower("title")),
        # The stubs want a str; Django takes an expression too.
        ImmutableUnaccent(Lower(Value(title, output_field=models.TextField()))),  # type: ignore[arg-type]
    )


def same_title_words(table: str, title: str) -> models.Expression:
    words, place_words = significant_title_words(title)
    if len(words) < 2:
        return Value(False)
    any_word = " | ".join("'{}':A".format(word.replace("'", "''")) for word in words)
    return RawSQL(
        SAME_TITLE_WORDS_SQL.format(table=table, words=words_sql(f"{table}.title")),
        (any_word, len(words), words, words, place_words),
        output_field=models.BooleanField(),
    )


class PartnerQuerySet(models.QuerySet["Partner"]):
    def with_published_examples(self) -> "PartnerQuerySet":
        """Partners of at least one published example, each with `published_count`."""
        published = Q(examples__status=ExampleStatus.PUBLIE)
        return self.annotate(
            published_count=models.Count("examples", filter=published, distinct=True)
        ).filter(published_count__gt=0)


class PartnerManager(SlugManager.from_queryset(PartnerQuerySet)):  # type: ignore[misc]
    pass


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

        def related(relation: str) -> models.QuerySet:
            model = self.model._meta.get_field(relation).related_model
            assert isinstance(model, type)  # a relation's model, never "self" here
            return model._default_manager.filter(examples=OuterRef("pk"))

        def names(relation: str, field: str, order_by: str = "") -> ArraySubquery:
            return ArraySubquery(related(relation).order_by(order_by or field).values(field))

        return self.select_related("territory").annotate(
            category_slugs=names("categories", "slug"),
            function_slugs=names("functions", "slug"),
            theme_slugs=names("themes", "slug"),
            departement_codes=names("departements", "code"),
            departement_names=names("departements", "name"),
            region_names=ArraySubquery(
                related("departements").order_by("region__name").values("region__name").distinct()
            ),
            partner_names=names("partners", "name"),
            partner_kinds=names("partners", "kind", order_by="name"),
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
        return self.filter(status__in=AWAITING_MODERATION).order_by("created_at", "pk")

    def for_admin_list(self) -> "ExampleQuerySet":
        """What the admin lists show, in a fixed number of queries."""
        return self.prefetch_related("categories", "functions", "departements")

    def similar_titles(
        self, title: str, threshold: float = DUPLICATE_TITLE_SIMILARITY
    ) -> "ExampleQuerySet":
        """Examples whose title is close to `title` (trigrams, ignoring case and accents),
        closest first, each with its `title_similarity`."""
        return (
            self.annotate(title_similarity=title_similarity(title))
            .filter(title_similarity__gte=threshold)
            .order_by("-title_similarity", "title")
        )

    def possible_duplicates(self, example: "Example") -> "ExampleQuerySet":
        """Examples that may be `example` entered twice, closest title first. Each has its
        `title_similarity` and the other reasons to think so: `same_title_words` (all the
        significant words of one title are in the other), `same_website` (the same site) and
        `same_partners` (nearly the same partners). Words and partners count only for examples
        placed together: a département in common, both national, or one not placed at all."""
        partner_links = ExamplePartner.objects
        place_links = self.model.departements.through.objects
        partners = list(partner_links.filter(example=example.pk).values_list("partner", flat=True))
        departements = list(
            place_links.filter(example=example.pk).values_list("departement", flat=True)
        )
        placed_together = Q(
            Exists(place_links.filter(example=OuterRef("pk"), departement__in=departements))
        ) | Q(~Exists(place_links.filter(example=OuterRef("pk"))), is_national=False)
        if example.is_national:
            placed_together |= Q(is_national=True)
        elif not departements:
            placed_together = Q(pk__isnull=False)  # placed nowhere, it may be anywhere
        host = website_host(example.website)
        same_website = (
            Q(website__iregex=rf"^https?://(www\.)?{re.escape(host)}([/:?#]|$)")
            if host
            else Q(pk__isnull=True)
        )

        def partner_count(**lookups) -> Coalesce:
            links = partner_links.filter(example=OuterRef("pk"), **lookups)
            return Coalesce(
                Subquery(links.values("example").annotate(count=Count("*")).values("count")), 0
            )

        return (
            self.exclude(pk=example.pk)
            .annotate(
                title_similarity=title_similarity(example.title),
                same_title_words=same_title_words(self.model._meta.db_table, example.title),
                same_website=ExpressionWrapper(same_website, output_field=models.BooleanField()),
                shared_partners=partner_count(partner__in=partners),
                partner_count=partner_count(),
                same_partners=ExpressionWrapper(
                    Q(shared_partners__gte=2)
                    & Q(
                        shared_partners__gte=SAME_PARTNERS_SHARE
                        * (F("partner_count") + len(partners) - F("shared_partners"))
                    ),
                    output_field=models.BooleanField(),
                ),
                placed_together=ExpressionWrapper(
                    placed_together, output_field=models.BooleanField()
                ),
            )
            .filter(
                Q(title_similarity__gte=DUPLICATE_TITLE_SIMILARITY)
                | Q(same_website=True)
                | (Q(same_title_words=True) | Q(same_partners=True)) & Q(placed_together=True)
            )
            .order_by("-title_similarity", "title")
        )

    def available_slug(self, title: str) -> str:
        """A slug made from `title` that no example uses yet."""
        field = self.model._meta.get_field("slug")
        assert isinstance(field, models.SlugField) and field.max_length  # always has one
        max_length = field.max_length
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


class ExampleManager(SlugManager.from_queryset(ExampleQuerySet)):  # type: ignore[misc]
    pass
