"""An in-memory index of the published examples: what the directory's facets count, filter and
order, in a fraction of a millisecond however many examples there are.

PostgreSQL finds which examples match a search or a filter quickly. What it cannot do quickly is
count, for every value of every facet, how many examples of a large result hold that value: on
100,000 examples that is hundreds of milliseconds of joins and aggregates per page (see
docs/performance.md). So each process keeps, for every facet, which examples hold which value,
as numpy arrays over the examples' positions in the directory's title order. A page's counts,
its total and its map are then a few vectorised passes over those arrays, and a page of results
in title or date order is a slice of positions: the database is only asked for the twenty
examples to show.

Two queries build it (the published examples in title order; every facet value with its
examples). A search is PostgreSQL's: the index only orders and counts what it finds. A process
rebuilds it when the directory's version changes (any write by anyone to what public pages read,
counted by PostgreSQL, see examples/directory_version.py: read once per request, it reaches
every process at once) and at the latest after DIRECTORY_INDEX_SECONDS.
"""

import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Self

import numpy as np
from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    BigIntegerField,
    CharField,
    F,
    Min,
    Prefetch,
    Q,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from django.urls import reverse

from config import page_cache
from territories.models import Departement, Function, Territory

from .models import (
    Category,
    Example,
    Partner,
    PartnerKind,
    SortOrder,
    Theme,
    title_order,
)

FACETS = ("categorie", "fonction", "theme", "type_partenaire", "region", "departement")
PARTNER_KIND = "type_partenaire"
# Named territories filter the list too, but are not offered as a facet.
FILTERS = (*FACETS, "territoire")
PLACE_FILTERS = ("region", "departement", "territoire")
# What an example's page names of its relations, besides its partners and territory, and what
# a result card names.
PAGE_FACETS = ("categorie", "fonction", "theme", "departement", "region")
CARD_FACETS = ("categorie", "fonction", "departement", "territoire")
RANKED = np.dtype([("pk", np.int64), ("rank", np.float64)])


def french_sort_key(text: str) -> str:
    """Case and accents aside, as the database's immutable_unaccent(lower()) orders."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class FacetValue:
    """One value a facet offers: a category, a function, a theme, a kind of partner, a région or
    a département."""

    facet: str
    pk: int
    key: str  # the value in URLs: a slug, or an INSEE code for places
    name: str
    group: str = ""  # a département's région

    def __str__(self) -> str:
        return f"{self.name} ({self.key})" if self.facet == "departement" else self.name

    def get_absolute_url(self) -> str:
        route = {
            "categorie": "examples:category",
            "fonction": "examples:function",
            "region": "territories:region",
            "departement": "territories:departement",
            "territoire": "territories:territory",
        }.get(self.facet)
        if route is None:
            return f"{reverse('examples:list')}?{self.facet}={self.key}"
        return reverse(route, args=[self.key])


@dataclass
class FacetMembers:
    """Which examples hold each value of one facet: `positions` lists example positions
    value after value, `starts` where each value's run begins. The same pairs sorted by
    position (`held_positions`, with the value numbers in `held_numbers`) say which values one
    example holds."""

    values: list[FacetValue]
    positions: np.ndarray
    starts: np.ndarray
    by_key: dict[str, FacetValue] = field(init=False)
    index_of_pk: dict[int, int] = field(init=False)
    empty_runs: np.ndarray = field(init=False)
    held_positions: np.ndarray = field(init=False)
    held_numbers: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        runs = np.diff(self.starts)
        self.empty_runs = runs == 0
        self.by_key = {value.key: value for value in self.values}
        self.index_of_pk = {value.pk: number for number, value in enumerate(self.values)}
        # Stable: an example's values keep the facet's order.
        by_position = np.argsort(self.positions, kind="stable")
        self.held_positions = self.positions[by_position]
        self.held_numbers = np.repeat(np.arange(len(self.values)), runs)[by_position]

    @classmethod
    def from_lists(cls, values: list[FacetValue], members: list[np.ndarray]) -> Self:
        lengths = [len(positions) for positions in members]
        return cls(
            values=values,
            positions=np.concatenate([*members, np.empty(0, np.int64)]).astype(np.int64),
            starts=np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]),
        )

    def members_of(self, pk: int) -> np.ndarray:
        number = self.index_of_pk.get(pk)
        if number is None:  # a value added since the index was built
            return self.positions[:0]
        return self.positions[self.starts[number] : self.starts[number + 1]]

    def held_by(self, positions: np.ndarray) -> list[list[FacetValue]]:
        """For each example position, the values the example holds, in the facet's order."""
        starts = np.searchsorted(self.held_positions, positions, side="left").tolist()
        ends = np.searchsorted(self.held_positions, positions, side="right").tolist()
        return [
            [self.values[number] for number in self.held_numbers[start:end].tolist()]
            for start, end in zip(starts, ends, strict=True)
        ]


