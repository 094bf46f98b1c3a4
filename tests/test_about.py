"""/a-propos/: the fiche's context, its categories and eras, its resources, how to propose."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def about_html(client, django_assert_max_num_queries) -> str:
    with django_assert_max_num_queries(5):
        response = client.get(reverse("examples:about"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_mission(about_html):
    assert "Le 16&nbsp;octobre 2019" in about_html
    assert "Gabriel Attal" in about_html
    assert "Cathy Racon-Bouzon, députée des\n    Bouches-du-Rhône" in about_html
    assert "Charles-Benoît Heidsieck, président-fondateur du Rameau" in about_html
    assert "<blockquote>" in about_html
    assert "Je suis convaincu de la nécessité de créer des espaces de dialogue" in about_html
    assert "Quatre fiches\n    pratiques" in about_html
    assert "le kit méthodologique" in about_html
    assert "la cartographie des outils existants" in about_html


def test_the_three_eras_and_four_categories_as_a_table(about_html):
    for period in [
        "Début des années 1990",
        "Milieu des années 2000",
        "Aujourd’hui : la 3e ère",
    ]:
        assert period in about_html
    assert "<table" in about_html and '<th scope="col">Part des partenariats</th>' in about_html
    assert '<th scope="row"><a href="/categories/mecenat/">Mécénat</a></th>' in about_html
    for share in ["30&nbsp;%", "42&nbsp;%", "25&nbsp;%", "16&nbsp;%"]:
        assert f"<td>{share}</td>" in about_html


def test_the_catalyseur_territorial(about_html):
    assert "catalyseur territorial" in about_html
    assert "3<sup>e</sup> ingénierie" in about_html
    assert 'href="/fonctions/gestion-d-un-lieu/">Gestion d’un lieu</a>' in about_html


def test_the_resources_the_fiche_cites(about_html):
    assert "Bases d’exemples inspirants" in about_html
    assert (
        '<a href="http://observatoire-des-partenariats.fr/impact-pratiques-innovantes" '
        'rel="external">Base IMPACT-Pratiques innovantes</a>' in about_html
    )
    assert '<a href="http://www.mecenova.org" rel="external">Mecenova</a>' in about_html
    assert "HUB-ESS" in about_html
    assert 'href="https://partenariats-strategiques.plateformecapitalisation.org"' in about_html


def test_how_to_propose_an_example(about_html):
    assert '<a class="button" href="/proposer/">Proposer un exemple</a>' in about_html
