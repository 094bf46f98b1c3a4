"""Property-based (hypothesis), as tests/test_generated_input.py for the pages: whatever query
string, path or headers reach the API or the embeddable selection, the answer is a 2xx or a 4xx
with a French message, never a server error."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.test_generated_input import (
    PATH_SEGMENTS,
    assert_no_server_error,
    query_strings,
    request_headers,
)

pytestmark = pytest.mark.django_db

API_URLS = [
    "/api/v1/",
    "/api/v1/exemples/",
    "/api/v1/exemples/ronalpia/",
    "/api/v1/categories/",
    "/api/v1/fonctions/accompagnements/",
    "/api/v1/regions/84/",
    "/api/v1/departements/2A/",
    "/api/v1/partenaires/",
    "/api/v1/openapi.json",
]
PAGES = ["/api/", "/integrer/", "/integrer/code/"]
API_PREFIXES = [
    "/api/v1/exemples/",
    "/api/v1/categories/",
    "/api/v1/fonctions/",
    "/api/v1/themes/",
    "/api/v1/regions/",
    "/api/v1/departements/",
    "/api/v1/territoires/",
    "/api/v1/partenaires/",
    "/integrer/",
]


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    # Hypothesis sends hundreds of requests from one address within a minute.
    settings.API_RATE_LIMIT = "100000/m"


@given(url=st.sampled_from(API_URLS), query=query_strings(), headers=request_headers)
def test_any_query_string_on_the_api(url, query, headers):
    response = Client().get(f"{url}?{query}", **headers)
    assert_no_server_error(response)
    if 400 <= response.status_code < 500 and response.status_code != 406:
        assert response.json()["detail"]


@given(url=st.sampled_from(PAGES), query=query_strings(), headers=request_headers)
def test_any_query_string_on_the_embed_and_documentation(url, query, headers):
    response = Client().get(f"{url}?{query}", **headers)
    assert_no_server_error(response)
    assert response.status_code == 200


@given(
    prefix=st.sampled_from(API_PREFIXES),
    segment=st.one_of(st.sampled_from(PATH_SEGMENTS), st.text(max_size=20)),
)
def test_any_path_under_the_api(prefix, segment):
    response = Client().get(f"{prefix}{quote(segment, safe='/')}/")
    assert_no_server_error(response)
