"""What the benchmark requests: the URL classes, the search mix and the load test's traffic."""

import random
import urllib.parse

from bench.database import PATHS_PER_CLASS

CEILING = "plafond"
CEILING_PATH = "/_ceiling/"
SEARCH_MIX = "recherche (fautes, paires, expressions, exclusions)"

SEARCH_TERMS = [
    "insertion",
    "jardin partagé",
    "numérique",
    "tiers-lieu",
    "rénovation énergétique",
    "mobilité rurale",
    "recyclerie",
    "mentorat",
    "précarité alimentaire",
    "décrochage scolaire",
    "fondation",
    "économie circulaire",
    "emploi des jeunes",
    "ressourcerie",
    "Lyon",
    "Marseille",
    "santé",
    "handicap",
    "biodiversité",
    "coopérative",
]
# The searches that cost the most (issue 17): words no example holds as typed, pairs of words
# that never meet in one example, phrases, exclusions, and words no example has at all.
SEARCH_MIX_TERMS = [
    "numerik",  # typos
    "numeriqe",
    "insersion",
    "biodiversiter",
    "seniors réemploi",  # pairs that never meet
    "climat sport",
    '"économie circulaire"',  # phrases
    '"jardin partagé"',
    "insertion -emploi",  # exclusions
    "numérique -jeunes",
    "xylophone",  # words no example has
    "zygomorphe",
]
FILTERS = ("categorie", "fonction", "departement", "region", "theme")


def search_path(term: str) -> str:
    return f"/exemples/?{urllib.parse.urlencode([('q', term)])}"


def url_classes(values: dict[str, list[str]], count: int, seed: int) -> dict[str, list[str]]:
    """Many distinct, realistic URLs per class; the first one is the class's repeated URL."""
    rng = random.Random(seed)

    def query(params: list[tuple[str, str]]) -> str:
        return urllib.parse.urlencode(params)

    def filters(how_many: int) -> list[tuple[str, str]]:
        return [(name, rng.choice(values[name])) for name in rng.sample(FILTERS, how_many)]

    last_page = max(2, count // 50)
    classes = {
        "accueil": ["/"],
        "liste": ["/exemples/"],
        "liste filtrée (1 à 3 filtres)": [
            f"/exemples/?{query(filters(rng.randint(1, 3)))}" for _ in range(PATHS_PER_CLASS)
        ],
        "recherche": [search_path(term) for term in SEARCH_TERMS],
        SEARCH_MIX: [search_path(term) for term in SEARCH_MIX_TERMS],
        "recherche + filtres": [
            f"/exemples/?{query([('q', rng.choice(SEARCH_TERMS)), *filters(rng.randint(1, 2))])}"
            for _ in range(PATHS_PER_CLASS)
        ],
        "pages profondes": [
            f"/exemples/?{query([('page', str(rng.randint(last_page // 2, last_page)))])}"
            for _ in range(PATHS_PER_CLASS)
        ],
        "fiche exemple": [f"/exemples/{slug}/" for slug in values["slug"]],
        "page département": [f"/departements/{code}/" for code in values["departement"]],
        "export CSV": ["/exemples/export.csv?departement=69"]
        + [f"/exemples/export.csv?departement={code}" for code in values["departement"]],
        CEILING: [CEILING_PATH],
    }
    return {name: list(dict.fromkeys(paths)) for name, paths in classes.items()}


def startup_paths(classes: dict[str, list[str]], seed: int) -> list[str]:
    """Searches for the start-up probe, in turn: many different ones (the probe keeps the page
    cache out of the way too, bench/probes.py)."""
    paths = classes["recherche"] + classes[SEARCH_MIX] + classes["recherche + filtres"]
    paths = list(dict.fromkeys(paths))
    random.Random(seed).shuffle(paths)
    return paths


# Shares of the load test's traffic: what visitors of a directory open most.
LOAD_MIX = {
    "accueil": 10,
    "liste": 8,
    "liste filtrée (1 à 3 filtres)": 22,
    "recherche": 12,
    "recherche + filtres": 10,
    "pages profondes": 5,
    "fiche exemple": 25,
    "page département": 7,
    "export CSV": 1,
}
LOAD_PATHS = 5000


def load_paths(classes: dict[str, list[str]], seed: int) -> list[str]:
    """LOAD_PATHS paths drawn from the URL classes in the proportions of LOAD_MIX."""
    rng = random.Random(seed)
    names = list(LOAD_MIX)
    return [
        rng.choice(classes[name])
        for name in rng.choices(names, weights=[LOAD_MIX[n] for n in names], k=LOAD_PATHS)
    ]
