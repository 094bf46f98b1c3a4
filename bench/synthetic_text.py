"""The French texts of a generated example (bench/synthetic.py plans the rest): a title, a
summary and a description that tell one story, and the names of its partners."""

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from bench.synthetic_vocabulary import (
    ASSOCIATION_NAMES,
    CATEGORY_SENTENCES,
    CLOSING_SENTENCES,
    COMPANY_TRADES,
    CONTEXT_SENTENCES,
    FOUNDATION_CAUSES,
    FUNCTION_SENTENCES,
    PROGRAMME_FIRST,
    PROGRAMME_SECOND,
    RESULT_SENTENCES,
    SURNAMES,
)
from examples.models import Category, Example, PartnerKind
from territories.models import Departement, Function

if TYPE_CHECKING:
    from bench.synthetic import WeightedChoice

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
SUMMARY_MAX_LENGTH = cast(int, Example._meta.get_field("summary").max_length)  # set: a CharField
TITLE_MAX_LENGTH = Example._meta.get_field("title").max_length


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def without_article(noun_phrase: str) -> str:
    for article in ("l’", "la ", "le ", "les "):
        if noun_phrase.startswith(article):
            return noun_phrase[len(article) :]
    return noun_phrase


def of_town(town: str) -> str:
    """« de Lyon », « d’Angers », « du Mans », « de La Rochelle »."""
    if town.startswith("Le "):
        return f"du {town[3:]}"
    if town.startswith("Les "):
        return f"des {town[4:]}"
    if town[0] in "AEÉIOUY":
        return f"d’{town}"
    return f"de {town}"


def french_number(number: int) -> str:
    return f"{number:,}".replace(",", NARROW_NBSP)


@dataclass
class Place:
    departement: Departement
    preposition: str
    of_phrase: str
    town: str
    region_name: str


@dataclass(frozen=True)
class Story:
    """What an example's title, summary and description all tell: one project, one cause,
    the same actors in the same places."""

    cause: str
    project: tuple[str, str]
    actors: list[str]
    contributions: list[str]
    places: list[Place]
    started: int
    published: int


