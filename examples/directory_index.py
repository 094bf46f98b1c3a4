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
(examples/search.py), the index orders and counts it. It is read from the database in a few
queries (examples/directory_build.py), after an edit only what the edit changed, and kept
current by examples/directory_refresh.py.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypedDict, cast

import numpy as np

from .directory_build import PAIR, Content, read_content
from .facets import (
    FILTERS,
    PAGE_RELATIONS,
    Facet,
    FacetMembers,
    FacetValue,
    by_code,
    relations_in_database,
    with_regions,
)
from .french import french_sort_key
from .models import Example
from .partner_kinds import PartnerKind
from .querysets import SortOrder

# The relations a result card names (see cards()).
CARD_RELATIONS = ("categories", "functions", "departements")
RANKED = np.dtype([("pk", np.int64), ("rank", np.float64)])
NO_PAIRS = np.empty(0, PAIR)


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
        self.published_at = content.published_at
        self.table_versions = content.table_versions
        self.read = content.read
        self.size = len(self.ids)
        self._id_order = np.argsort(self.ids, kind="stable")
        self._sorted_ids = self.ids[self._id_order]
        # Most recent first, undated last, then by title: SortOrder.RECENT.
        moments = content.published_at
        undated = np.isnan(moments)
        self.recency = np.lexsort((np.arange(self.size), -np.nan_to_num(moments), undated))
        # Each facet's pairs of examples not published (drafts, proposals): a later build that
        # reuses this one's pairs needs them when such an example gets published.
        self._unpublished: dict[Facet, np.ndarray] = {}
        self.facets = self._facets_from(content)

    @classmethod
    def build(
        cls, generation: int | None, previous: "DirectoryIndex | None" = None
    ) -> "DirectoryIndex":
        """From the database; with `previous`, reading only what changed since it was built."""
        return cls(read_content(previous.content() if previous else None), generation)

    def content(self) -> Content:
        """What this index was built from, as far as a later build can reuse it: its pairs
        (régions are derived, facet values always read again)."""
        pairs: dict[Facet, np.ndarray] = {}
        for facet, members in self.facets.items():
            if facet == Facet.REGION:
                continue
            facet_pairs = np.empty(len(members.positions), PAIR)
            facet_pairs["example"] = self.ids[members.positions]
            value_pks = np.array([value.pk for value in members.values], dtype=np.int64)
            facet_pairs["value"] = np.repeat(value_pks, np.diff(members.starts))
            pairs[facet] = np.concatenate([facet_pairs, self._unpublished.get(facet, NO_PAIRS)])
        return Content(self.ids, self.published_at, [], pairs, self.table_versions)

    @classmethod
    def current(cls) -> "DirectoryIndex":
        """This process's index (examples/directory_refresh.py)."""
        from .directory_refresh import keeper

        return keeper.current()

    def _facets_from(self, content: Content) -> dict[Facet, FacetMembers]:
        entries: dict[Facet, list[tuple[tuple, FacetValue]]] = {name: [] for name in FILTERS}
        regions: dict[int, FacetValue] = {}
        region_of: dict[int, int] = {}  # département pk → région pk
        for row in content.values:
            facet = Facet(row.facet)
            if facet == Facet.DEPARTEMENT:
                # A département's row holds its région.
                assert row.region_pk is not None and row.region_code and row.region_name
                value = FacetValue(facet, row.pk, row.key, row.name, group=row.region_name)
                entries[facet].append(((french_sort_key(row.region_name), row.key), value))
                region_of[row.pk] = row.region_pk
                regions[row.region_pk] = FacetValue(
                    Facet.REGION, row.region_pk, row.region_code, row.region_name
                )
                continue
            name, order = row.name, row.order
            if facet == Facet.TYPE_PARTENAIRE:
                name = PartnerKind(row.key).label
                order = PartnerKind.values.index(row.key)
            value = FacetValue(facet, row.pk, row.key, name, colour=row.colour)
            entries[facet].append(((order, french_sort_key(name)), value))
        entries[Facet.REGION] = [
            ((french_sort_key(value.name),), value) for value in regions.values()
        ]
        # A région holds the examples of its départements (each once: from_pairs drops repeats).
        region_pairs = content.pairs.get(Facet.DEPARTEMENT, NO_PAIRS).copy()
        region_pairs["value"] = translated(region_pairs["value"], region_of)
        pairs = {**content.pairs, Facet.REGION: region_pairs}
        facets = {}
        for name, listed in entries.items():
            listed.sort(key=lambda entry: entry[0])
            facet_pairs = pairs.get(name, NO_PAIRS)
            if not listed:
                facet_pairs = NO_PAIRS
            facets[name] = self._members([value for _, value in listed], facet_pairs)
            if name in content.pairs:
                self._unpublished[name] = facet_pairs[~self._locate(facet_pairs["example"])[1]]
        return facets

    def _members(self, values: list[FacetValue], pairs: np.ndarray) -> FacetMembers:
        """The facet's members from (example id, value pk) pairs, unpublished examples and
        unknown values left out."""
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

    def having(self, facet: Facet, values: Iterable) -> np.ndarray:
        """The examples holding any of the values (FacetValues, model instances or pks)."""
        members = self.facets[facet]
        mask = np.zeros(self.size, dtype=bool)
        for value in values:
            mask[members.members_of(getattr(value, "pk", value))] = True
        return mask

    def counts(self, facet: Facet, mask: np.ndarray) -> list[tuple[FacetValue, int]]:
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
        counts = self.counts(Facet.DEPARTEMENT, mask)
        return (
            {value.key: count for value, count in counts},
            {value.key: value.name for value, _ in counts},
        )

    def value(self, facet: Facet, key: str) -> FacetValue | None:
        return self.facets[facet].by_key.get(key)

    def values(self, facet: Facet) -> list[FacetValue]:
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

    def results(self, facet: Facet, value) -> "IndexedResults":
        """Every example holding the value, in title order."""
        return IndexedResults(self.ids[np.flatnonzero(self.having(facet, [value]))], self)

    def relations_of(self, example: Example) -> dict[Facet, list[FacetValue]]:
        """The example's categories, functions, themes, départements and régions, in each
        facet's order (départements by code), named from the ids its query read
        (ExampleQuerySet.with_relation_ids); read from the database if it was fetched without
        them or holds a value added since the index was built."""
        relations: dict[Facet, list[FacetValue]] = {}
        for relation, facet in PAGE_RELATIONS.items():
            named = self.facets[facet].named(getattr(example, f"{relation}_ids", None) or [])
            if named is None or not hasattr(example, f"{relation}_ids"):
                return relations_in_database(example)
            relations[facet] = named
        return with_regions(relations, self.facets[Facet.REGION])

    def related(
        self, example: Example, relations: dict[Facet, list[FacetValue]], count: int
    ) -> list[Example]:
        """Published examples of the example's territory first, then of its départements
        (among its `relations`), then of its functions, the most recent first in each."""
        closeness = self.having(Facet.DEPARTEMENT, relations[Facet.DEPARTEMENT]).view(np.int8) * 2
        closeness += self.having(Facet.FONCTION, relations[Facet.FONCTION]).view(np.int8)
        if example.territory_id:
            closeness += self.having(Facet.TERRITOIRE, [example.territory_id]).view(np.int8) * 4
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
            example.card_categories = self._named(Facet.CATEGORIE, example.categories_ids)
            example.card_functions = self._named(Facet.FONCTION, example.functions_ids)
            example.card_departements = by_code(
                self._named(Facet.DEPARTEMENT, example.departements_ids)
            )
            territory = self._named(
                Facet.TERRITOIRE, [example.territory_id] if example.territory_id else []
            )
            example.card_territory = territory[0] if territory else None
        return examples

    def _named(self, facet: Facet, pks: Iterable[int]) -> list[FacetValue]:
        members = self.facets[facet]
        return members.named(pk for pk in pks if pk in members.number_of_pk) or []

    def with_counts(self, facet: Facet, objects: Iterable, mask: np.ndarray | None = None) -> list:
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


def translated(keys: np.ndarray, mapping: dict[int, int]) -> np.ndarray:
    """Each key's value in `mapping`, 0 for a key it lacks."""
    if not mapping or not len(keys):
        return np.zeros(len(keys), np.int64)
    known = np.array(list(mapping), dtype=np.int64)
    by_key = np.argsort(known)
    slots = np.searchsorted(known[by_key], keys).clip(max=len(known) - 1)
    values = np.array(list(mapping.values()), dtype=np.int64)[by_key][slots]
    return np.where(known[by_key][slots] == keys, values, 0)


def fetch_examples(ids: list[int], queryset) -> list[Example]:
    """The examples of `queryset` with these ids, in their order. Ask for published ones: an
    example unpublished since the index was built then drops out."""
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
