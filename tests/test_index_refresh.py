"""The path production takes to keep each process's directory index current
(examples/directory_refresh.py): a background thread follows PostgreSQL's version of the
directory, requests never wait on a rebuild, and a page rendered from an out-of-date index is
never stored in the page cache. These tests commit, as production does, so that the thread's
own connection sees their writes."""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from examples import directory_version
from examples.directory_refresh import IndexKeeper, keeper
from examples.models import Example, ExampleStatus

from .example_builders import make_example

LIST_URL = reverse("examples:list")
# Issue 17's bound for a write to reach every worker.
WITHIN_SECONDS = 2


def following() -> int:
    return sum(thread.name == "directory-index" for thread in threading.enumerate())


@pytest.fixture
def background(settings, fiche):
    settings.DIRECTORY_INDEX_IN_BACKGROUND = True
    settings.DIRECTORY_INDEX_POLL_SECONDS = 0.05
    settings.PAGE_CACHE_SECONDS = 300
    keeper.index = None
    yield
    # Turned off, the threads stop at their next check.
    settings.DIRECTORY_INDEX_IN_BACKGROUND = False
    wait_for(lambda: following() == 0)
    keeper.index = None


def wait_for(condition, seconds: float = WITHIN_SECONDS) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not reached in time"
        time.sleep(0.02)
    return time.monotonic() - started


def caught_up() -> bool:
    """Whether this process's index holds the latest committed version of the directory, and
    its thread has read that version (requests then take it from the thread)."""
    version = directory_version.read()
    followed = directory_version._followed
    index = keeper.index
    return (
        index is not None
        and index.generation == version
        and followed is not None
        and followed[0] == version
    )


def titles(client, **params) -> list[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return [example.title for example in response.context["page"].object_list]


@pytest.mark.usefixtures("background")
def test_a_committed_write_reaches_the_index_without_any_request(client):
    assert "Alliance venue d’un autre processus" not in titles(client, departement="48")
    index = keeper.index
    # As a shell, an import or another worker would: committed, nothing sent to this process.
    make_example("Alliance venue d’un autre processus", departements=("48",))
    wait_for(caught_up)
    assert keeper.index is not index
    assert "Alliance venue d’un autre processus" in titles(client, departement="48")


@pytest.mark.usefixtures("background")
def test_an_unpublished_example_leaves_the_list_of_every_process_in_time(client):
    assert "Ronalpia" in titles(client, departement="69")
    Example.objects.filter(title="Ronalpia").update(status=ExampleStatus.ARCHIVE)
    wait_for(caught_up)
    response = client.get(LIST_URL, {"departement": "69"})
    assert "Ronalpia" not in response.content.decode()
    # The counts, which only the index knows, have caught up too.
    published = Example.objects.published().filter(departements__code="69").count()
    assert response.context["page"].paginator.count == published


@pytest.mark.usefixtures("background")
def test_a_request_never_waits_on_a_rebuild_and_its_page_is_not_kept(client, monkeypatch):
    # No thread here: the index stays out of date for as long as the test needs.
    monkeypatch.setattr(keeper, "start_thread", lambda: None)
    client.get(LIST_URL)
    index = keeper.index
    make_example("Alliance pas encore indexée", departements=("48",))
    with keeper._build_lock:  # as held by a thread in the middle of a rebuild
        outcome = {}
        request = threading.Thread(
            target=lambda: outcome.setdefault("response", client.get(LIST_URL, {"q": "indexée"}))
        )
        request.start()
        request.join(timeout=5)
        assert not request.is_alive(), "the request waited on the rebuild"
    assert keeper.index is index
    # The out-of-date page is served, but not stored under the new version.
    assert outcome["response"].status_code == 200
    assert outcome["response"]["X-Cache"] == "MISS"
    assert client.get(LIST_URL, {"q": "indexée"})["X-Cache"] == "MISS"


@pytest.mark.usefixtures("background")
def test_one_thread_per_process_follows_the_version(client, settings):
    before = following()
    other = IndexKeeper()
    other.start_thread()
    other.start_thread()
    assert following() == before + 1
    wait_for(lambda: other.index is not None)
    assert other.index.size == keeper.current().size
    # Turned off, it stops at its next check.
    settings.DIRECTORY_INDEX_IN_BACKGROUND = False
    wait_for(lambda: following() == before)


@pytest.mark.usefixtures("background")
def test_a_cached_page_costs_no_query_and_still_follows_any_write(client):
    client.get(reverse("territories:departement", args=["48"]))
    wait_for(caught_up)
    page = reverse("territories:departement", args=["48"])
    assert client.get(page)["X-Cache"] in {"MISS", "HIT"}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    assert response["X-Cache"] == "HIT"
    assert len(queries) == 0, queries.captured_queries  # the version: from the refresh thread
    make_example("Alliance lozérienne du jour", departements=("48",))
    waited = wait_for(lambda: "Alliance lozérienne du jour" in client.get(page).content.decode())
    assert waited < WITHIN_SECONDS
