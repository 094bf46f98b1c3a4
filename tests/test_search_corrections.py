"""Typo correction (examples/search_words.py): each word of a search that no published example
holds is replaced by the nearest word one holds, the page says so and links to the exact
search; the words table is kept by triggers."""

import pytest
from django.urls import reverse

from examples.models import Example
from examples.search import clean_search_text
from examples.search_words import SearchWord, corrected_search, rebuild_search_words

from .example_builders import make_example

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")
MESSAGE = (
    "Résultats pour «&nbsp;numérique&nbsp;»&nbsp;; aucun exemple ne contient «&nbsp;numerik&nbsp;»."
)


def titles(response) -> list[str]:
    return [example.title for example in response.context["page"].paginator.object_list]


def test_a_typo_gives_the_results_of_the_nearest_word_and_says_so(client):
    response = client.get(LIST_URL, {"q": "numerik"})
    html = response.content.decode()
    assert "Silver Geek" in titles(response)  # its theme, « Numérique »
    assert titles(response) == titles(client.get(LIST_URL, {"q": "numérique"}))
    assert MESSAGE in html
    assert (
        '<a href="?q=numerik&amp;exact=1" hx-get="?q=numerik&amp;exact=1" hx-target="#resultats"'
        ' hx-push-url="true">Rechercher exactement «&nbsp;numerik&nbsp;»</a>' in html
    )


def test_the_exact_search_corrects_nothing(client):
    response = client.get(LIST_URL, {"q": "numerik", "exact": "1"})
    assert titles(response) == []
    assert "Rechercher exactement" not in response.content.decode()
    assert "Aucun exemple ne correspond à cette recherche" in response.content.decode()


@pytest.mark.parametrize(
    "text",
    [
        "numérique",
        "numerique",
        "jardins",
        "silver",
        "réseau économie",
        "le",  # a stop word
        "Ronalpia or Vitawin",
    ],
)
def test_a_word_the_examples_hold_is_never_corrected(text):
    assert corrected_search(text) == text


def test_an_inflection_the_examples_do_not_write_is_not_corrected():
    # The fiche writes « lieux » and « partenariats »: the French stems match.
    assert corrected_search("lieu partenariat") == "lieu partenariat"


@pytest.mark.parametrize(
    "text", ['"numerik"', "« numerik »", "silver -numerik", "-numerik", "geek -sliver"]
)
def test_phrases_and_exclusions_are_never_corrected(client, text):
    assert corrected_search(clean_search_text(text)) == clean_search_text(text)
    assert "Rechercher exactement" not in client.get(LIST_URL, {"q": text}).content.decode()


def test_only_the_unknown_word_is_corrected():
    assert corrected_search("numerik -silver") == "numérique -silver"
    assert corrected_search("Ronalpai or vitawin") == "ronalpia or vitawin"


def test_a_word_with_nothing_near_is_left_out_when_others_remain():
    assert corrected_search("sliver geek") == "geek"
    assert corrected_search("xqzwv or geek") == "geek"
    # Nothing would remain: the search stays as typed, and finds nothing.
    assert corrected_search("xqzwv") == "xqzwv"
    assert corrected_search("xqzwv -silver") == "xqzwv -silver"


def test_a_new_published_example_has_its_words_in_the_table_at_once():
    assert not SearchWord.objects.filter(word="zythologie").exists()
    example = make_example("Atelier de zythologie", summary="Brasseurs éphémères réunis.")
    word = SearchWord.objects.get(word="ephemeres")
    assert word.spelling == "éphémères"
    assert SearchWord.objects.filter(word="zythologie").exists()
    assert corrected_search("zytologie") == "zythologie"
    # An update through update(), which sends no signal, is seen too.
    Example.objects.filter(pk=example.pk).update(description="Une cervoise houblonnée.")
    assert SearchWord.objects.filter(word="houblonnee").exists()


def test_a_draft_adds_no_word():
    make_example("Kombucharium secret", status="brouillon")
    assert not SearchWord.objects.filter(word="kombucharium").exists()


def test_the_rebuild_keeps_the_words_of_published_examples_only():
    make_example("Kombucharium secret", status="brouillon")
    published = make_example("Vinaigrerie solidaire")
    Example.objects.filter(pk=published.pk).update(status="archive")
    assert SearchWord.objects.filter(word="vinaigrerie").exists()
    count = rebuild_search_words()
    assert count == SearchWord.objects.count() > 0
    assert not SearchWord.objects.filter(word="vinaigrerie").exists()
    assert not SearchWord.objects.filter(word="kombucharium").exists()
    assert SearchWord.objects.filter(word="ronalpia").exists()


@pytest.mark.parametrize("text", ["", "   ", "le la les", '"', "-", "or", "x" * 200, "é" * 200])
def test_odd_searches_do_not_fail(client, text):
    # A blank search is dropped from the address first (tests/test_list_page.py).
    assert client.get(LIST_URL, {"q": text}, follow=True).status_code == 200
    corrected_search(text)


def test_a_corrected_search_page_stays_within_the_query_budget(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL, {"q": "numerik"})
    assert response.context["filterset"].correction == "numérique"


def test_exports_follow_the_correction_unless_exact(client):
    corrected = client.get(reverse("examples:export_json"), {"q": "numerik"})
    exact = client.get(reverse("examples:export_json"), {"q": "numerik", "exact": "1"})
    assert "Silver Geek" in b"".join(corrected.streaming_content).decode()
    assert "Silver Geek" not in b"".join(exact.streaming_content).decode()
