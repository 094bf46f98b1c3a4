"""The API's examples (/api/v1/exemples/): the list's filters, search and order, pagination,
the detail with its partners, reasons and sources, and a clear 400 or 404 for what it cannot
answer, never a 500."""

import json

import pytest
from django.urls import reverse

from api.parameters import EXAMPLE_FILTERS
from examples.exports import COLUMNS, KIND_LABELS
from examples.filters import ExampleFilter
from examples.models import Example, ExampleStatus
from territories.models import Function
from tests.example_builders import make_example, make_partner

pytestmark = pytest.mark.django_db

LIST = "/api/v1/exemples/"
PUBLISHED = 75  # the fiche's 23 examples and the 52 editorial additions
# Each filter of the list alone, several values of one, several filters, search and order.
QUERIES = [
    "",
    "q=numérique",
    "q=aliance",  # corrected to « alliance »
    "q=aliance&exact=1",
    'q="tiers lieu"',
    "q=entreprise -fondation",
    "categorie=mecenat",
    "categorie=mecenat&categorie=innovation-societale",
    "fonction=accompagnements",
    "theme=education",
    "type_partenaire=fondation",
    "type_partenaire=collectivite&type_partenaire=academique",
    "region=84",
    "departement=69",
    "departement=69&departement=94",
    "territoire=paris-est-marne-et-bois",
    "tri=recent",
    "tri=titre&q=association",
    "fonction=accompagnements&region=84&tri=recent",
]


