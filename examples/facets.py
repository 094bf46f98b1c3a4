"""The directory's facets: what its list can be filtered on, the values each offers, and which
examples hold each value (for the directory index, examples/directory_index.py)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Self

import numpy as np
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from territories.models import Departement

from .french import french_sort_key

if TYPE_CHECKING:
    from .models import Example


class Facet(models.TextChoices):
    """Each facet by the name of its URL parameter (`/exemples/?fonction=accompagnements`):
    links and bookmarks hold these names, which must never change."""

    CATEGORIE = "categorie", "Catégorie"
    FONCTION = "fonction", "Fonction"
    THEME = "theme", "Thème"
    TYPE_PARTENAIRE = "type_partenaire", "Type de partenaire"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    TERRITOIRE = "territoire", "Territoire"


#: Every filter of the list.
FILTERS = tuple(Facet)
#: The facets the list offers with their counts: named territories filter it, but are not offered.
FACETS = tuple(facet for facet in FILTERS if facet != Facet.TERRITOIRE)
#: The filters that a place chosen on a map replaces.
PLACE_FILTERS = (Facet.REGION, Facet.DEPARTEMENT, Facet.TERRITOIRE)
#: The relations an example's page names, as the facet each belongs to.
PAGE_RELATIONS = {
    "categories": Facet.CATEGORIE,
    "functions": Facet.FONCTION,
    "themes": Facet.THEME,
    "departements": Facet.DEPARTEMENT,
}


@dataclass(frozen=True)
class FacetValue:
    """One value a facet offers: a category, a function, a theme, a kind of partner, a région,
    a département or a territory."""

    facet: Facet
    pk: int
    key: str  # the value in URLs: a slug, or an INSEE code for places
    name: str
    group: str = ""  # a département's région
    colour: str = ""  # a category's (examples/colours.py), for the class of its labels

    def __str__(self) -> str:
        return f"{self.name} ({self.key})" if self.facet == Facet.DEPARTEMENT else self.name

    def get_absolute_url(self) -> str:
        route = {
            Facet.CATEGORIE: "examples:category",
            Facet.FONCTION: "examples:function",
            Facet.REGION: "territories:region",
            Facet.DEPARTEMENT: "territories:departement",
            Facet.TERRITOIRE: "territories:territory",
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


def by_code(departements: list[FacetValue]) -> list[FacetValue]:
    """Départements as pages list them, by code (the facet groups them by région)."""
    return sorted(departements, key=lambda value: value.key)


def with_regions(
    relations: dict[Facet, list[FacetValue]], regions: FacetMembers
) -> dict[Facet, list[FacetValue]]:
    """The relations with the régions of their départements, in the région facet's order."""
    names = {departement.group for departement in relations[Facet.DEPARTEMENT]}
    relations[Facet.DEPARTEMENT] = by_code(relations[Facet.DEPARTEMENT])
    relations[Facet.REGION] = [region for region in regions.values if region.name in names]
    return relations


def relations_in_database(example: "Example") -> dict[Facet, list[FacetValue]]:
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
        Facet.CATEGORIE: [
            FacetValue(
                Facet.CATEGORIE, category.pk, category.slug, category.name, colour=category.colour
            )
            for category in example.categories.all()
        ],
        Facet.FONCTION: [
            FacetValue(Facet.FONCTION, function.pk, function.slug, function.name)
            for function in example.functions.all()
        ],
        Facet.THEME: in_french_order(
            FacetValue(Facet.THEME, theme.pk, theme.slug, theme.name)
            for theme in example.themes.all()
        ),
        Facet.DEPARTEMENT: [
            FacetValue(
                Facet.DEPARTEMENT,
                departement.pk,
                departement.code,
                departement.name,
                group=departement.region.name,
            )
            for departement in departements
        ],
        Facet.REGION: in_french_order(
            FacetValue(Facet.REGION, region.pk, region.code, region.name)
            for region in regions.values()
        ),
    }