class StoryWriter:
    """Writes from the generator's own random sequence: ExampleGenerator inherits these methods,
    so the texts are drawn in the same order and a seed still gives the same examples."""

    rng: random.Random
    places: "WeightedChoice"  # every département, weighted by population

    def partner_name(self, kind: str, place: Place | None) -> str:
        rng = self.rng
        if place is None:
            place = self.places.draw(rng)
            national = True
        else:
            national = False
        surname = rng.choice(SURNAMES)
        match kind:
            case PartnerKind.ASSOCIATION:
                name = rng.choice(ASSOCIATION_NAMES)
                return f"Réseau national {name}" if national else f"{name} {of_town(place.town)}"
            case PartnerKind.ENTREPRISE:
                if national:
                    return f"Groupe {surname}"
                return f"{surname} {rng.choice(COMPANY_TRADES)}"
            case PartnerKind.COLLECTIVITE:
                if national:
                    return f"Région {place.region_name}"
                return rng.choice(
                    [f"Ville {of_town(place.town)}", f"Conseil départemental {place.of_phrase}"]
                )
            case PartnerKind.FONDATION:
                if national:
                    return f"Fondation d’entreprise {surname} {rng.choice(COMPANY_TRADES)}"
                return f"Fondation {place.town} {rng.choice(FOUNDATION_CAUSES)}"
            case PartnerKind.ACTEUR_PUBLIC:
                if national:
                    return f"Agence régionale de santé {place.region_name}"
                return rng.choice(
                    [
                        f"Mission locale {of_town(place.town)}",
                        f"Centre communal d’action sociale {of_town(place.town)}",
                        f"Caisse d’allocations familiales {place.of_phrase}",
                        f"Chambre de commerce et d’industrie {place.of_phrase}",
                        f"Agence locale de l’énergie {of_town(place.town)}",
                    ]
                )
            case _:
                return rng.choice(
                    [
                        f"Université {of_town(place.town)}",
                        f"IUT {of_town(place.town)}",
                        f"École d’ingénieurs {of_town(place.town)}",
                    ]
                )

    def place_phrase(self, places: list[Place]) -> str:
        rng = self.rng
        if not places:
            return rng.choice(
                ["partout en France", "à l’échelle nationale", "dans toute la France"]
            )
        if len(places) == 1:
            place = places[0]
            return f"à {place.town}" if rng.random() < 0.5 else place.preposition
        phrases = [place.preposition for place in places]
        return f"{', '.join(phrases[:-1])} et {phrases[-1]}"

    def programme_name(self) -> str:
        name = f"{self.rng.choice(PROGRAMME_FIRST)} {self.rng.choice(PROGRAMME_SECOND)}"
        return f"«{NBSP}{name}{NBSP}»"

    def title(self, story: Story) -> str:
        rng = self.rng
        place = self.place_phrase(story.places)
        project, _ = story.project
        first, second, third = story.actors
        template = rng.choices(range(5), weights=[30, 25, 15, 15, 15])[0]
        if template == 0:
            title = f"{capitalize(project)} pour {story.cause} {place}"
        elif template == 1:
            title = f"{capitalize(first)} et {second} s’allient pour {story.cause} {place}"
        elif template == 2:
            title = f"{self.programme_name()}{NBSP}: {project} {place}"
        elif template == 3:
            carried = "portée" if project.startswith("une ") else "porté"
            title = f"{capitalize(project)} {carried} par {first} et {second} {place}"
        else:
            title = (
                f"{capitalize(without_article(story.cause))}{NBSP}: {first}, {second} "
                f"et {third} coopèrent {place}"
            )
        return title[:TITLE_MAX_LENGTH]

    def summary(self, story: Story) -> str:
        rng = self.rng
        place = self.place_phrase(story.places)
        project, project_definite = story.project
        first, second, third = story.actors
        contribution, other_contribution = story.contributions
        candidates = [
            f"{capitalize(first)} apporte {contribution}, {second} {other_contribution}{NBSP}: "
            f"ensemble, ils font vivre {project} au service de {story.cause} {place}.",
            f"{capitalize(project_definite)} réunit {first}, {second} et {third} autour d’un "
            f"objectif commun{NBSP}: {story.cause}.",
            f"Depuis {story.started}, {first} et {second} unissent leurs forces pour "
            f"{story.cause} {place}.",
        ]
        rng.shuffle(candidates)
        return next(
            (text for text in candidates if len(text) <= SUMMARY_MAX_LENGTH),
            candidates[0][:SUMMARY_MAX_LENGTH],
        )

    def description(
        self, story: Story, categories: list[Category], functions: list[Function]
    ) -> str:
        rng = self.rng
        _, project_definite = story.project
        numbers = {
            "year": story.started,
            "result_year": rng.randint(story.started, story.published),
            "people": french_number(rng.choice([12, 25, 40, 80, 150, 320, 600, 1200, 2400])),
            "jobs": rng.randint(2, 60),
            "months": rng.choice([6, 12, 18, 24, 36]),
            "partners_count": rng.randint(3, 25),
        }
        first, second, _ = story.actors
        contribution, other_contribution = story.contributions
        opening = " ".join(
            [
                f"{capitalize(project_definite)} rassemble {self.place_phrase(story.places)} "
                f"les acteurs engagés pour {story.cause}.",
                rng.choice(CONTEXT_SENTENCES).format(**numbers),
                f"{capitalize(first)} y apporte {contribution}, {second} {other_contribution}.",
            ]
        )
        how = [
            rng.choice(FUNCTION_SENTENCES[function.slug]).format(**numbers)
            for function in functions
            if function.slug in FUNCTION_SENTENCES
        ] + [
            rng.choice(CATEGORY_SENTENCES[category.slug]).format(**numbers)
            for category in categories
            if category.slug in CATEGORY_SENTENCES
        ]
        results = rng.choice(RESULT_SENTENCES).format(**numbers)
        if rng.random() < 0.6:
            results += " " + rng.choice(CLOSING_SENTENCES)
        return "\n\n".join(
            paragraph for paragraph in (opening, " ".join(how), results) if paragraph
        )
