"""Plausible French examples, partners and relations for load tests (generate_examples).

Everything comes from one seeded random generator, so a seed gives the same examples again.
Distributions are deliberately uneven, as in the real directory: départements weighted by
population, the fiche's category shares, more associations than universities, a few partners
(the big town, the département council) in many examples, more recent publications than old.
"""

import itertools
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.text import slugify

from bench.synthetic_text import Place, Story, StoryWriter
from bench.synthetic_vocabulary import (
    ACTORS,
    CAUSES,
    CONTRIBUTIONS,
    DEPARTEMENTS,
    PARTNER_KIND_WEIGHTS,
    PROJECTS,
)
from examples.models import Category, Example, Partner, Theme, compose_search_document
from examples.status import ExampleStatus
from territories.models import Departement, Function, Region, Territory

CATEGORY_COUNT_WEIGHTS = {1: 80, 2: 17, 3: 3}
FUNCTION_WEIGHTS = {
    "dialogue-territorial": 30,
    "experimentations-collectives": 25,
    "accompagnements": 30,
    "gestion-d-un-lieu": 15,
}
FUNCTION_COUNT_WEIGHTS = {1: 70, 2: 25, 3: 5}
DEPARTEMENT_COUNT_WEIGHTS = {1: 88, 2: 9, 3: 3}
PARTNER_COUNT_WEIGHTS = {1: 10, 2: 40, 3: 30, 4: 15, 5: 5}
NATIONAL_SHARE = 0.04
EXTRA_THEME_SHARE = 0.3
TERRITORY_SHARE = 0.25
LOCAL_PARTNER_SHARE = 0.8
NEW_PARTNER_SHARE = 0.35
VERIFIED_SHARE = 0.6
PUBLICATION_YEARS = 6


