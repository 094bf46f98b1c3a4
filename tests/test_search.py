"""Full-text search: French stemming without accents, ranking, websearch syntax and the
trigram fallback for typos."""

import pytest
from django.urls import reverse

from examples.models import Example, ExampleStatus
from examples.search import SEARCH_MAX_LENGTH

from .example_builders import found_by_database as search
from .example_builders import make_example, make_partner

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")


def listed(client, query: str) -> list[str]:
    response = client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    return [example.title for example in response.context["page"].paginator.object_list]


@pytest.fixture
def gardens():
    return [
        make_example(
            "Jardins partagés solidaires",
            summary="Des salariés cultivent des potagers avec une association d'insertion.",
            description="Le compost du restaurant d'entreprise nourrit les parcelles.",
        ),
        make_example(
            "Réseau Économie sociale du Rhône",
            summary="Un réseau d'acteurs de l'économie sociale et solidaire.",
            departements=("69",),
        ),
        make_example(
            "L’Atelier d’alliances",
            summary="Un lieu où associations et entreprises se rencontrent.",
        ),
    ]


def test_accents_are_optional_in_the_query(gardens):
    # The fiche's own alliances speak of « réseau » and « économie » too: the title that holds
    # both words comes first, and the accents and the case change nothing.
    found = search("reseau economie")
    assert found[0] == "Réseau Économie sociale du Rhône"
    assert "Complémentarité des 8 tiers lieux sur le territoire" in found
    assert search("RESEAU ÉCONOMIE") == found
    assert search("réseau économie") == found


def test_accents_are_ignored_in_the_query_and_in_the_title(gardens):
    assert search("Émergence") == ["Émergence"]
    assert search("Emergence") == ["Émergence"]
    assert search("émergence") == ["Émergence"]


def test_plural_and_singular_match(gardens):
    found = search("jardin partagé")
    assert found[0] == "Jardins partagés solidaires"
    # La Poste's programme speaks of « jardins partagés » in its description.
    assert "Alliance Dynamique, le programme ESS du Groupe La Poste" in found
    assert search("potager") == ["Jardins partagés solidaires"]
    assert "Complémentarité des 8 tiers lieux sur le territoire" in search("tiers lieu")


def test_a_typo_still_finds_the_title():
    # Cent Sept counts Ronalpia among its partners: a word that begins like the query's.
    assert search("Ronalpai") == ["Ronalpia", "Cent Sept"]
    assert search("sliver geek") == ["Silver Geek"]
    assert search("le catalyzeur") == ["Le Catalyseur"]


def test_the_typo_fallback_only_runs_when_the_text_search_finds_nothing():
    # "silver" is found as such: similar titles are not added.
    assert search("silver") == ["Silver Geek"]


def test_a_quoted_phrase_keeps_its_word_order():
    assert search('"tiers lieux"') == ["Complémentarité des 8 tiers lieux sur le territoire"]
    assert search('"lieux tiers"') == []


def test_french_quotation_marks_make_a_phrase_too():
    assert search("« tiers lieux »") == ["Complémentarité des 8 tiers lieux sur le territoire"]


def test_a_minus_excludes_a_word():
    with_lieu = search("lieu")
    assert "Complémentarité des 8 tiers lieux sur le territoire" in with_lieu
    assert "Cent Sept" in with_lieu  # through its function, « Gestion d’un lieu »
    without_tiers = search("lieu -tiers")
    assert "Complémentarité des 8 tiers lieux sur le territoire" not in without_tiers
    assert "Cent Sept" in without_tiers
    # An excluded word is never brought back by the typo fallback.
    assert search("geek -silver") == []


def test_or_between_words():
    ronalpia, vitawin = search("ronalpia"), search("vitawin")
    assert "Vitawin" not in ronalpia
    assert "Ronalpia" not in vitawin
    either = search("ronalpia or vitawin")
    assert set(either[:2]) == {"Ronalpia", "Vitawin"}  # the titles first
    assert set(either) == set(ronalpia) | set(vitawin)


