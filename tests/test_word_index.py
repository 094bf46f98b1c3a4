"""The word index (examples/word_index.py): a search for words, phrases and hyphenated words, with
or without exclusions, or for words joined by « or », is answered in memory with exactly
PostgreSQL's results, ranks and order; any other search still goes to the database."""

import threading

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse

from examples.directory_index import DirectoryIndex
from examples.models import Example, ExampleQuerySet, ExampleStatus, search_query_text
from examples.word_index import WordIndex, WordQuery, word_query

from .example_builders import found_by_database, make_example, make_partner

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")


@pytest.fixture
def compost():
    """Examples where the same words rank differently: title, summary, both, description,
    relations only, repeated, and a draft."""
    make_example("Compostage de quartier", summary="Le compost du quartier, composté ensemble.")
    make_example("Autre exemple", summary="Un projet de compostage collectif et de jardin.")
    make_example("Un exemple sans rapport", description="On y parle aussi de compostage.")
    make_example(
        "Jardin et compost",
        summary="Un jardin partagé, un compost partagé, des jardiniers.",
        departements=("69",),
    )
    make_example(
        "Alliance du Rhône",
        partners=(make_partner("Compost & Cie", kind="entreprise"),),
        departements=("69",),
    )
    make_example("Compostage caché", status=ExampleStatus.BROUILLON)


def listed(client, query: str) -> list[str]:
    response = client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    return [example.title for example in response.context["page"].paginator.object_list]


@pytest.mark.usefixtures("compost")
@pytest.mark.parametrize(
    "query",
    [
        "compostage",
        "Compost",
        "COMPOSTÉ",
        "jardin",
        "jardins",
        "rhone",
        "alliance",
        "compost or jardin",
        "jardin or compost or rhône",
        "compostage or compostage",
        "association",
        "numérique",
        "associations",
        "Ronalpia or Vitawin or insertion",
        "compost -quartier",
        "jardin -compost -rhône",
        "compostage compostages",
    ],
)
def test_the_list_ranks_like_the_database(client, monkeypatch, query):
    expected = found_by_database(query)
    assert expected
    monkeypatch.setattr(ExampleQuerySet, "search_ranks", database_search_forbidden)
    assert listed(client, query) == expected


def database_search_forbidden(*args):
    raise AssertionError("searched in the database, not in the word index")


@pytest.mark.usefixtures("compost")
@pytest.mark.parametrize("query", ["-jardin", "jardin or compost quartier", "-jardin -compost"])
def test_searches_the_word_index_cannot_read_still_go_to_the_database(client, query):
    assert word_query(search_query_text(query)) is None
    assert listed(client, query) == found_by_database(query)


@pytest.fixture
def gardens_and_compost():
    """Two words that must both appear: in the titles of a few examples (ranked by how close
    they stand), in the descriptions only of many more (ranked alike, by title)."""
    make_example("Jardin de compost", summary="Un jardin, puis du compost.")
    make_example("Compost au jardin", summary="Le compost.")
    make_example("Le jardin partagé et son compost collectif")
    for number in range(8):
        make_example(
            f"Parcelle {number}",
            description=f"Un jardin {'très ' * number}loin du compost.",
        )
    make_example("Parcelle sans compost", description="Un jardin.")


@pytest.fixture
def third_places():
    """Hyphenated words and phrases: in titles, summaries and descriptions, whole, split,
    in another order, repeated, with a stop word between."""
    make_example("Un tiers-lieu rural", summary="Le tiers-lieu du village, un lieu de vie.")
    make_example("Tiers-lieux et jardins", summary="Deux tiers-lieux, un jardin partagé.")
    make_example("Le lieu du tiers secteur", summary="Un lieu, un tiers, rien de plus.")
    make_example("Jardin partagé de l'Île-de-France", summary="Un jardin partagé en Île-de-France.")
    make_example(
        "Partagé, le jardin", description="Le jardin est partagé, le jardin partagé aussi."
    )
    make_example("Chantier d'insertion", summary="Un chantier d'insertion et un tiers-lieu.")
    make_example("Insertion par le chantier", description="Le chantier de l'insertion.")
    for number in range(4):
        make_example(f"Atelier {number}", description=f"Un tiers-lieu {'très ' * number}loin.")


