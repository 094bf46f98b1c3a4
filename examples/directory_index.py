"""An in-memory index of the published examples, for what PostgreSQL cannot do fast: count, for
every value of every facet, how many examples of a large result hold it, and put a result in
title or date order.

On 100,000 examples those counts are hundreds of milliseconds of joins and aggregates per page
in the database (see docs/performance.md). So each process keeps, for every facet, which
examples hold which value, as numpy arrays of the examples' positions in the directory's title
order. A page's counts, its total and its map are then a few vectorised passes over those
arrays, and a page of results is a slice of positions: the database is only asked for the
examples to show, with their relations (`cards`).

The index holds no text and does no search: PostgreSQL finds what a search matches
(examples/search.py), the index orders and counts it. It is read from the database in three
queries (examples/directory_build.py) and kept current by examples/directory_refresh.py.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Self, TypedDict, cast

import numpy as np
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from territories.models import Departement

from .directory_build import PAIR, Content, read_content
from .models import Example, PartnerKind, SortOrder

FACETS = ("categorie", "fonction", "theme", "type_partenaire", "region", "departement")
PARTNER_KIND = "type_partenaire"
# Named territories filter the list too, but are not offered as a facet.
FILTERS = (*FACETS, "territoire")
PLACE_FILTERS = ("region", "departement", "territoire")
# The relations an example's page and a result card name, as the facet each belongs to.
PAGE_RELATIONS = {
    "categories": "categorie",
    "functions": "fonction",
    "themes": "theme",
    "departements": "departement",
}
CARD_RELATIONS = ("categories", "functions", "departements")
RANKED = np.dtype([("pk", np.int64), ("rank", np.float64)])
NO_PAIRS = np.empty(0, PAIR)


def french_sort_key(text: str) -> str:
    """Case and accents aside, as the database's immutable_unaccent(lower()) orders."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class FacetValue:
    """One value a facet offers: a category, a function, a theme, a kind of partner, a région,
    a département or a territory."""

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
    """Which examples hold each value of one facet, values in display order: `positions` lists
    example positions value after value, `starts` where each value's run begins."""

    values: list[FacetValue]
    positions: np.ndarray
    starts: np.ndarray
    by_key: dict[str, FacetValue] = field(init=False)
    number_of_pk: dict[int, int] = field(init=False)
    empty_runs: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.empty_runs = np.diff(self.starts) == 0
        self.by_key = {value.key: value for value in self.values}
        self.number_of_pk = {value.pk: number for number, value in enumerate(self.values)}

    @classmethod
    def from_pairs(
        cls, values: list[FacetValue], numbers: np.ndarray, positions: np.ndarray
    ) -> Self:
        """From (value number, example position) pairs in any order, repeats allowed."""
        pairs = np.sort(numbers.astype(np.int64) * (1 << 32) + positions)
        first = np.ones(len(pairs), dtype=bool)
        first[1:] = pairs[1:] != pairs[:-1]
        pairs = pairs[first]
        numbers, positions = pairs >> 32, pairs & 0xFFFFFFFF
        return cls(
            values=values,
            # Platform integers: numpy indexes with them without a conversion per page.
            positions=positions.astype(np.intp),
            starts=np.searchsorted(numbers, np.arange(len(values) + 1)),
        )

    def members_of(self, pk: int) -> np.ndarray:
        number = self.number_of_pk.get(pk)
        if number is None:  # a value added since the index was built
            return self.positions[:0]
        return self.positions[self.starts[number] : self.starts[number + 1]]

    def named(self, pks: Iterable[int]) -> list[FacetValue] | None:
        """The values with these pks, in the facet's order; None if one is unknown here."""
        numbers = [self.number_of_pk.get(pk) for pk in pks]
        known = [number for number in numbers if number is not None]
        if len(known) < len(numbers):
            return None
        return [self.values[number] for number in sorted(set(known))]


class CardRelations(TypedDict):
    """What a result card names of its example's relations: their pks, read with it
    (ExampleQuerySet.with_relation_ids), and their values, named by DirectoryIndex.cards()."""

    categories_ids: list[int]
    functions_ids: list[int]
    departements_ids: list[int]
    card_categories: list[FacetValue]
    card_functions: list[FacetValue]
    card_departements: list[FacetValue]
    card_territory: FacetValue | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    CardExample = WithAnnotations[Example, CardRelations]


