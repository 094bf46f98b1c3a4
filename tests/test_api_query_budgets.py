"""The API's addresses and the embeddable selection within the pages' query budget
(tests/test_query_budgets.py), however many examples: no query per example, partner or row."""

import pytest

from tests.example_builders import make_many_examples
from tests.test_query_budgets import BUDGET, EVERY_FILTER, get

pytestmark = pytest.mark.django_db

URLS = [
    "/api/",
    "/api/v1/",
    "/api/v1/exemples/",
    "/api/v1/exemples/?par_page=100",
    f"/api/v1/exemples/?{EVERY_FILTER}&par_page=100",
    f"/api/v1/exemples/?q=alliance&{EVERY_FILTER}&tri=recent",
    "/api/v1/exemples/?q=aliance+de+chrage&fonction=accompagnements&par_page=100",
    "/api/v1/exemples/?tri=recent&page=2&par_page=50",
    "/api/v1/exemples/ronalpia/",
    "/api/v1/categories/",
    "/api/v1/categories/mecenat/",
    "/api/v1/fonctions/",
    "/api/v1/fonctions/accompagnements/",
    "/api/v1/themes/",
    "/api/v1/themes/education/",
    "/api/v1/regions/",
    "/api/v1/regions/84/",
    "/api/v1/departements/",
    "/api/v1/departements/69/",
    "/api/v1/territoires/",
    "/api/v1/territoires/paris-est-marne-et-bois/",
    "/api/v1/partenaires/?par_page=100",
    "/api/v1/partenaires/fondation-macif/",
    "/integrer/",
    "/integrer/?nombre=20",
    f"/integrer/?q=alliance&{EVERY_FILTER}&nombre=20",
    f"/integrer/code/?{EVERY_FILTER}&hauteur=800&largeur=480&nombre=20",
]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.mark.parametrize("url", URLS)
def test_every_api_address_and_embed_page_stays_within_the_budget(
    client, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(BUDGET):
        get(client, url)
    make_many_examples(
        60,
        categories=("mecenat", "innovation-societale"),
        functions=("accompagnements", "gestion-d-un-lieu"),
        themes=("education",),
        departements=("69", "94"),
        territory="paris-est-marne-et-bois",
    )
    with django_assert_max_num_queries(BUDGET):
        get(client, url)