def get_json(client, url: str, status: int = 200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def every_result(client, query: str) -> list[dict]:
    """Every example of the selection, page after page, by following `suivante`."""
    url = f"{LIST}?{query}&par_page=7" if query else f"{LIST}?par_page=7"
    results = []
    while url:
        page = get_json(client, url.removeprefix("http://127.0.0.1:8000"))
        results += page["resultats"]
        url = page["suivante"]
    return results


def list_page_slugs(client, query: str) -> list[str]:
    response = client.get(f"/exemples/?{query}")
    assert response.status_code == 200
    return [example.slug for example in response.context["page"].paginator.object_list]


@pytest.mark.parametrize("query", QUERIES)
def test_each_filter_gives_the_list_pages_examples_in_its_order(client, query):
    slugs = [example["slug"] for example in every_result(client, query)]
    assert slugs == list_page_slugs(client, query)
    assert get_json(client, f"{LIST}?{query}")["total"] == len(slugs)
    # Each filter narrows the directory without emptying it: it really is applied. A search
    # run as typed finds nothing for a misspelt word.
    if "exact=1" in query:
        assert slugs == []
    elif query and not query.startswith("tri="):
        assert 0 < len(slugs) < PUBLISHED


def test_the_list_gives_every_published_example_and_no_other(client):
    make_example("Un brouillon de la Drôme", status=ExampleStatus.BROUILLON)
    results = every_result(client, "")
    assert len(results) == PUBLISHED == Example.objects.published().count()
    assert "un-brouillon-de-la-drome" not in {example["slug"] for example in results}


def test_the_documented_filters_are_the_lists_filters():
    assert list(EXAMPLE_FILTERS) == list(ExampleFilter.base_filters)


def test_a_list_item_names_its_relations_and_links_to_its_page_and_detail(client):
    partner = make_partner("Coopérative Essai", kind="entreprise")
    make_example(
        "Une ressourcerie à Valence",
        summary="Une ressourcerie et une entreprise s’allient.",
        categories=("mecenat",),
        functions=("gestion-d-un-lieu",),
        themes=("education",),
        departements=("26",),
        partners=(partner,),
        commune="Valence",
    )
    (item,) = get_json(client, f"{LIST}?q=ressourcerie+valence")["resultats"]
    assert item["titre"] == "Une ressourcerie à Valence"
    assert item["resume"] == "Une ressourcerie et une entreprise s’allient."
    assert item["categories"] == [{"slug": "mecenat", "nom": "Mécénat"}]
    place = Function.objects.get(slug="gestion-d-un-lieu")
    assert item["fonctions"] == [{"slug": "gestion-d-un-lieu", "nom": place.name}]
    assert item["themes"] == [{"slug": "education", "nom": "Éducation"}]
    assert item["departements"] == [{"code": "26", "nom": "Drôme"}]
    assert item["regions"] == [{"code": "84", "nom": "Auvergne-Rhône-Alpes"}]
    assert item["territoire"] is None
    assert item["commune"] == "Valence"
    assert item["site_web"] is None
    assert item["a_verifier"] is False
    assert item["partenaires"] == [
        {
            "slug": "cooperative-essai",
            "nom": "Coopérative Essai",
            "type": "entreprise",
            "role": None,
            "url_api": "http://127.0.0.1:8000/api/v1/partenaires/cooperative-essai/",
        }
    ]
    assert item["url"] == "http://127.0.0.1:8000/exemples/une-ressourcerie-a-valence/"
    assert client.get(item["url"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    detail = get_json(client, item["url_api"].removeprefix("http://127.0.0.1:8000"))
    assert detail["slug"] == item["slug"]
    # The list leaves out what only the detail gives.
    assert {"description", "sources", "chiffres"} & set(item) == set()


def test_field_names_and_values_follow_the_exports(client):
    (item,) = get_json(client, f"{LIST}?q=ronalpia&departement=38")["resultats"]
    export = client.get("/exemples/export.json?q=ronalpia&departement=38")
    (record,) = json.loads(b"".join(export.streaming_content))["exemples"]
    shared = set(COLUMNS) & set(item)
    assert shared >= {"slug", "titre", "resume", "categories", "fonctions", "departements"}
    assert [value["slug"] for value in item["categories"]] == record["categories"]
    assert [value["slug"] for value in item["fonctions"]] == record["fonctions"]
    assert [value["code"] for value in item["departements"]] == record["departements"]
    assert sorted(value["nom"] for value in item["regions"]) == sorted(record["regions"])
    assert sorted(
        f"{partner['nom']} ({KIND_LABELS[partner['type']]})" if partner["type"] else partner["nom"]
        for partner in item["partenaires"]
    ) == sorted(record["partenaires"])
    for name in ("slug", "titre", "resume", "url", "origine", "commune", "annee_lancement"):
        assert item[name] == record[name], name


def test_the_detail_gives_partners_with_roles_reasons_sources_and_figures(client):
    example = Example.objects.get(slug="ronalpia")
    detail = get_json(client, f"{LIST}ronalpia/")
    assert detail["description"] == example.description
    assert [(partner["nom"], partner["role"]) for partner in detail["partenaires"]] == [
        (link.partner.name, link.role) for link in example.partner_links()
    ]
    assert detail["partenaires"][0]["type"] == "association"
    assert [(category["slug"], category["raison"]) for category in detail["categories"]] == [
        (link.category.slug, link.reason) for link in example.classifications()
    ]
    assert [source["url"] for source in detail["sources"]] == [
        source.url for source in example.sources.all()
    ]
    assert detail["sources"][0]["editeur"]
    assert len(detail["chiffres"]) == example.figures.count() > 0
    assert detail["departements"] == [
        {"code": "38", "nom": "Isère"},
        {"code": "42", "nom": "Loire"},
        {"code": "69", "nom": "Rhône"},
    ]
    assert detail["regions"] == [{"code": "84", "nom": "Auvergne-Rhône-Alpes"}]
    assert detail["origine"] == "Cité par la fiche"
    assert detail["ce_que_dit_la_fiche"] == (example.fiche_text or None)


@pytest.mark.parametrize("status", [ExampleStatus.BROUILLON, ExampleStatus.PROPOSE])
def test_an_unpublished_example_is_not_found(client, status):
    make_example("Une alliance pas encore publiée", status=status)
    body = get_json(client, f"{LIST}une-alliance-pas-encore-publiee/", 404)
    assert body == {
        "detail": "Aucun exemple publié n’a le slug «\u00a0une-alliance-pas-encore-publiee\u00a0»."
    }


def test_pages_link_to_each_other_and_cover_the_selection_once(client):
    first = get_json(client, f"{LIST}?par_page=10")
    assert (first["total"], first["page"], first["pages"], first["par_page"]) == (
        PUBLISHED,
        1,
        8,
        10,
    )
    assert first["precedente"] is None
    assert first["suivante"] == "http://127.0.0.1:8000/api/v1/exemples/?par_page=10&page=2"
    last = get_json(client, f"{LIST}?par_page=10&page=8")
    assert len(last["resultats"]) == 5
    assert last["suivante"] is None
    assert last["precedente"].endswith("page=7")
    assert len(get_json(client, LIST)["resultats"]) == 20
    slugs = [example["slug"] for example in every_result(client, "")]
    assert len(slugs) == len(set(slugs)) == PUBLISHED


def test_an_empty_selection_is_an_empty_first_page(client):
    body = get_json(client, f"{LIST}?categorie=mecenat&departement=15")
    assert (body["total"], body["pages"], body["resultats"]) == (0, 1, [])


def test_a_page_past_the_end_is_not_found(client):
    body = get_json(client, f"{LIST}?fonction=accompagnements&page=2", 404)
    assert body == {"detail": "La page 2 n’existe pas\u00a0: cette liste compte 1 page."}


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("page=0", "page", "Un nombre entier à partir de 1 est attendu, pas «\u00a00\u00a0»."),
        ("page=deux", "page", "Un nombre entier à partir de 1 est attendu"),
        ("page=1.5", "page", "Un nombre entier à partir de 1 est attendu"),
        ("par_page=101", "par_page", "Un nombre entier de 1 à 100 est attendu"),
        ("par_page=-3", "par_page", "Un nombre entier de 1 à 100 est attendu"),
        ("departement=zz", "departement", "Sélectionnez un choix valide. zz n’en fait pas partie."),
        ("categorie=plomberie", "categorie", "plomberie n’en fait pas partie"),
        ("fonction=", "fonction", "n’en fait pas partie"),
        ("theme=Education", "theme", "Education n’en fait pas partie"),
        ("type_partenaire=mecene", "type_partenaire", "mecene n’en fait pas partie"),
        ("region=11&region=999", "region", "999 n’en fait pas partie"),
        ("territoire=lyon", "territoire", "lyon n’en fait pas partie"),
        ("tri=hasard", "tri", "hasard n’en fait pas partie"),
        ("q=%00", "q", "Le caractère nul n’est pas autorisé."),
        ("fonctions=accompagnements", "fonctions", "Paramètre inconnu. Paramètres acceptés"),
        ("format=csv", "format", "Paramètre inconnu."),
    ],
)
def test_a_bad_parameter_is_a_400_that_says_what_is_wrong(client, query, parameter, message):
    body = get_json(client, f"{LIST}?{query}", 400)
    assert body["detail"] == (
        "Une partie de l’adresse n’a pas pu être comprise\u00a0: voyez «\u00a0parametres\u00a0»."
    )
    assert list(body["parametres"]) == [parameter]
    assert message in " ".join(body["parametres"][parameter])


def test_the_detail_takes_no_parameter(client):
    body = get_json(client, f"{LIST}ronalpia/?page=2", 400)
    assert body["parametres"] == {
        "page": ["Paramètre inconnu. Cette adresse n’accepte aucun paramètre."]
    }


def test_an_unknown_address_under_the_api_is_not_found(client):
    assert client.get("/api/v1/exemplaires/").status_code == 404
    assert client.get(f"{LIST}un-slug-inconnu/").json() == {
        "detail": "Aucun exemple publié n’a le slug «\u00a0un-slug-inconnu\u00a0»."
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_only_reads(client, method):
    response = getattr(client, method)(LIST, data={}, content_type="application/json")
    assert response.status_code == 405
    assert "non autorisée" in response.json()["detail"]
    assert Example.objects.published().count() == PUBLISHED


def test_the_api_root_lists_addresses_that_answer(client):
    root = get_json(client, reverse("api:root"))
    assert root["licence"]["nom"] == "Licence Ouverte 2.0"
    addresses = [value for value in root.values() if isinstance(value, str)]
    assert len(addresses) == 11
    for address in addresses:
        assert client.get(address.removeprefix("http://127.0.0.1:8000")).status_code == 200
