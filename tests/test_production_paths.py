"""The public pages as production serves them. The rest of the suite runs with the page cache
off and the directory index rebuilt inline by the request that finds it out of date, inside the
test's transaction (pyproject.toml); production does neither. Here the page cache is on, the
index is warmed before the first request (as the gunicorn master does before it forks) and a
background thread follows the committed data: each page is checked as rendered, then as served
from the cache."""

import threading
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from examples import directory_version
from examples.directory_refresh import keeper

from .example_builders import make_example

WITHIN_SECONDS = 5

# Each URL with what a visitor must find on it.
PAGES = {
    "/": ["Faire alliance — exemples inspirants", "Les quatre catégories de partenariat"],
    "/exemples/?categorie=mecenat&region=84&tri=recent": ["Les exemples inspirants", "Ronalpia"],
    "/exemples/?q=cent+sept&departement=69": ["Cent Sept", "Gestion d’un lieu"],
    "/exemples/ronalpia/": ["<h1>Ronalpia</h1>", "Auvergne-Rhône-Alpes"],
    "/categories/mecenat/": ["<h1>Mécénat</h1>", "Le mécénat se traduit par un soutien"],
    "/fonctions/gestion-d-un-lieu/": ["<h1>Gestion d’un lieu</h1>", "Cent Sept"],
    "/departements/69/": ["Rhône", "Ronalpia", "Cent Sept"],
    "/regions/84/": ["<h1>Auvergne-Rhône-Alpes</h1>", "Ronalpia"],
    "/territoires/": ["<h1>Les exemples par territoire</h1>", "Auvergne-Rhône-Alpes"],
    "/territoires/paris-est-marne-et-bois/": ["<h1>Paris Est Marne &amp; Bois</h1>"],
    "/sitemap.xml": ["http://testserver/sitemap-exemples.xml"],
    "/sitemap-exemples.xml": ["http://testserver/exemples/ronalpia/"],
    "/exemples/flux/?region=84": ["(région Auvergne-Rhône-Alpes)", "<title>Ronalpia</title>"],
}
# Streamed row by row, an export is never stored in the page cache (config/page_cache.py).
EXPORT = "/exemples/export.csv?region=84"


def following() -> int:
    return sum(thread.name == "directory-index" for thread in threading.enumerate())


def wait_for(condition, seconds: float = WITHIN_SECONDS) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not reached in time"
        time.sleep(0.02)


def caught_up() -> bool:
    return keeper.index is not None and keeper.index.generation == directory_version.read()


@pytest.fixture
def production(settings, fiche):
    """Production's settings, on the fiche as committed: the index warmed, then the thread that
    follows the version started, as config/gunicorn.py does for each worker."""
    settings.DIRECTORY_INDEX_IN_BACKGROUND = True
    settings.DIRECTORY_INDEX_POLL_SECONDS = 0.05
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    keeper.index = None
    keeper.warm()
    keeper.start_thread()
    yield
    # Turned off, the thread stops at its next check.
    settings.DIRECTORY_INDEX_IN_BACKGROUND = False
    wait_for(lambda: following() == 0)
    keeper.index = None
    cache.clear()


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.usefixtures("production")
def test_public_pages_are_rendered_then_served_from_the_cache(client):
    index = keeper.index
    for url, texts in PAGES.items():
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Cache"] == "MISS", url
        html = body(first)
        for text in texts:
            assert text in html, (url, text)
        again = client.get(url)
        assert again.status_code == 200, url
        assert again["X-Cache"] == "HIT", url
        assert again["Content-Type"] == first["Content-Type"], url
        assert body(again) == html, url
    # The warm index served every page: nothing was rebuilt.
    assert keeper.index is index
    assert following() == 1


@pytest.mark.usefixtures("production")
def test_the_export_is_streamed_and_never_stored(client):
    first = client.get(EXPORT)
    assert first.status_code == 200
    assert first["Content-Type"] == "text/csv; charset=utf-8"
    csv = body(first)
    assert csv.startswith("\ufeffslug;titre;")
    assert "\nronalpia;Ronalpia;" in csv
    again = client.get(EXPORT)
    assert again.status_code == 200
    assert again["X-Cache"] == "MISS"
    assert body(again) == csv


@pytest.mark.usefixtures("production")
def test_a_committed_write_replaces_the_cached_pages(client):
    url = "/exemples/?departement=48&tri=recent"
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    # Committed, as an editor's publication in another worker would be.
    make_example("Alliance lozérienne", departements=("48",), published_at=timezone.now())
    wait_for(caught_up)
    fresh = client.get(url)
    assert fresh["X-Cache"] == "MISS"
    assert "Alliance lozérienne" in body(fresh)
    cached = client.get(url)
    assert cached["X-Cache"] == "HIT"
    assert body(cached) == body(fresh)
