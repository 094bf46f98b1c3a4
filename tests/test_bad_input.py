"""Whatever the address holds, the answer is a page with a message or a 404, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")


def get_list(client, query: str):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("query", "label", "value"),
    [
        ("categorie=inconnue", "Catégorie", "inconnue"),
        ("fonction=plomberie", "Fonction", "plomberie"),
        ("theme=astronomie", "Thème", "astronomie"),
        ("departement=zz", "Département", "zz"),
        ("departement=100", "Département", "100"),
        ("region=99", "Région", "99"),
        ("tri=au-hasard", "Trier par", "au-hasard"),
    ],
)
def test_an_unknown_value_gives_the_form_message(client, query, label, value):
    html = get_list(client, query).content.decode()
    assert "ces filtres ne sont pas appliqués" in html
    assert f"{label}&nbsp;: Sélectionnez un choix valide. {value} n’en fait pas partie." in html
    assert 'href="?"' in html and "Retirer ce filtre" in html


def test_the_valid_filters_still_apply_beside_a_refused_one(client):
    response = get_list(client, "departement=69&departement=zz&fonction=accompagnements")
    assert response.context["page"].paginator.count == 6  # every accompagnement
    html = response.content.decode()
    assert 'href="?fonction=accompagnements"' in html  # drops the refused parameter only
    # The refused value is not shown as an active filter.
    assert "Département&nbsp;: Rhône (69)" not in html


def test_a_refused_sort_falls_back_to_titles(client):
    response = get_list(client, "tri=au-hasard")
    titles = [e.title for e in response.context["page"].object_list]
    # Sorted by title, the accent in its place: « Aéro » before « Agir ».
    assert titles[:2] == [
        "Aéro XV, entreprise adaptée de la filière aéronautique à Colomiers",
        "Agir Ensemble à Charenton",
    ]


def test_values_are_escaped_in_messages(client):
    html = get_list(client, "region=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "query",
    [
        "categorie=",
        "departement=&departement=69",
        "q=%00",
        "departement=%00",
        "region=8%004",
        "categorie=mecenat%00",
        "fonction=%00&theme=%00",
        "tri=%00",
        "q=ronalpia%00",
        "q=%FF%FE",
        'q="',
        "q=-",
        "q=!!!(((&&&|||:*",
        "q=le",
        "tri=",
        "page=",
        "region=" + "9" * 3000,
        "departement=69&" * 200,
        "inconnu=1",
    ],
)
def test_malformed_values_never_fail(client, query):
    get_list(client, query)


def test_a_null_character_in_the_search_is_explained(client):
    html = get_list(client, "q=ronalpia%00").content.decode()
    assert "Recherche&nbsp;: Le caractère nul n’est pas autorisé." in html


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("1.5", 1),
        ("2", 2),
        ("3", 3),
        ("1000", "last"),
        ("999999999999999999999", "last"),
        ("9" * 5000, 1),
    ],
)
def test_a_bad_page_number_gives_the_nearest_page(client, number, expected):
    response = get_list(client, f"page={number}")
    page = response.context["page"]
    if expected == "last":  # past the end: the last page, whatever the directory's size
        assert page.paginator.num_pages > 3
        expected = page.paginator.num_pages
    assert page.number == expected


@pytest.mark.parametrize("url", ["/categories/mecenat/", "/fonctions/accompagnements/"])
@pytest.mark.parametrize("number", ["0", "-3", "abc", "99"])
def test_bad_page_numbers_on_other_paginated_pages(client, url, number):
    assert client.get(f"{url}?page={number}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/inconnu/",
        "/exemples/ronalpia/plus/",
        "/exemples/été/",
        "/categories/mecenat/plus/",
        "/departements/69/plus/",
        "/regions/%00/",
    ],
)
def test_an_unknown_path_is_a_french_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    "url", [LIST_URL, "/exemples/ronalpia/", "/territoires/", "/a-propos/", "/"]
)
def test_public_pages_refuse_post(client, url):
    assert client.post(url).status_code == 405
