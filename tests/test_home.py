import pytest
from django.urls import reverse

from .example_builders import make_many_examples

pytestmark = pytest.mark.django_db


def test_home_shows_the_four_categories_and_functions(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("examples:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in [
        "Mécénat",
        "Pratiques responsables",
        "Coopération économique",
        "Innovation sociétale",
        "Dialogue territorial",
        "Expérimentations collectives",
        "Accompagnements",
        "Gestion d’un lieu",
    ]:
        assert name in html
    assert '<html lang="fr">' in html


def test_home_shows_key_figures_with_their_sources(client):
    html = client.get(reverse("examples:home")).content.decode()
    assert "76 %" in html
    assert "Comisis-OpinionWay, novembre 2016" in html
    assert "Début des années 1990" in html


def test_home_counts_published_examples_per_function(client):
    response = client.get(reverse("examples:home"))
    counts = {f.slug: f.published_count for f in response.context["functions"]}
    # Dialogue territorial: the fiche's four examples (one split in two) and Agir Ensemble.
    assert counts == {
        "dialogue-territorial": 5,
        "experimentations-collectives": 6,
        "accompagnements": 6,
        "gestion-d-un-lieu": 6,
    }
    assert "5 exemples" in response.content.decode()


def test_home_has_a_search_box_for_the_list(client):
    html = client.get(reverse("examples:home")).content.decode()
    assert (
        '<form class="search search--hero" method="get" action="/exemples/" role="search"' in html
    )
    assert 'name="q"' in html
    # The fiche's 23 examples and the 52 alliances the editorial team added from sources.
    assert "Rechercher parmi les 75 exemples" in html


def test_home_links_the_latest_examples(client):
    response = client.get(reverse("examples:home"))
    html = response.content.decode()
    latest = list(response.context["latest_examples"])
    assert len(latest) == 6
    for example in latest:
        assert f'href="{example.get_absolute_url()}"' in html
    assert 'href="/exemples/?tri=recent"' in html


def test_home_query_budget_does_not_grow_with_examples(client, django_assert_max_num_queries):
    make_many_examples(30, categories=("mecenat",), functions=("accompagnements",))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("examples:home"))
    # The Mécénat card: its 30 examples in the loaded content and the 30 new ones.
    counts = {
        category.slug: category.published_count for category in response.context["categories"]
    }
    assert counts["mecenat"] == 60
    assert "60 exemples" in response.content.decode()
