"""The Atom feed, the sitemap, robots.txt and what search engines read on each page."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from examples.models import Example, ExampleStatus
from tests.example_builders import make_example, make_partner

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed_titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def test_feed_lists_the_latest_published_examples_first(client):
    make_example("Alliance toute neuve", departements=("69",), published_at=timezone.now())
    make_example(
        "Alliance ancienne",
        departements=("69",),
        published_at=timezone.now() - timedelta(days=3000),
    )
    make_example("Alliance en brouillon", status=ExampleStatus.BROUILLON, departements=("69",))
    titles = feed_titles(client, "/exemples/flux/")
    assert titles[0] == "Alliance toute neuve"
    assert "Alliance en brouillon" not in titles
    # The whole directory is longer than the feed: in the Rhône, every example is in it.
    titles = feed_titles(client, "/exemples/flux/?departement=69")
    assert titles[0] == "Alliance toute neuve"
    assert titles[-1] == "Alliance ancienne"
    assert set(titles[1:-1]) == {
        "Ateliers de l’Entrepreneuriat Humaniste",
        "Cent Sept",
        "PIMMS Médiation Lyon Métropole",
        "Ronalpia",
    }


def test_feed_accepts_the_lists_filters(client):
    titles = feed_titles(client, "/exemples/flux/?fonction=gestion-d-un-lieu&departement=69")
    assert titles == ["Cent Sept"]
    root = ET.fromstring(client.get("/exemples/flux/?departement=69").content)
    assert "Rhône (69)" in root.find(f"{ATOM}title").text
    link = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link.endswith("/exemples/?departement=69")


@pytest.mark.parametrize(
    ("search", "shown"),
    [("\x08", None), ("cent\x08sept", "cent sept"), ("\x01cent\x1f\x7f", "cent")],
)
def test_a_search_with_control_characters_gives_a_feed_without_them(client, search, shown):
    response = client.get("/exemples/flux/", {"q": search})
    assert response.status_code == 200
    title = ET.fromstring(response.content).find(f"{ATOM}title").text
    if shown:
        assert f"recherche «\u00a0{shown}\u00a0»" in title
    else:
        assert "recherche" not in title


def test_an_example_holding_control_characters_stays_in_the_feed(client):
    make_example(
        "Alliance\x08 du\x0bRhône",
        summary="Un résumé\x0c collé\x1f d’un traitement de texte.",
        categories=("mecenat",),
        departements=("68",),
    )
    # The loaded content has no example in the Haut-Rhin: the feed holds this one only.
    response = client.get("/exemples/flux/?departement=68&categorie=mecenat")
    assert response.status_code == 200
    (entry,) = ET.fromstring(response.content).iter(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Alliance  du Rhône"
    assert entry.find(f"{ATOM}summary").text == "Un résumé  collé  d’un traitement de texte."


def test_feed_entries_link_to_their_page(client):
    root = ET.fromstring(client.get("/exemples/flux/?q=silver").content)
    (entry,) = root.iter(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href").endswith("/exemples/silver-geek/")
    terms = {category.get("term") for category in entry.iter(f"{ATOM}category")}
    assert {"Expérimentations collectives", "Vienne (86)"} <= terms


def test_feed_query_budget(client, django_assert_max_num_queries):
    in_region = set(
        Example.objects.published()
        .filter(departements__region__code="84")
        .values_list("title", flat=True)
    )
    with django_assert_max_num_queries(10):
        response = client.get("/exemples/flux/?region=84")
    # A budget kept by an error page would prove nothing: the feed must be the région's.
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert "(région Auvergne-Rhône-Alpes)" in root.find(f"{ATOM}title").text
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert in_region and set(titles) == in_region


def sitemap_locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_sitemap_index_points_to_every_section(client):
    sections = sitemap_locations(client, "/sitemap.xml")
    for name in [
        "pages",
        "exemples",
        "categories",
        "fonctions",
        "regions",
        "departements",
        "territoires",
    ]:
        assert f"http://testserver/sitemap-{name}.xml" in sections


def test_sitemap_lists_every_public_page(client):
    make_example("Alliance cachée", status=ExampleStatus.A_RELIRE, departements=("69",))
    every = set()
    for section in sitemap_locations(client, "/sitemap.xml"):
        every |= set(sitemap_locations(client, section.removeprefix("http://testserver")))
    paths = {location.removeprefix("http://testserver") for location in every}
    assert {"/", "/exemples/", "/territoires/", "/a-propos/"} <= paths
    assert "/exemples/silver-geek/" in paths
    assert "/categories/mecenat/" in paths
    assert "/fonctions/gestion-d-un-lieu/" in paths
    assert "/regions/84/" in paths and "/departements/2A/" in paths
    assert "/territoires/paris-est-marne-et-bois/" in paths
    assert not any("alliance-cachee" in path for path in paths)
    assert len([p for p in paths if re.fullmatch(r"/departements/\w+/", p)]) == 101
    # Every published example: the fiche's 23 and the 52 alliances added from sources.
    assert Example.objects.published().count() == 75
    assert len([p for p in paths if p.startswith("/exemples/") and p != "/exemples/"]) == 75


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_detail_page_carries_schema_org_json_ld(client):
    partner = make_partner("Fondation des <Alliances>", kind="fondation")
    example = make_example(
        "Alliance </script> à Lyon",
        summary="Un résumé.",
        departements=("69",),
        functions=("accompagnements",),
        partners=(partner,),
        website="https://alliance.example",
    )
    html = client.get(example.get_absolute_url()).content.decode()
    assert (
        "</script> à Lyon" not in html.split("<body>")[0].split("ld+json")[1].split("</script>")[0]
    )
    data = structured_data(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Project"
    assert data["name"] == "Alliance </script> à Lyon"
    assert data["url"].endswith(example.get_absolute_url())
    assert data["areaServed"] == [{"@type": "AdministrativeArea", "name": "Rhône (69)"}]
    assert data["member"] == [{"@type": "Organization", "name": "Fondation des <Alliances>"}]
    assert "Accompagnements" in data["keywords"]
    assert data["sameAs"] == "https://alliance.example"


@pytest.mark.parametrize(
    "url", ["/", "/exemples/", "/exemples/silver-geek/", "/territoires/", "/categories/mecenat/"]
)
def test_every_page_has_a_canonical_link_and_opengraph(client, url):
    html = client.get(url).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{url}">' in html
    assert f'<meta property="og:url" content="http://127.0.0.1:8000{url}">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert '<meta property="og:title"' in html and '<meta property="og:description"' in html


def test_detail_opengraph_describes_the_example(client):
    html = client.get("/exemples/silver-geek/").content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Silver Geek">' in html


def test_filtered_list_is_its_own_canonical_page(client):
    html = client.get("/exemples/?categorie=mecenat").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/exemples/?categorie=mecenat">' in html
