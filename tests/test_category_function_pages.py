"""/categories/<slug>/ and /fonctions/<slug>/: what the fiche says of them, and their examples."""

import pytest
from django.urls import reverse

from examples.models import ExampleStatus

from .example_builders import make_example, make_many_examples

pytestmark = pytest.mark.django_db


def test_category_page_shows_the_fiche_content(client):
    response = client.get(reverse("examples:category", args=["mecenat"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Mécénat</h1>" in html
    assert "Le mécénat se traduit par un soutien de l’entreprise à l’association." in html
    assert "<li>Soutien financier</li>" in html
    assert "Soutien logistique (mise à disposition de locaux" in html
    assert "mécénat collectif et/ou territorial" in html
    assert "Le mécénat (début des années 1990)" in html
    assert "30&nbsp;% des partenariats" in html
    # Thirty examples of the loaded content are classified in Mécénat by the editorial team.
    assert "30 exemples publiés, page 1 sur 2." in html
    assert "Aucun exemple publié ne relève encore de cette catégorie." not in html


def test_category_page_lists_its_published_examples(client):
    make_example("Mécénat de compétences", categories=("mecenat",), departements=("69",))
    make_example("Fonds territorial", categories=("mecenat", "innovation-societale"))
    make_example("Mécénat en préparation", categories=("mecenat",), status=ExampleStatus.A_RELIRE)
    make_example("Achats responsables", categories=("pratiques-responsables",))
    response = client.get(reverse("examples:category", args=["mecenat"]))
    titles = [example.title for example in response.context["page"].paginator.object_list]
    # The thirty examples of the loaded content, and the two published here.
    assert len(titles) == 32
    assert {"Fonds territorial", "Mécénat de compétences"} <= set(titles)
    assert "Mécénat en préparation" not in titles and "Achats responsables" not in titles
    assert titles.index("Fonds territorial") < titles.index("Mécénat de compétences")
    html = response.content.decode()
    assert "32 exemples publiés, page 1 sur 2." in html
    url = reverse("examples:category", args=["mecenat"])
    html += client.get(url + "?page=2").content.decode()
    assert 'href="/exemples/fonds-territorial/"' in html
    assert 'href="/exemples/mecenat-de-competences/"' in html
    assert 'href="/exemples/?categorie=mecenat"' in html


def test_category_page_paginates(client, django_assert_max_num_queries):
    make_many_examples(25, categories=("cooperation-economique",))
    url = reverse("examples:category", args=["cooperation-economique"])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20
    assert 'href="?page=2"' in response.content.decode()
    # The 16 examples of the loaded content classified there, and the 25 new ones.
    assert len(client.get(url + "?page=2").context["page"].object_list) == 20
    assert len(client.get(url + "?page=3").context["page"].object_list) == 1


def test_function_page_shows_its_activities_and_examples(client):
    response = client.get(reverse("examples:function", args=["gestion-d-un-lieu"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Gestion d’un lieu</h1>" in html
    for activity in [
        "Lieu d’échanges convivial",
        "Espace de co-working",
        "Showroom, démonstrateur",
        "Fab lab",
    ]:
        assert f"<li>{activity}</li>" in html
    titles = [example.title for example in response.context["page"].object_list]
    assert titles == [
        "Cent Sept",
        "Complémentarité des 8 tiers lieux sur le territoire",
        "InfoLab du CRIJ",
        "Le Catalyseur",
        "Maison des associations Pays d’Aix",
        "Point Carré",
    ]
    assert "6 exemples publiés." in html
    assert 'href="/exemples/?fonction=gestion-d-un-lieu"' in html


def test_function_page_hides_unpublished_examples(client):
    make_example("Lieu en projet", functions=("gestion-d-un-lieu",), status=ExampleStatus.PROPOSE)
    response = client.get(reverse("examples:function", args=["gestion-d-un-lieu"]))
    assert "Lieu en projet" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "budget"),
    [("/categories/mecenat/", 8), ("/fonctions/accompagnements/", 8)],
)
def test_query_budget_does_not_grow_with_examples(
    client, url, budget, django_assert_max_num_queries
):
    with django_assert_max_num_queries(budget):
        client.get(url)
    make_many_examples(30, categories=("mecenat",), functions=("accompagnements",))
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.context["page"].paginator.count >= 30


@pytest.mark.parametrize("url", ["/categories/inconnue/", "/fonctions/inconnue/"])
def test_unknown_category_or_function_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_home_links_to_each_category_and_function(client):
    html = client.get(reverse("examples:home")).content.decode()
    for slug in [
        "mecenat",
        "pratiques-responsables",
        "cooperation-economique",
        "innovation-societale",
    ]:
        assert f'href="/categories/{slug}/"' in html
    for slug in [
        "dialogue-territorial",
        "experimentations-collectives",
        "accompagnements",
        "gestion-d-un-lieu",
    ]:
        assert f'href="/fonctions/{slug}/"' in html
