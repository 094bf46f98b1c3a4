"""/territoires/, /departements/<code>/, /regions/<code>/ and /territoires/<slug>/: the fiche's
matrix of a territory's examples by co-construction function."""

import re

import pytest
from django.urls import reverse

from examples.models import ExampleStatus

from .example_builders import make_example, make_many_examples

pytestmark = pytest.mark.django_db

FUNCTIONS = [
    "dialogue-territorial",
    "experimentations-collectives",
    "accompagnements",
    "gestion-d-un-lieu",
]


def matrix(response) -> dict[str, list[str]]:
    return {
        column.function.slug: [example.title for example in column.examples]
        for column in response.context["matrix"].columns
    }


def column_html(html: str, function_slug: str) -> str:
    start = html.index(f'aria-labelledby="fonction-{function_slug}"')
    return html[start : html.index("</section>", start)]


def test_territory_page_is_the_fiche_matrix(client):
    response = client.get(reverse("territories:territory", args=["paris-est-marne-et-bois"]))
    assert response.status_code == 200
    assert matrix(response) == {
        "dialogue-territorial": ["Agir Ensemble à Charenton"],
        "experimentations-collectives": ["Vitawin"],
        "accompagnements": ["Club Gravelle Entreprendre"],
        "gestion-d-un-lieu": ["Complémentarité des 8 tiers lieux sur le territoire"],
    }
    html = response.content.decode()
    assert "<h1>Paris Est Marne &amp; Bois</h1>" in html
    assert "4 exemples publiés" in html
    assert 'href="/departements/94/">Val-de-Marne (94)</a>' in html
    columns = re.findall(r'<section class="matrix__column"', html)
    assert len(columns) == 4
    assert "1 exemple</span>" in column_html(html, "accompagnements")
    assert 'href="/exemples/vitawin/">Vitawin</a>' in column_html(
        html, "experimentations-collectives"
    )


def test_departement_page(client):
    make_example(
        "Double fonction", functions=("accompagnements", "gestion-d-un-lieu"), departements=("69",)
    )
    make_example("Sans fonction", departements=("69",))
    make_example(
        "Brouillon du Rhône",
        functions=("accompagnements",),
        departements=("69",),
        status=ExampleStatus.BROUILLON,
    )
    response = client.get(reverse("territories:departement", args=["69"]))
    assert response.status_code == 200
    assert matrix(response) == {
        "dialogue-territorial": [],
        "experimentations-collectives": ["Ateliers de l’Entrepreneuriat Humaniste"],
        "accompagnements": ["Double fonction", "Ronalpia"],
        # The most recent first.
        "gestion-d-un-lieu": ["Double fonction", "Cent Sept"],
    }
    html = response.content.decode()
    assert "<h1>Rhône (69)</h1>" in html
    # Four examples of the fiche and its sources, and the two published here.
    assert "6 exemples publiés" in html
    assert 'href="/regions/84/">Auvergne-Rhône-Alpes</a>' in html
    assert "2 exemples</span>" in column_html(html, "accompagnements")
    assert "aucun exemple</span>" in column_html(html, "dialogue-territorial")
    assert "Pas encore d’exemple ici." in column_html(html, "dialogue-territorial")
    # An example with no function yet is not lost.
    others = html[html.index("Autres exemples") :]
    assert "Sans fonction" in others and "PIMMS Médiation Lyon Métropole" in others
    assert "Brouillon du Rhône" not in html
    assert 'href="/exemples/?departement=69"' in html
    assert "Voir les" not in html  # every example is shown


def test_a_column_shows_the_most_recent_examples_and_links_to_all(client):
    make_many_examples(12, functions=("accompagnements",), departements=("69",))
    response = client.get(reverse("territories:departement", args=["69"]))
    column = next(
        column
        for column in response.context["matrix"].columns
        if column.function.slug == "accompagnements"
    )
    assert column.count == 13 and len(column.examples) == 10
    html = column_html(response.content.decode(), "accompagnements")
    assert "13 exemples</span>" in html
    assert "Les 10 plus récents" in html
    assert "Ronalpia" not in html  # older than the twelve new ones
    assert (
        '<a href="/exemples/?departement=69&amp;fonction=accompagnements">'
        "Voir les 13 exemples</a>" in html
    )


def test_the_territory_page_links_to_the_list_filtered_on_it(client):
    html = client.get(
        reverse("territories:territory", args=["paris-est-marne-et-bois"])
    ).content.decode()
    assert 'href="/exemples/?territoire=paris-est-marne-et-bois"' in html
    response = client.get("/exemples/?territoire=paris-est-marne-et-bois")
    assert response.context["page"].paginator.count == 4
    assert "Territoire&nbsp;: Paris Est Marne &amp; Bois" in response.content.decode()


