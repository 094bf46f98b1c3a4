"""HTML is sent compressed where it holds no secret (issue 18): the list, its htmx updates and
the other public pages; never a page with a CSRF token or for a visitor with a session, which
a compression side channel (BREACH) could read. Pages the page cache stores are compressed once,
by it (config/page_cache.py)."""

import gzip

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.curation import make_editor

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def body(response) -> str:
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


def assert_compressed(response) -> None:
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)


def assert_not_compressed(response) -> None:
    assert response.status_code == 200
    assert "Content-Encoding" not in response


@pytest.fixture(params=[0, 300], ids=["sans cache de pages", "avec cache de pages"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = request.param
    cache.clear()
    yield request.param
    cache.clear()


def test_the_list_is_sent_compressed(client, page_cache):
    plain = client.get(LIST_URL, {"theme": "education"}).content.decode()
    for _ in range(2):  # rendered, then (with the page cache) served from it
        response = client.get(LIST_URL, {"theme": "education"}, headers=GZIP)
        assert_compressed(response)
        assert body(response) == plain
        assert len(response.content) * 5 < len(plain)


def test_an_htmx_update_is_sent_compressed(client, page_cache):
    headers = {
        **GZIP,
        "HX-Request": "true",
        "HX-Current-URL": f"http://testserver{LIST_URL}",
        "HX-Trigger": "filtres",
    }
    response = client.get(LIST_URL, {"theme": "education"}, headers=headers)
    assert_compressed(response)
    html = body(response)
    assert '<div id="carte-resultats" hx-swap-oob="innerHTML">' in html
    # The map's areas once compressed: a few kilobytes for the whole update.
    assert len(response.content) < 12_000


def test_other_public_pages_are_sent_compressed(client, page_cache):
    for url in ("/", "/exemples/ronalpia/", "/territoires/", "/departements/69/"):
        assert_compressed(client.get(url, headers=GZIP))


def test_a_page_with_a_csrf_token_is_never_compressed(client, page_cache):
    response = client.get(reverse("proposals:propose"), headers=GZIP)
    assert_not_compressed(response)
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_visitor_with_a_session_gets_uncompressed_pages(client, page_cache):
    client.force_login(make_editor())
    for url in (LIST_URL, "/"):
        assert_not_compressed(client.get(url, headers=GZIP))


def test_the_admin_is_never_compressed(client, page_cache):
    client.force_login(make_editor())
    response = client.get("/admin/", headers=GZIP)
    assert_not_compressed(response)


def test_without_gzip_in_accept_encoding_nothing_is_compressed(client, page_cache):
    response = client.get(LIST_URL)
    assert_not_compressed(response)
    assert "Les exemples inspirants" in response.content.decode()


def test_exports_are_left_as_they_are_streamed(client, page_cache):
    response = client.get(reverse("examples:export_csv"), headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