@pytest.mark.usefixtures("compost", "gardens_and_compost", "third_places")
@pytest.mark.parametrize(
    "query",
    [
        "jardin compost",
        "compost jardin -quartier",
        "jardin partagé",
        "jardin compost -rien",
        "tiers-lieu",
        "tiers-lieux",
        '"tiers lieu"',
        '"jardin partagé"',
        '"partagé jardin"',
        '"jardin partagé" compost',
        '"jardin partagé" -compost',
        "Île-de-France",
        '"chantier d\'insertion"',
        '"le jardin le jardin"',
        "tiers-lieu jardin",
    ],
)
def test_words_and_phrases_that_must_all_appear_rank_like_the_database(client, monkeypatch, query):
    assert word_query(search_query_text(query)).every
    expected = found_by_database(query)
    monkeypatch.setattr(ExampleQuerySet, "search_ranks", database_search_forbidden)
    assert listed(client, query) == expected


@pytest.mark.usefixtures("compost", "gardens_and_compost", "third_places")
@pytest.mark.parametrize(
    "query",
    [
        "compost",
        "jardin or compost or tiers",
        "jardin compost",
        "jardin partagé -rhône",
        "tiers-lieu",
        '"jardin partagé"',
        "Île-de-France jardin",
        "compostage compostages",
    ],
)
def test_every_rank_is_the_database_rank_to_the_last_bit(query):
    """Ties are broken by title: a rank off by one bit would reorder equally ranked examples."""
    index = DirectoryIndex.build(None)
    positions, ranks = index.words(wait=True).find(word_query(search_query_text(query)), index.size)
    in_memory = dict(zip(index.ids[positions].tolist(), ranks.tolist(), strict=True))
    assert in_memory
    assert in_memory == {
        pk: float(np.float32(rank)) for pk, rank in Example.objects.published().search_ranks(query)
    }


@pytest.mark.usefixtures("compost")
def test_while_another_thread_builds_the_word_index_searches_ask_the_database(
    settings, monkeypatch
):
    settings.DIRECTORY_INDEX_SECONDS = 300
    cache.clear()
    DirectoryIndex._current = None
    try:
        index = DirectoryIndex.current()
        monkeypatch.setattr(WordIndex, "build", database_search_forbidden)
        with index._words_lock:  # as held by the thread that is building it
            found = index.search("compostage")
        assert index.ids[found].tolist() == found_by_database("compostage", "pk")
        assert index._words is None
    finally:
        DirectoryIndex._current = None


@pytest.mark.usefixtures("compost")
def test_a_draft_is_not_in_the_word_index(client):
    assert "Compostage caché" not in listed(client, "compostage")
    assert listed(client, "caché") == []


@pytest.mark.usefixtures("compost")
@pytest.mark.parametrize(
    "query", ['"zorglub blorpette"', '"compost zorglub"', "tiers-zorglub", '"compost" -zorglub']
)
def test_a_phrase_with_a_word_no_example_holds_finds_what_the_database_finds(client, query):
    assert word_query(search_query_text(query)) is not None
    assert listed(client, query) == found_by_database(query)


@pytest.mark.usefixtures("compost")
def test_a_word_no_example_holds_falls_back_to_lookalikes(client):
    assert word_query(search_query_text("compostaeg")) is not None
    assert "Compostage de quartier" in listed(client, "compostaeg")
    assert listed(client, "compostaeg") == found_by_database("compostaeg")


def test_a_new_example_is_searchable_at_once_with_a_kept_index(
    client, settings, django_capture_on_commit_callbacks
):
    settings.DIRECTORY_INDEX_SECONDS = 300
    cache.clear()
    DirectoryIndex._current = None
    try:
        assert listed(client, "lombricompost") == []
        with django_capture_on_commit_callbacks(execute=True):
            make_example("Lombricompost solidaire")
        assert listed(client, "lombricompost") == ["Lombricompost solidaire"]
    finally:
        DirectoryIndex._current = None


def test_a_kept_index_builds_its_word_index_in_a_thread_while_searches_ask_the_database(
    settings, monkeypatch
):
    settings.DIRECTORY_INDEX_SECONDS = 300
    settings.WORD_INDEX_IN_BACKGROUND = True
    built = threading.Event()
    words = WordIndex({}, {}, np.zeros(0, dtype=bool))

    def slow_build(locate, size):
        built.wait(timeout=30)
        return words

    monkeypatch.setattr(WordIndex, "build", slow_build)
    index = DirectoryIndex.build(None)
    assert index.words() is None
    (builder,) = [thread for thread in threading.enumerate() if thread.name == "word-index"]
    assert index.words() is None
    built.set()
    builder.join(timeout=30)
    assert index.words() is words


