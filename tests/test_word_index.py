"""The word index (examples/word_index.py): a search for one word, for words joined by « or », or
for one word with exclusions, is answered in memory with exactly PostgreSQL's results and order;
any other search still goes to the database."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from examples.directory_index import DirectoryIndex
from examples.models import ExampleQuerySet, ExampleStatus, search_query_text
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
@pytest.mark.parametrize("query", ['"jardin partagé"', "rhône-alpes", "-jardin"])
def test_phrases_and_exclusions_alone_still_go_to_the_database(client, query):
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


@pytest.mark.usefixtures("compost", "gardens_and_compost")
@pytest.mark.parametrize(
    "query",
    ["jardin compost", "compost jardin -quartier", "jardin partagé", "jardin compost -rien"],
)
def test_words_that_must_all_appear_rank_like_the_database(client, query):
    assert word_query(search_query_text(query)).every
    assert listed(client, query) == found_by_database(query)


@pytest.mark.usefixtures("gardens_and_compost")
def test_only_the_examples_with_two_words_in_title_or_summary_are_ranked_by_the_database(
    client, monkeypatch
):
    asked = []
    ranks_of = ExampleQuerySet.ranks_of

    def counted(queryset, pks, text):
        asked.append(len(pks))
        return ranks_of(queryset, pks, text)

    monkeypatch.setattr(ExampleQuerySet, "ranks_of", counted)
    monkeypatch.setattr(ExampleQuerySet, "search_ranks", database_search_forbidden)
    titles = listed(client, "jardin compost")
    assert asked == [3]
    assert titles[:3] == found_by_database("jardin compost")[:3]
    assert titles[3:] == sorted(titles[3:])


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
        ("!'b'", None),
        ("'tiers-lieu' <-> 'tier' <-> 'lieu'", None),
        ("( 'a' | 'b' ) & 'c'", None),
        ("'a' | 'b' & 'c'", None),
        ("'potag':*", None),
        ("", None),
    ],
)
def test_word_query_reads_what_the_word_index_can_answer(query_text, query):
    assert word_query(query_text) == query