class WeightedChoice:
    """rng.choices with the cumulative weights computed once: the generator draws millions."""

    def __init__(self, items: Sequence, weights: Sequence[float]):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def sample(self, rng: random.Random, count: int) -> list:
        chosen: list = []
        while len(chosen) < min(count, len(self.items)):
            item = self.draw(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


def example_slug(title: str, number: int) -> str:
    words = slugify(title.replace("’", " ").replace("'", " "))[:180].rstrip("-")
    return f"{words}-{number}"


@dataclass(frozen=True)
class ReferenceData:
    """The rows generated examples point to, read once."""

    places: list[Place]
    categories: list[Category]
    functions: list[Function]
    themes: list[Theme]
    territories_by_departement: dict[int, list[Territory]]

    @classmethod
    def load(cls) -> "ReferenceData":
        region_names = dict(Region.objects.values_list("pk", "name"))
        places = []
        for departement in Departement.objects.select_related("region").order_by("code"):
            _, preposition, of_phrase, town = DEPARTEMENTS[departement.code]
            places.append(
                Place(
                    departement, preposition, of_phrase, town, region_names[departement.region_id]
                )
            )
        territories: dict[int, list[Territory]] = {}
        for territory in Territory.objects.prefetch_related("departements").order_by("slug"):
            for departement in territory.departements.all():
                territories.setdefault(departement.pk, []).append(territory)
        return cls(
            places=places,
            categories=list(Category.objects.order_by("order", "name")),
            functions=list(Function.objects.order_by("order", "name")),
            themes=list(Theme.objects.order_by("name")),
            territories_by_departement=territories,
        )


@dataclass
class PlannedExample:
    """An unsaved example and the rows its many-to-many relations will point to."""

    example: Example
    categories: list[Category]
    functions: list[Function]
    themes: list[Theme]
    departements: list[Departement]
    partners: list[Partner]


@dataclass
class PartnerPool:
    """Generated partners, reused across examples so that some take part in many."""

    taken_slugs: set[str]
    by_slug: dict[str, Partner] = field(default_factory=dict)
    local: dict[tuple[int, str], list[Partner]] = field(default_factory=dict)
    national: dict[str, list[Partner]] = field(default_factory=dict)
    unsaved: list[Partner] = field(default_factory=list)

    def get_or_create(self, name: str, kind: str) -> Partner:
        slug = slugify(name.replace("’", " "))[:190]
        if slug in self.by_slug:
            return self.by_slug[slug]
        unique_slug = slug
        for suffix in itertools.count(2):
            if unique_slug not in self.taken_slugs:
                break
            unique_slug = f"{slug}-{suffix}"
        partner = Partner(name=name, slug=unique_slug, kind=kind)
        self.taken_slugs.add(unique_slug)
        self.by_slug[slug] = partner
        self.unsaved.append(partner)
        return partner

    def take_unsaved(self) -> list[Partner]:
        unsaved, self.unsaved = self.unsaved, []
        return unsaved


class ExampleGenerator(StoryWriter):
    def __init__(
        self,
        rng: random.Random,
        reference: ReferenceData,
        *,
        taken_slugs: set[str],
        taken_partner_slugs: set[str],
        first_number: int,
        now: datetime,
    ):
        self.rng = rng
        self.reference = reference
        self.taken_slugs = taken_slugs
        self.partners = PartnerPool(taken_slugs=taken_partner_slugs)
        self.numbers = itertools.count(first_number)
        self.now = now
        self.places = WeightedChoice(
            reference.places, [DEPARTEMENTS[p.departement.code][0] for p in reference.places]
        )
        self.places_by_region: dict[str, WeightedChoice] = {}
        for region_name, region_places in itertools.groupby(
            sorted(reference.places, key=lambda p: p.region_name), key=lambda p: p.region_name
        ):
            places = list(region_places)
            self.places_by_region[region_name] = WeightedChoice(
                places, [DEPARTEMENTS[p.departement.code][0] for p in places]
            )
        self.categories = WeightedChoice(
            reference.categories, [c.share_percent or 20 for c in reference.categories]
        )
        self.functions = WeightedChoice(
            reference.functions, [FUNCTION_WEIGHTS.get(f.slug, 20) for f in reference.functions]
        )
        self.themes_by_slug = {theme.slug: theme for theme in reference.themes}
        self.partner_kinds = WeightedChoice(
            list(PARTNER_KIND_WEIGHTS), list(PARTNER_KIND_WEIGHTS.values())
        )

    def count(self, weights: dict[int, int]) -> int:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def plan(self) -> PlannedExample:
        rng = self.rng
        places = self.choose_places()
        categories = self.categories.sample(rng, self.count(CATEGORY_COUNT_WEIGHTS))
        functions = self.functions.sample(rng, self.count(FUNCTION_COUNT_WEIGHTS))
        cause, theme_slug = rng.choice(CAUSES)
        themes = [self.themes_by_slug[theme_slug]] if theme_slug in self.themes_by_slug else []
        if self.reference.themes and rng.random() < EXTRA_THEME_SHARE:
            extra = rng.choice(self.reference.themes)
            if extra not in themes:
                themes.append(extra)
        partners = self.choose_partners(places)
        territory = self.choose_territory(places)
        published_at = self.publication_date()
        story = Story(
            cause=cause,
            project=rng.choice(PROJECTS),
            actors=rng.sample(ACTORS, 3),
            contributions=rng.sample(CONTRIBUTIONS, 2),
            places=places,
            started=published_at.year - rng.randint(0, 4),
            published=published_at.year,
        )
        title = self.title(story)
        example = Example(
            title=title,
            slug=self.unique_slug(title),
            summary=self.summary(story),
            description=self.description(story, categories, functions),
            status=ExampleStatus.PUBLIE,
            is_national=not places,
            territory=territory,
            published_at=published_at,
            last_verified_at=self.verification_date(published_at),
        )
        departements = [place.departement for place in places]
        example.search_document = search_document(
            partners, themes, functions, categories, departements, territory
        )
        return PlannedExample(example, categories, functions, themes, departements, partners)

    def choose_places(self) -> list[Place]:
        rng = self.rng
        if rng.random() < NATIONAL_SHARE:
            return []
        first = self.places.draw(rng)
        places = [first]
        wanted = self.count(DEPARTEMENT_COUNT_WEIGHTS)
        neighbours = self.places_by_region[first.region_name]
        pool = neighbours if len(neighbours.items) >= wanted else self.places
        for place in pool.sample(rng, wanted + 1):
            if len(places) == wanted:
                break
            if place is not first:
                places.append(place)
        return sorted(places, key=lambda p: p.departement.code)

    def choose_territory(self, places: list[Place]) -> Territory | None:
        for place in places:
            territories = self.reference.territories_by_departement.get(place.departement.pk)
            if territories and self.rng.random() < TERRITORY_SHARE:
                return self.rng.choice(territories)
        return None

    def choose_partners(self, places: list[Place]) -> list[Partner]:
        rng = self.rng
        chosen: list[Partner] = []
        for _ in range(self.count(PARTNER_COUNT_WEIGHTS)):
            kind = self.partner_kinds.draw(rng)
            place = rng.choice(places) if places and rng.random() < LOCAL_PARTNER_SHARE else None
            if place:
                pool = self.partners.local.setdefault((place.departement.pk, kind), [])
            else:
                pool = self.partners.national.setdefault(kind, [])
            if not pool or rng.random() < NEW_PARTNER_SHARE:
                partner = self.partners.get_or_create(self.partner_name(kind, place), kind)
                if partner not in pool:
                    pool.append(partner)
            else:
                # Squaring favours the first partners of a pool: a few become very active.
                partner = pool[int(len(pool) * rng.random() ** 2)]
            if partner not in chosen:
                chosen.append(partner)
        return chosen

    def publication_date(self) -> datetime:
        # 1 - sqrt(u) is densest near 0: more examples published recently than years ago.
        age = (1 - self.rng.random() ** 0.5) * PUBLICATION_YEARS * 365
        return self.now - timedelta(days=age, seconds=self.rng.randint(0, 86_399))

    def verification_date(self, published_at: datetime):
        if self.rng.random() >= VERIFIED_SHARE:
            return None
        days_since = max((self.now - published_at).days, 0)
        return (published_at + timedelta(days=self.rng.randint(0, days_since))).date()

    def unique_slug(self, title: str) -> str:
        while True:
            slug = example_slug(title, next(self.numbers))
            if slug not in self.taken_slugs:
                self.taken_slugs.add(slug)
                return slug


def search_document(
    partners: list[Partner],
    themes: list[Theme],
    functions: list[Function],
    categories: list[Category],
    departements: list[Departement],
    territory: Territory | None,
) -> str:
    """What Example.build_search_document() gives once the relations are saved, in the
    models' default orderings, computed without a query."""
    return compose_search_document(
        partners=sorted(partners, key=lambda partner: partner.name),
        themes=sorted(themes, key=lambda theme: theme.name),
        functions=sorted(functions, key=lambda function: (function.order, function.name)),
        categories=sorted(categories, key=lambda category: (category.order, category.name)),
        departements=sorted(departements, key=lambda departement: departement.code),
        territory=territory,
    )