class DirectoryIndex:
    """The published examples, by position in the directory's title order."""

    def __init__(self, content: Content, generation: int | None):
        self.generation = generation
        self.ids = content.ids
        self.size = len(self.ids)
        self._id_order = np.argsort(self.ids, kind="stable")
        self._sorted_ids = self.ids[self._id_order]
        # Most recent first, undated last, then by title: SortOrder.RECENT.
        moments = content.published_at
        undated = np.isnan(moments)
        self.recency = np.lexsort((np.arange(self.size), -np.nan_to_num(moments), undated))
        self.facets = self._facets_from(content)

    @classmethod
    def build(cls, generation: int | None) -> "DirectoryIndex":
        return cls(read_content(), generation)

    @classmethod
    def current(cls) -> "DirectoryIndex":
        """This process's index (examples/directory_refresh.py)."""
        from .directory_refresh import keeper

        return keeper.current()

    def _facets_from(self, content: Content) -> dict[str, FacetMembers]:
        entries: dict[str, list[tuple[tuple, FacetValue]]] = {name: [] for name in FILTERS}
        regions: dict[int, FacetValue] = {}
        region_of: dict[int, int] = {}  # département pk → région pk
        for row in content.values:
            if row.facet == "departement":
                # A département's row holds its région.
                assert row.region_pk is not None and row.region_code and row.region_name
                value = FacetValue(row.facet, row.pk, row.key, row.name, group=row.region_name)
                entries["departement"].append(((french_sort_key(row.region_name), row.key), value))
                region_of[row.pk] = row.region_pk
                regions[row.region_pk] = FacetValue(
                    "region", row.region_pk, row.region_code, row.region_name
                )
                continue
            name, order = row.name, row.order
            if row.facet == PARTNER_KIND:
                name = PartnerKind(row.key).label
                order = PartnerKind.values.index(row.key)
            value = FacetValue(row.facet, row.pk, row.key, name)
            entries[row.facet].append(((order, french_sort_key(name)), value))
        entries["region"] = [((french_sort_key(value.name),), value) for value in regions.values()]
        # A région holds the examples of its départements (each once: from_pairs drops repeats).
        region_pairs = content.pairs.get("departement", NO_PAIRS).copy()
        region_pairs["value"] = [region_of.get(pk, 0) for pk in region_pairs["value"].tolist()]
        pairs = {**content.pairs, "region": region_pairs}
        facets = {}
        for name, listed in entries.items():
            listed.sort(key=lambda entry: entry[0])
            facets[name] = self._members([value for _, value in listed], pairs.get(name, NO_PAIRS))
        return facets

    def _members(self, values: list[FacetValue], pairs: np.ndarray) -> FacetMembers:
        """The facet's members from (example id, value pk) pairs, unpublished examples and
        unknown values left out."""
        if not values:
            pairs = NO_PAIRS
        value_pks = np.array([value.pk for value in values], dtype=np.int64)
        by_pk = np.argsort(value_pks)
        positions, found = self._locate(pairs["example"].astype(np.int64))
        slots = np.searchsorted(value_pks[by_pk], pairs["value"].astype(np.int64))
        slots = slots.clip(max=max(len(values) - 1, 0))
        found &= value_pks[by_pk][slots] == pairs["value"]
        return FacetMembers.from_pairs(values, by_pk[slots][found], positions[found])

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
        """The example's categories, functions, themes, départements and régions, in each
        facet's order (départements by code), named from the ids its query read
        (ExampleQuerySet.with_relation_ids); read from the database if it was fetched without
        them or holds a value added since the index was built."""
        relations: dict[str, list[FacetValue]] = {}
        for relation, facet in PAGE_RELATIONS.items():
            named = self.facets[facet].named(getattr(example, f"{relation}_ids", None) or [])
            if named is None or not hasattr(example, f"{relation}_ids"):
                return relations_in_database(example)
            relations[facet] = named
        return with_regions(relations, self.facets["region"])

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
        """The published examples with these ids, in this order, ready for result cards: one
        query, the ids of each one's categories, functions and départements read with it as
        arrays and named from the index (a value the index does not know yet is left out
        until the next rebuild, a fraction of a second later)."""
        examples = fetch_examples(
            ids, Example.objects.published().for_cards().with_relation_ids(*CARD_RELATIONS)
        )
        for example in cast("list[CardExample]", examples):
            example.card_categories = self._named("categorie", example.categories_ids)
            example.card_functions = self._named("fonction", example.functions_ids)
            example.card_departements = by_code(
                self._named("departement", example.departements_ids)
            )
            territory = self._named(
                "territoire", [example.territory_id] if example.territory_id else []
            )
            example.card_territory = territory[0] if territory else None
        return examples

    def _named(self, facet: str, pks: Iterable[int]) -> list[FacetValue]:
        members = self.facets[facet]
        return members.named(pk for pk in pks if pk in members.number_of_pk) or []

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
        self.directory = index  # not `index`: Sequence.index() is a method

    def count(self) -> int:  # type: ignore[override]  # the Paginator's count(), not Sequence's
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.directory.cards(self.ids[key].tolist())
        return self.directory.cards([int(self.ids[key])])[0]

    def __iter__(self):
        return iter(self[:])


def by_code(departements: list[FacetValue]) -> list[FacetValue]:
    """Départements as pages list them, by code (the facet groups them by région)."""
    return sorted(departements, key=lambda value: value.key)


def with_regions(
    relations: dict[str, list[FacetValue]], regions: FacetMembers
) -> dict[str, list[FacetValue]]:
    """The relations with the régions of their départements, in the région facet's order."""
    names = {departement.group for departement in relations["departement"]}
    relations["departement"] = by_code(relations["departement"])
    relations["region"] = [region for region in regions.values if region.name in names]
    return relations


def fetch_examples(ids: list[int], queryset) -> list[Example]:
    """The examples of `queryset` with these ids, in their order. Ask for published ones: an
    example unpublished since the index was built then drops out."""
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def relations_in_database(example: Example) -> dict[str, list[FacetValue]]:
    """What DirectoryIndex.relations_of() gives, in four queries: for an example fetched
    without its relation ids, or holding a value the index does not know yet."""
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