def test_departement_page_names_its_territories(client):
    html = client.get(reverse("territories:departement", args=["94"])).content.decode()
    assert 'href="/territoires/paris-est-marne-et-bois/">Paris Est Marne &amp; Bois</a>' in html


def test_region_page_rolls_up_its_departements(client):
    make_example("Exemple isérois", functions=("dialogue-territorial",), departements=("38",))
    response = client.get(reverse("territories:region", args=["84"]))
    assert response.status_code == 200
    assert matrix(response) == {
        "dialogue-territorial": ["Exemple isérois"],
        "experimentations-collectives": ["Ateliers de l’Entrepreneuriat Humaniste"],
        "accompagnements": ["Ronalpia"],
        "gestion-d-un-lieu": ["Cent Sept"],
    }
    html = response.content.decode()
    assert "<h1>Auvergne-Rhône-Alpes</h1>" in html
    assert 'href="/departements/69/">Rhône (69)</a> <span class="muted">4 exemples</span>' in html
    assert 'href="/departements/38/">Isère (38)</a> <span class="muted">3 exemples</span>' in html
    assert 'href="/departements/01/">Ain (01)</a> <span class="muted">1 exemple</span>' in html
    assert (
        'href="/departements/26/">Drôme (26)</a> <span class="muted">aucun exemple</span>' in html
    )
    assert 'href="/exemples/?region=84"' in html


def test_an_example_in_two_departements_counts_once_in_its_region(client):
    # Both examples of Corsica are in Corse-du-Sud and Haute-Corse.
    make_example(
        "Alliance des deux Corse", functions=("accompagnements",), departements=("2A", "2B")
    )
    response = client.get(reverse("territories:region", args=["94"]))
    assert response.context["matrix"].total == 3
    assert matrix(response)["accompagnements"] == ["Alliance des deux Corse"]
    html = response.content.decode()
    assert "3 exemples publiés" in html
    assert (
        'href="/departements/2A/">Corse-du-Sud (2A)</a> <span class="muted">3 exemples</span>'
        in html
    )
    assert (
        'href="/departements/2B/">Haute-Corse (2B)</a> <span class="muted">3 exemples</span>'
        in html
    )


def test_territory_index_lists_regions_and_departements_with_counts(client):
    response = client.get(reverse("territories:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Les exemples par territoire</h1>" in html
    assert html.count('class="regions__item"') == 18
    regions_list = html.split('id="titre-regions"')[1]
    assert len(re.findall(r'href="/departements/\w+/"', regions_list)) == 101
    assert (
        'href="/regions/84/">Auvergne-Rhône-Alpes</a> <span class="muted">6 exemples</span>' in html
    )
    assert 'href="/regions/44/">Grand Est</a> <span class="muted">7 exemples</span>' in html
    assert 'href="/departements/86/">Vienne (86)</a> <span class="muted">2 exemples</span>' in html
    assert 'href="/departements/01/">Ain (01)</a> <span class="muted">1 exemple</span>' in html
    assert (
        'href="/departements/68/">Haut-Rhin (68)</a> <span class="muted">aucun exemple</span>'
        in html
    )
    assert 'href="/territoires/paris-est-marne-et-bois/">Paris Est Marne &amp; Bois</a>' in html
    # French alphabetical order: Île-de-France between Hauts-de-France and La Réunion.
    assert (
        html.index("Hauts-de-France</a>")
        < html.index("Île-de-France</a>")
        < html.index("La Réunion</a>")
    )


def test_territory_index_counts_published_examples_only(client):
    make_example("Brouillon haut-rhinois", departements=("68",), status=ExampleStatus.BROUILLON)
    html = client.get(reverse("territories:index")).content.decode()
    assert (
        'href="/departements/68/">Haut-Rhin (68)</a> <span class="muted">aucun exemple</span>'
        in html
    )


@pytest.mark.parametrize(
    "url", ["/departements/00/", "/departements/999/", "/regions/99/", "/territoires/inconnu/"]
)
def test_unknown_territory_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_a_lowercase_corsican_code_redirects(client):
    response = client.get("/departements/2a/")
    assert response.status_code == 301
    assert response["Location"] == "/departements/2A/"


@pytest.mark.parametrize(
    ("url", "budget"),
    # Each counts one read of the directory's version (examples/directory_version.py): 5, 6, 6
    # and 6 before it.
    [
        ("/territoires/", 6),
        ("/departements/69/", 7),
        ("/regions/84/", 7),
        ("/territoires/paris-est-marne-et-bois/", 7),
    ],
)
def test_query_budget_does_not_grow_with_examples(
    client, url, budget, django_assert_max_num_queries
):
    with django_assert_max_num_queries(budget):
        client.get(url)
    make_many_examples(
        30, functions=FUNCTIONS[:2], departements=("69", "94"), territory="paris-est-marne-et-bois"
    )
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
