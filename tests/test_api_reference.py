"""What the examples are filtered on, in the API: categories, functions with their activities,
themes, régions, départements, territories and partners; each row's count is the number of
examples its filter gives, and its addresses answer."""

import pytest

from examples.models import Category, ExampleStatus, Partner
from territories.models import Activity, Departement, Function, Region, Territory
from tests.example_builders import make_example, make_partner

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
# (list address, key field, a known key, the model, its key column)
RESOURCES = [
    ("/api/v1/categories/", "slug", "mecenat", Category, "slug"),
    ("/api/v1/fonctions/", "slug", "accompagnements", Function, "slug"),
    ("/api/v1/themes/", "slug", "education", None, "slug"),
    ("/api/v1/regions/", "code", "84", Region, "code"),
    ("/api/v1/departements/", "code", "69", Departement, "code"),
    ("/api/v1/territoires/", "slug", "paris-est-marne-et-bois", Territory, "slug"),
]


def get_json(client, url: str, status: int = 200):
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == status, response.content[:500]
    return response.json()


@pytest.mark.parametrize(("url", "key", "known", "model", "column"), RESOURCES)
def test_each_list_gives_every_row_with_the_count_of_its_examples(
    client, url, key, known, model, column
):
    rows = get_json(client, url)
    if model is not None:
        assert sorted(row[key] for row in rows) == sorted(
            model.objects.values_list(column, flat=True)
        )
    counted = [row for row in rows if row["nombre_exemples"]]
    assert counted
    for row in counted[:6]:
        examples = get_json(client, row["url_exemples"])
        assert examples["total"] == row["nombre_exemples"], row[key]
    detail = get_json(client, f"{url}{known}/")
    assert detail == next(row for row in rows if row[key] == known)
    assert get_json(client, detail["url_api"]) == detail
    if "url" in detail:
        assert client.get(detail["url"].removeprefix(SITE)).status_code == 200


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/categories/plomberie/", "Aucune catégorie n’a le slug «\u00a0plomberie\u00a0»."),
        ("/api/v1/fonctions/plomberie/", "Aucune fonction n’a le slug «\u00a0plomberie\u00a0»."),
        ("/api/v1/themes/plomberie/", "Aucun thème n’a le slug «\u00a0plomberie\u00a0»."),
        ("/api/v1/regions/99/", "Aucune région n’a le code «\u00a099\u00a0»."),
        ("/api/v1/departements/2C/", "Aucun département n’a le code «\u00a02C\u00a0»."),
        ("/api/v1/territoires/lyon/", "Aucun territoire n’a le slug «\u00a0lyon\u00a0»."),
        (
            "/api/v1/partenaires/personne/",
            "Aucun partenaire d’un exemple publié n’a le slug «\u00a0personne\u00a0».",
        ),
    ],
)
def test_an_unknown_key_is_a_404_that_names_it(client, url, message):
    assert get_json(client, url, 404) == {"detail": message}


@pytest.mark.parametrize("url", [row[0] for row in RESOURCES] + ["/api/v1/categories/mecenat/"])
def test_these_addresses_take_no_parameter(client, url):
    body = get_json(client, f"{url}?page=2", 400)
    assert body["parametres"] == {
        "page": ["Paramètre inconnu. Cette adresse n’accepte aucun paramètre."]
    }


def test_a_category_gives_the_fiches_definition_forms_and_era(client):
    category = Category.objects.select_related("era").get(slug="mecenat")
    row = get_json(client, "/api/v1/categories/mecenat/")
    assert row["nom"] == "Mécénat"
    assert row["definition"] == category.definition
    assert row["formes"] == category.form_list
    assert row["ere"] == {
        "slug": category.era.slug,
        "nom": category.era.name,
        "periode": category.era.period,
    }
    assert row["part_des_partenariats"] == category.share_percent
    assert row["url"] == f"{SITE}/categories/mecenat/"


def test_a_function_lists_its_activities_in_the_fiches_order(client):
    row = get_json(client, "/api/v1/fonctions/accompagnements/")
    assert row["activites"] == list(
        Activity.objects.filter(function__slug="accompagnements")
        .order_by("order")
        .values_list("name", flat=True)
    )
    assert len(row["activites"]) == 4


def test_a_region_lists_its_departements_and_a_departement_names_its_region(client):
    region = get_json(client, "/api/v1/regions/84/")
    assert {"code": "69", "nom": "Rhône"} in region["departements"]
    assert len(region["departements"]) == 12
    departement = get_json(client, "/api/v1/departements/69/")
    assert departement["region"] == {"code": "84", "nom": "Auvergne-Rhône-Alpes"}
    regions = get_json(client, "/api/v1/regions/")
    # French order, accents aside: « Île-de-France » among the I, not after « Pays de la Loire ».
    names = [row["nom"] for row in regions]
    assert names.index("Île-de-France") < names.index("La Réunion") < names.index("Normandie")


def test_partners_are_those_of_published_examples_by_pages(client):
    hidden = make_partner("Entreprise d’un brouillon", kind="entreprise")
    make_example("Un brouillon", status=ExampleStatus.BROUILLON, partners=(hidden,))
    first = get_json(client, "/api/v1/partenaires/?par_page=50")
    assert first["total"] == Partner.objects.with_published_examples().count()
    assert first["pages"] == -(-first["total"] // 50)
    slugs = []
    url = "/api/v1/partenaires/?par_page=100"
    while url:
        page = get_json(client, url)
        slugs += [row["slug"] for row in page["resultats"]]
        url = page["suivante"]
    assert len(slugs) == len(set(slugs)) == first["total"]
    assert hidden.slug not in slugs
    get_json(client, f"/api/v1/partenaires/{hidden.slug}/", 404)
    assert get_json(client, "/api/v1/partenaires/?page=0", 400)["parametres"]["page"]
    assert get_json(client, "/api/v1/partenaires/?q=macif", 400)["parametres"]["q"]


def test_a_partner_lists_its_published_alliances_with_its_role(client):
    partner = make_partner("Fondation Essai", kind="fondation", website="https://essai.example")
    make_example("Alliance publiée", partners=(partner,))
    make_example("Alliance en brouillon", status=ExampleStatus.BROUILLON, partners=(partner,))
    partner.examplepartner_set.filter(example__slug="alliance-publiee").update(role="mécène")
    row = get_json(client, "/api/v1/partenaires/fondation-essai/")
    assert row["type"] == "fondation"
    assert row["site_web"] == "https://essai.example"
    assert row["nombre_exemples"] == 1
    assert row["exemples"] == [
        {
            "slug": "alliance-publiee",
            "titre": "Alliance publiée",
            "role": "mécène",
            "url": f"{SITE}/exemples/alliance-publiee/",
            "url_api": f"{SITE}/api/v1/exemples/alliance-publiee/",
        }
    ]
    assert row["url"] == f"{SITE}/partenaires/fondation-essai/"


def test_a_partner_of_no_kind_has_a_null_type(client):
    partner = make_partner("Collectif Essai")
    make_example("Alliance du collectif", partners=(partner,))
    assert get_json(client, "/api/v1/partenaires/collectif-essai/")["type"] is None