class DirectoryIndex:
    """The published examples, by position in the directory's title order."""

    _current: "DirectoryIndex | None" = None
    _lock = threading.Lock()

    def __init__(
        self,
        ids: np.ndarray,
        published_at: Sequence,
        facets: dict[str, FacetMembers],
        generation: int | None,
    ):
        self.ids = ids
        self.size = len(ids)
        self.facets = facets
        self.generation = generation
        self.built_at = time.monotonic()
        self._id_order = np.argsort(ids, kind="stable")
        self._sorted_ids = ids[self._id_order]
        # Most recent first, undated last, then by title: SortOrder.RECENT.
        timestamps = np.array(
            [moment.timestamp() if moment else 0.0 for moment in published_at], dtype=np.float64
        )
        undated = np.array([moment is None for moment in published_at], dtype=bool)
        self.recency = np.lexsort((np.arange(self.size), -timestamps, undated))

    # Building and keeping

    @classmethod
    def current(cls) -> "DirectoryIndex":
        """This process's index, rebuilt first if the directory changed or it is too old."""
        # Read before any build: an index is then never labelled newer than what it holds.
        generation = page_cache.current_generation()
        index = cls._current
        if index is not None and index.is_fresh(generation):
            return index
        # One thread rebuilds; the others keep serving the previous index meanwhile rather
        # than all waiting (a rebuild takes most of a second at 100,000 examples).
        if not cls._lock.acquire(blocking=index is None):
            return index
        try:
            index = cls._current
            if index is None or not index.is_fresh(generation):
                index = cls.build(generation)
                # With no lifetime (tests), each page builds its own: keeping it would only
                # let a later page see an index it did not build.
                cls._current = index if settings.DIRECTORY_INDEX_SECONDS else None
            return index
        finally:
            cls._lock.release()

    def is_fresh(self, generation: int) -> bool:
        """Built at this version of the directory, and younger than DIRECTORY_INDEX_SECONDS."""
        age = time.monotonic() - self.built_at
        return self.generation == generation and age < settings.DIRECTORY_INDEX_SECONDS

    @classmethod
    def build(cls, generation: int | None) -> "DirectoryIndex":
        rows = list(
            Example.objects.published()
            .order_by(title_order(), "pk")
            .values_list("pk", "published_at")
        )
        ids = np.array([pk for pk, _ in rows], dtype=np.int64)
        index = cls(ids, [published_at for _, published_at in rows], {}, generation)
        index.facets = index._facets_from(facet_rows())
        return index

    def _facets_from(self, rows: Iterable[tuple]) -> dict[str, FacetMembers]:
        lists: dict[str, list[tuple]] = {name: [] for name in FILTERS}
        regions: dict[int, tuple[tuple, FacetValue, list[np.ndarray]]] = {}
        for facet, pk, key, name, order, region_pk, region_code, region_name, ids in rows:
            positions = self.positions_of(ids)
            if facet == "departement":
                value = FacetValue(facet, pk, key, name, group=region_name)
                lists[facet].append(((french_sort_key(region_name), key), value, positions))
                region = regions.setdefault(
                    region_pk,
                    (
                        (french_sort_key(region_name),),
                        FacetValue("region", region_pk, region_code, region_name),
                        [],
                    ),
                )
                region[2].append(positions)
            else:
                if facet == PARTNER_KIND:
                    name = PartnerKind(key).label
                    order = list(PartnerKind).index(key)
                sort_key = (order, french_sort_key(name))
                lists[facet].append((sort_key, FacetValue(facet, pk, key, name), positions))
        for sort_key, value, parts in regions.values():
            # An example in two départements of one région counts once there.
            lists["region"].append((sort_key, value, np.unique(np.concatenate(parts))))
        facets = {}
        for name, entries in lists.items():
            entries.sort(key=lambda entry: entry[0])
            facets[name] = FacetMembers.from_lists(
                [value for _, value, _ in entries], [positions for _, _, positions in entries]
            )
        return facets

    # Reading

    def _locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each id, its position and whether the index holds it at all."""
        if not self.size:
            return np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
        slots = np.searchsorted(self._sorted_ids, ids).clip(max=self.size - 1)
        return self._id_order[slots], self._sorted_ids[slots] == ids

    def positions_of(self, ids: Iterable[int]) -> np.ndarray:
        """The positions of the given example ids, leaving out those not published."""
        positions, found = self._locate(np.fromiter(ids, dtype=np.int64))
        return positions[found]

    def ranked(self, pairs: Sequence[tuple[int, float]]) -> np.ndarray:
        """The positions of the (id, rank) examples, best rank first, then in title order."""
        found_pairs = np.fromiter(pairs, dtype=RANKED, count=len(pairs))
        positions, found = self._locate(found_pairs["pk"])
        positions = positions[found]
        ranks = found_pairs["rank"][found]
        return positions[np.lexsort((positions, -ranks))]

    def search(self, text: str) -> np.ndarray:
        """The positions of the examples a search finds (as written: the caller corrects it,
        see examples/search_words.py), best first as PostgreSQL ranks them, then in title
        order."""
        return self.ranked(Example.objects.published().search_ranks(text))

    def everything(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def mask_of(self, positions: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[positions] = True
        return mask

    def having(self, facet: str, values: Iterable) -> np.ndarray:
        """The examples holding any of the values (FacetValues, model instances or pks)."""
        members = self.facets[facet]
        mask = np.zeros(self.size, dtype=bool)
        for value in values:
            mask[members.members_of(getattr(value, "pk", value))] = True
        return mask

    def counts(self, facet: str, mask: np.ndarray) -> list[tuple[FacetValue, int]]:
        """Each value of the facet, in display order, with how many examples of `mask` hold it."""
        members = self.facets[facet]
        # Each value's members are one run of `positions`, added up in one pass. reduceat
        # gives an empty run the element where it starts rather than 0, and cannot start one
        # past the end: hence the padding and the reset.
        held = np.append(mask[members.positions], False).view(np.uint8)
        totals = np.add.reduceat(held, members.starts[:-1], dtype=np.int64)
        totals[members.empty_runs] = 0
        return list(zip(members.values, totals.tolist(), strict=True))

    def departement_counts(self, mask: np.ndarray) -> tuple[dict[str, int], dict[str, str]]:
        """What a map of France shades: the count of each département by code, and its name."""
        counts = self.counts("departement", mask)
        return (
            {value.key: count for value, count in counts},
            {value.key: value.name for value, _ in counts},
        )

    def value(self, facet: str, key: str) -> FacetValue | None:
        return self.facets[facet].by_key.get(key)

    def values(self, facet: str) -> list[FacetValue]:
        return self.facets[facet].values

    def ordered(self, mask: np.ndarray, order: str) -> np.ndarray:
        """The positions in `mask`, in title or date order."""
        if order == SortOrder.RECENT:
            return self.recency[mask[self.recency]]
        return np.flatnonzero(mask)

    def latest(self, count: int, mask: np.ndarray | None = None) -> list[Example]:
        """The `count` most recently published examples (of `mask`), ready for cards."""
        positions = self.recency if mask is None else self.recency[mask[self.recency]]
        return self.cards(self.ids[positions[:count]].tolist())

    def results(self, facet: str, value) -> "IndexedResults":
        """Every example holding the value, in title order."""
        return IndexedResults(self.ids[np.flatnonzero(self.having(facet, [value]))], self)

    def relations_of(self, example: Example) -> dict[str, list[FacetValue]]:
        """The example's values of each of PAGE_FACETS, in the facet's order (départements by
        code). A published example this index holds needs no query, its values being as fresh
        as the index's counts; a draft previewed by the team, or an example published since the
        index was built, is read from the database."""
        positions, found = self._locate(np.array([example.pk], np.int64))
        if not (example.is_published and found[0]):
            return relations_in_database(example)
        return self.held(positions, PAGE_FACETS)[0]

    def held(self, positions: np.ndarray, facets: Sequence[str]) -> list[dict[str, list]]:
        """For each example position, the values it holds of each facet: in the facet's order,
        départements by code as pages list them (the facet groups them by région)."""
        per_facet = [self.facets[facet].held_by(positions) for facet in facets]
        held = [dict(zip(facets, values, strict=True)) for values in zip(*per_facet, strict=True)]
        for values in held:
            if "departement" in values:
                values["departement"].sort(key=attrgetter("key"))
        return held

    def related(
        self, example: Example, relations: dict[str, list[FacetValue]], count: int
    ) -> list[Example]:
        """Published examples of the example's territory first, then of its départements
        (among its `relations`), then of its functions, the most recent first in each."""
        closeness = self.having("departement", relations["departement"]).view(np.int8) * 2
        closeness += self.having("fonction", relations["fonction"]).view(np.int8)
        if example.territory_id:
            closeness += self.having("territoire", [example.territory_id]).view(np.int8) * 4
        closeness[self.positions_of([example.pk])] = 0
        # A stable sort of small integers is a radix sort: the closest first, and within each
        # closeness the recency order kept, in one linear pass over the directory.
        nearest = self.recency[np.argsort(-closeness[self.recency], kind="stable")[:count]]
        return self.cards(self.ids[nearest[closeness[nearest] > 0]].tolist())

    def cards(self, ids: list[int]) -> list[Example]:
        """The published examples with these ids (ids this index holds), in this order, ready
        for result cards: one query for the examples alone, whose categories, functions,
        départements and territory this index names. Fetching those relations with them cost
        more than the rest of the page's queries together, as a prefetch or as array
        subqueries (docs/performance.md)."""
        examples = fetch_examples(ids, Example.objects.published().for_cards())
        positions = self.positions_of(example.pk for example in examples)
        for example, values in zip(examples, self.held(positions, CARD_FACETS), strict=True):
            example.card_categories = values["categorie"]
            example.card_functions = values["fonction"]
            example.card_departements = values["departement"]
            example.card_territory = next(iter(values["territoire"]), None)
        return examples

    def with_counts(self, facet: str, objects: Iterable, mask: np.ndarray | None = None) -> list:
        """The facet's model instances, each with its `published_count` (among `mask`)."""
        counts = {
            value.pk: count
            for value, count in self.counts(facet, self.everything() if mask is None else mask)
        }
        objects = list(objects)
        for obj in objects:
            obj.published_count = counts.get(obj.pk, 0)
        return objects