def test_both_apostrophes_match(gardens):
    expected = ["Maison des associations Pays d’Aix"]
    assert search("Pays d’Aix") == expected
    assert search("Pays d'Aix") == expected
    straight = search("l'atelier d'alliances")
    assert straight[0] == "L’Atelier d’alliances"
    assert search("l’atelier d’alliances") == straight


def test_title_ranks_above_summary_above_description():
    make_example("Un exemple sans rapport", description="On y parle aussi de compostage.")
    make_example("Autre exemple", summary="Un projet de compostage collectif.")
    make_example("Compostage de quartier")
    # MicroVille 112 speaks of compostage in its description, like "Un exemple sans
    # rapport": the description matches without ranking, so the two follow in title order.
    assert search("compostage") == [
        "Compostage de quartier",
        "Autre exemple",
        "MicroVille 112",
        "Un exemple sans rapport",
    ]


def test_partners_themes_places_and_functions_are_searched():
    make_example(
        "Alliance alimentaire",
        partners=(make_partner("Banque alimentaire du Rhône", kind="association"),),
        departements=("38",),
        territory="paris-est-marne-et-bois",
    )
    # « banque » is only in its partner's name (several fiche alliances work with food banks).
    assert "Alliance alimentaire" in search("banque alimentaire")
    assert "Alliance alimentaire" not in search("banque alimentaire -rhône")
    assert "Alliance alimentaire" in search("Isère")
    assert "Alliance alimentaire" in search("Paris Est Marne")
    assert "Silver Geek" in search("numérique")  # its theme
    assert "Ronalpia" in search("Auvergne-Rhône-Alpes")  # its département's région
    assert "Dotation d’Action Territoriale (DAT) de la Fondation Break Poverty" in search(
        "break poverty"
    )


def test_search_shows_published_examples_only():
    for status in ExampleStatus:
        make_example(f"Coopérative secrète {status.value}", status=status)
    assert search("coopérative secrète") == ["Coopérative secrète publie"]


def test_list_sorts_by_pertinence_when_searching_unless_told_otherwise(client):
    make_example("Zèbre et compostage", description="compostage")
    make_example("Atelier", summary="Compostage, compostage et compostage.")
    assert listed(client, "compostage")[0] == "Zèbre et compostage"
    response = client.get(LIST_URL, {"q": "compostage", "tri": "titre"})
    assert [e.title for e in response.context["page"].object_list] == [
        "Atelier",
        "MicroVille 112",  # « compostage » in its description
        "Zèbre et compostage",
    ]
    html = response.content.decode()
    assert '<span class="sort__choice" aria-current="true">Titre (A → Z)</span>' in html
    assert '<input type="hidden" name="tri" value="titre">' in html


def test_an_over_long_query_is_cut_not_refused(client):
    response = client.get(LIST_URL, {"q": "Ronalpia " + "x" * 5000})
    assert response.status_code == 200
    assert (
        response.context["filterset"].search_text == ("Ronalpia " + "x" * 5000)[:SEARCH_MAX_LENGTH]
    )
    assert not response.context["problems"]


def test_search_box_keeps_the_query(client):
    html = client.get(LIST_URL, {"q": "tiers lieu"}).content.decode()
    assert 'name="q" value="tiers lieu"' in html
    assert "pour «&nbsp;tiers lieu&nbsp;»" in html


def test_empty_search_lists_everything(client):
    # Through the address without the blank search (tests/test_list_page.py).
    response = client.get(LIST_URL, {"q": "   "}, follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    everything = [example.title for example in response.context["page"].paginator.object_list]
    assert len(everything) == Example.objects.published().count()
    assert "Ronalpia" in everything


def test_search_query_budget(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL, {"q": "lieu -tiers"})
    assert response.context["page"].paginator.count > 0
