"""The API over HTTP: open to every site's scripts for reading (CORS), without cookies, limited
per client address with a clear 429, cached like the pages and refreshed by the same version of
the directory; its OpenAPI schema is valid, and its French documentation page explains it."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from api.serializers import ExampleDetailSerializer
from examples.models import Example, ExampleStatus

pytestmark = pytest.mark.django_db

LIST = "/api/v1/exemples/"
ORIGIN = "https://www.region-exemple.fr"


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


# CORS


def test_any_site_may_read_the_api_without_credentials(client):
    response = client.get(LIST, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Access-Control-Expose-Headers"] == "Retry-After"


def test_the_preflight_allows_reading_only(client):
    response = client.options(
        LIST, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("url", ["/exemples/", "/api/", "/exemples/export.json"])
def test_pages_outside_the_api_stay_closed_to_other_sites_scripts(client, url):
    response = client.get(url, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response


def test_a_cached_response_follows_each_requests_origin(client, page_cache_on):
    client.get(LIST, headers={"Origin": ORIGIN})
    hit = client.get(LIST)
    assert hit["X-Cache"] == "HIT"
    assert "Access-Control-Allow-Origin" not in hit
    hit = client.get(LIST, headers={"Origin": ORIGIN})
    assert hit["X-Cache"] == "HIT"
    assert hit["Access-Control-Allow-Origin"] == "*"


# Cookies


@pytest.mark.parametrize("url", [LIST, f"{LIST}ronalpia/", "/api/v1/", "/api/v1/openapi.json"])
def test_the_api_sets_no_cookie(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response


def test_a_visitor_with_a_session_gets_the_same_answer(client, admin_user):
    anonymous = client.get(f"{LIST}?fonction=accompagnements").json()
    client.force_login(admin_user)
    assert client.get(f"{LIST}?fonction=accompagnements").json() == anonymous


def test_the_api_never_shows_a_draft_even_to_the_staff(client, admin_user):
    draft = Example.objects.create(title="Brouillon confidentiel", slug="brouillon-confidentiel")
    client.force_login(admin_user)
    assert client.get(f"{LIST}{draft.slug}/").status_code == 404
    assert client.get(f"{LIST}?q=confidentiel").json()["total"] == 0


# Rate limit


@pytest.fixture
def three_a_minute(settings):
    settings.API_RATE_LIMIT = "3/m"


def test_past_the_limit_an_address_gets_a_french_429_with_retry_after(client, three_a_minute):
    for _ in range(3):
        assert client.get(LIST).status_code == 200
    response = client.get(LIST, headers={"Origin": ORIGIN})
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60
    assert response.json() == {
        "detail": "Trop de requêtes depuis votre adresse\u00a0: l’API en accepte 3 requêtes par "
        f"minute. Réessayez dans {seconds} seconde{'s' if seconds > 1 else ''}."
    }
    # A script on another site can read why, and when to come back.
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-store" in response["Cache-Control"]
    # Every address of the API counts, the pages of the site do not.
    assert client.get("/api/v1/categories/").status_code == 429
    assert client.get("/api/").status_code == 200
    assert client.get("/exemples/").status_code == 200


def test_the_limit_counts_each_address_apart(client, three_a_minute):
    for _ in range(4):
        client.get(LIST, REMOTE_ADDR="192.0.2.1")
    assert client.get(LIST, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get(LIST, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_limit_reads_the_address_the_proxy_gives(client, settings, three_a_minute):
    settings.CLIENT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    for _ in range(3):
        client.get(LIST, headers={"X-Forwarded-For": "203.0.113.5"})
    assert client.get(LIST, headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert client.get(LIST, headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 200


def test_answers_from_the_page_cache_count_too(client, page_cache_on, three_a_minute):
    assert client.get(LIST)["X-Cache"] == "MISS"
    assert client.get(LIST)["X-Cache"] == "HIT"
    assert client.get(LIST)["X-Cache"] == "HIT"
    assert client.get(LIST).status_code == 429


def test_the_limit_is_documented(client, three_a_minute):
    assert "3 requêtes par minute par adresse IP" in client.get("/api/").content.decode()


# Cache


def test_an_answer_is_cached_and_a_change_shows_at_once(client, page_cache_on):
    url = f"{LIST}?fonction=accompagnements"
    first = client.get(url)
    assert first["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    example = Example.objects.get(slug="ronalpia")
    example.title = "Ronalpia, incubateur"
    example.save()
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Ronalpia, incubateur" in [item["titre"] for item in after.json()["resultats"]]
    example.status = ExampleStatus.ARCHIVE
    example.save()
    assert client.get(f"{LIST}ronalpia/").status_code == 404
    assert client.get(url).json()["total"] == first.json()["total"] - 1


def test_errors_are_not_cached(client, page_cache_on):
    assert client.get(f"{LIST}?page=x")["X-Cache"] == "MISS"
    assert client.get(f"{LIST}?page=x")["X-Cache"] == "MISS"


# Schema


def test_the_schema_is_valid_openapi_without_warning(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    validate_schema(schema)
    assert schema["info"]["license"]["name"] == "Licence Ouverte 2.0"


def test_the_schema_is_served_in_json_and_yaml(client):
    as_json = client.get("/api/v1/openapi.json")
    assert as_json.status_code == 200
    schema = json.loads(as_json.content)
    validate_schema(schema)
    as_yaml = client.get("/api/v1/openapi.yaml")
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content) == schema


def test_the_schema_describes_every_address_filter_and_field(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/",
        "/api/v1/exemples/",
        "/api/v1/exemples/{slug}/",
        "/api/v1/categories/",
        "/api/v1/categories/{slug}/",
        "/api/v1/fonctions/",
        "/api/v1/fonctions/{slug}/",
        "/api/v1/themes/",
        "/api/v1/themes/{slug}/",
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
        "/api/v1/departements/",
        "/api/v1/departements/{code}/",
        "/api/v1/territoires/",
        "/api/v1/territoires/{slug}/",
        "/api/v1/partenaires/",
        "/api/v1/partenaires/{slug}/",
    }
    for operations in paths.values():
        assert set(operations) == {"get"}
        assert {"200", "400", "404", "429"} <= set(operations["get"]["responses"])
    parameters = {
        parameter["name"] for parameter in paths["/api/v1/exemples/"]["get"]["parameters"]
    }
    assert parameters == {"q", "exact", "categorie", "fonction", "theme", "type_partenaire"} | {
        "region",
        "departement",
        "territoire",
        "tri",
        "page",
        "par_page",
    }
    detail = schema["components"]["schemas"]["ExempleDetail"]["properties"]
    assert set(detail) == set(ExampleDetailSerializer().fields)
    assert all(field.get("description") for field in detail.values()), [
        name for name, field in detail.items() if not field.get("description")
    ]


# Documentation


def test_the_documentation_explains_the_api_in_french(client):
    response = client.get(reverse("api:documentation"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>L’API de Faire alliance</h1>" in page
    assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"' in page
    assert 'href="http://127.0.0.1:8000/api/v1/openapi.json"' in page
    assert 'href="http://127.0.0.1:8000/api/v1/openapi.yaml"' in page
    assert "curl " in page
    assert "Power Query" in page
    assert "faire-alliance:hauteur" in page
    assert 'href="/integrer/code/"' in page
    for name, field in ExampleDetailSerializer().fields.items():
        assert f"<code>{name}</code>" in page
        assert field.help_text, name
    for parameter in ("q", "exact", "categorie", "type_partenaire", "tri", "page", "par_page"):
        assert f"<tr><td><code>{parameter}</code></td>" in page


def test_every_address_the_documentation_links_to_answers(client):
    page = client.get(reverse("api:documentation")).content.decode()
    addresses = {link.split('"')[0] for link in page.split('href="http://127.0.0.1:8000')[1:]}
    assert len(addresses) >= 10
    for address in addresses:
        assert client.get(address).status_code == 200, address


def test_the_documentation_is_in_the_sitemap(client):
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "/api/</loc>" in pages