class IndexedResults(Sequence):
    """The ordered ids of a result, for the Paginator: counting costs nothing, and a slice
    fetches only its examples, ready for result cards."""

    def __init__(self, ids: np.ndarray, index: DirectoryIndex):
        self.ids = ids
        self.index = index

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.index.cards(self.ids[key].tolist())
        return self.index.cards([int(self.ids[key])])[0]

    def __iter__(self):
        return iter(self[:])


def fetch_examples(ids: list[int], queryset) -> list[Example]:
    """The examples of `queryset` with these ids, in their order. Ask for published ones: an
    example unpublished since the index was built then drops out."""
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def relations_in_database(example: Example) -> dict[str, list[FacetValue]]:
    """What DirectoryIndex.relations_of() gives, in four queries."""
    prefetch_related_objects(
        [example],
        "categories",
        "functions",
        "themes",
        Prefetch("departements", queryset=Departement.objects.select_related("region")),
    )
    departements = list(example.departements.all())
    regions = {departement.region_id: departement.region for departement in departements}

    def in_french_order(values: Iterable[FacetValue]) -> list[FacetValue]:
        return sorted(values, key=lambda value: french_sort_key(value.name))

    return {
        "categorie": [
            FacetValue("categorie", category.pk, category.slug, category.name)
            for category in example.categories.all()
        ],
        "fonction": [
            FacetValue("fonction", function.pk, function.slug, function.name)
            for function in example.functions.all()
        ],
        "theme": in_french_order(
            FacetValue("theme", theme.pk, theme.slug, theme.name) for theme in example.themes.all()
        ),
        "departement": [
            FacetValue(
                "departement",
                departement.pk,
                departement.code,
                departement.name,
                group=departement.region.name,
            )
            for departement in departements
        ],
        "region": in_french_order(
            FacetValue("region", region.pk, region.code, region.name) for region in regions.values()
        ),
    }