@pytest.mark.parametrize(
    ("query_text", "query"),
    [
        ("'insert'", WordQuery(("insert",))),
        ("'insert' | 'numer' | 'insert'", WordQuery(("insert", "numer"))),
        ("'insert' & 'insert'", WordQuery(("insert",))),
        (
            "'insert' & !'numer' & !'fondat'",
            WordQuery(("insert",), ("fondat", "numer"), every=True),
        ),
        ("!'numer' & 'insert'", WordQuery(("insert",), ("numer",), every=True)),
        ("'partag' & 'jardin'", WordQuery(("jardin", "partag"), every=True)),
        ("'jardin' & 'partag' & !'lyon'", WordQuery(("jardin", "partag"), ("lyon",), every=True)),
        ("'aujourd''hui'", WordQuery(("aujourd'hui",))),
        ("'a\\\\b' | 'c'", WordQuery(("a\\b", "c"))),
        (
            "'tiers-lieu' <-> 'tier' <-> 'lieu'",
            WordQuery((), phrases=((("tiers-lieu", 0), ("tier", 1), ("lieu", 2)),), every=True),
        ),
        (
            "'ile-de-fr' <-> 'ile' <2> 'franc' & !'pari'",
            WordQuery((), ("pari",), ((("ile-de-fr", 0), ("ile", 1), ("franc", 3)),), every=True),
        ),
        (
            "'lyon' & 'jardin' <-> 'partag'",
            WordQuery(("lyon",), phrases=((("jardin", 0), ("partag", 1)),), every=True),
        ),
        ("!'b'", None),
        ("'jardin' <-> 'partag' | 'lyon'", None),
        ("!( 'jardin' <-> 'partag' ) & 'lyon'", None),
        ("( 'a' | 'b' ) & 'c'", None),
        ("'a' | 'b' & 'c'", None),
        ("'a' <-> !'b'", None),
        ("'potag':*", None),
        ("'a' &", None),
        ("", None),
    ],
)
def test_word_query_reads_what_the_word_index_can_answer(query_text, query):
    assert word_query(query_text) == query


def test_the_operands_are_in_the_order_postgresql_ranks_them():
    query = WordQuery(("zèbre", "ab"), ("b",), ((("a-b", 0), ("a", 1), ("b", 2)),), every=True)
    assert query.operands == ["a", "a-b", "ab", "b", "zèbre"]


def expire(index: DirectoryIndex) -> None:
    index.built_at -= 301


@pytest.mark.usefixtures("kept_index")
def test_an_index_rebuilt_for_its_age_keeps_the_word_index_while_no_example_is_written(fiche):
    make_example("Compostage partagé", summary="Un compost de quartier.")
    first = DirectoryIndex.current()
    words = first.words(wait=True)
    expire(first)

    second = DirectoryIndex.current()
    assert second is not first
    assert second.words() is words
    assert second.ids[second.search("compost")].tolist() == found_by_database("compost", "pk")

    make_example("Compostage en préparation", status=ExampleStatus.BROUILLON)
    expire(second)
    assert DirectoryIndex.current().words() is words


@pytest.mark.usefixtures("kept_index")
def test_an_example_written_since_the_word_index_was_built_rebuilds_it(fiche):
    example = make_example("Compostage partagé", summary="Un compost de quartier.")
    first = DirectoryIndex.current()
    words = first.words(wait=True)
    # Written without a signal, as QuerySet.update() does.
    Example.objects.filter(pk=example.pk).update(summary="Un lombricompost de quartier.")
    expire(first)

    rebuilt = DirectoryIndex.current()
    assert rebuilt.words(wait=True) is not words
    assert rebuilt.ids[rebuilt.search("lombricompost")].tolist() == [example.pk]


@pytest.mark.usefixtures("kept_index")
def test_a_newly_published_example_rebuilds_the_word_index(fiche):
    make_example("Compostage partagé")
    first = DirectoryIndex.current()
    words = first.words(wait=True)
    added = make_example("Lombricompost solidaire")
    expire(first)

    rebuilt = DirectoryIndex.current()
    assert rebuilt.words(wait=True) is not words
    assert rebuilt.ids[rebuilt.search("lombricompost")].tolist() == [added.pk]