def facet_rows():
    """Every facet value with the ids of the examples that hold it (published or not: the
    index keeps those it knows), in one query. Régions come with their départements."""
    text, number = CharField(), BigIntegerField()

    def rows(model, facet: str, key: str, order, region=None):
        # Typed NULLs: the first query of a UNION gives each column its type.
        region_pk, region_code, region_name = region or (
            Cast(Value(None), number),
            Cast(Value(None), text),
            Cast(Value(None), text),
        )
        return (
            model.objects.order_by()
            .annotate(
                facet=Value(facet, output_field=text),
                value_key=F(key),
                sort_order=order,
                region_pk=region_pk,
                region_code=region_code,
                region_name=region_name,
                member_ids=ArrayAgg(
                    "examples__id", filter=Q(examples__isnull=False), default=Value([])
                ),
            )
            .values_list(
                "facet",
                "pk",
                "value_key",
                "name",
                "sort_order",
                "region_pk",
                "region_code",
                "region_name",
                "member_ids",
            )
        )

    unordered = Value(0, output_field=number)
    # One row per kind of partner: its key is the kind, its pk one of its partners'.
    partner_kinds = (
        Partner.objects.exclude(kind="")
        .order_by()
        .values("kind")
        .annotate(
            facet=Value(PARTNER_KIND, output_field=text),
            value_pk=Min("pk"),
            value_key=F("kind"),
            value_name=F("kind"),
            sort_order=unordered,
            region_pk=Cast(Value(None), number),
            region_code=Cast(Value(None), text),
            region_name=Cast(Value(None), text),
            member_ids=ArrayAgg(
                "examples__id",
                distinct=True,
                filter=Q(examples__isnull=False),
                default=Value([]),
            ),
        )
        .values_list(
            "facet",
            "value_pk",
            "value_key",
            "value_name",
            "sort_order",
            "region_pk",
            "region_code",
            "region_name",
            "member_ids",
        )
    )
    return (
        rows(Category, "categorie", "slug", F("order"))
        .union(
            partner_kinds,
            rows(Function, "fonction", "slug", F("order")),
            rows(Theme, "theme", "slug", unordered),
            rows(Territory, "territoire", "slug", unordered),
            rows(
                Departement,
                "departement",
                "code",
                unordered,
                region=(F("region_id"), F("region__code"), F("region__name")),
            ),
            all=True,
        )
        .order_by()
    )
