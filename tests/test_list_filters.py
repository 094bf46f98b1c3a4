"""The list /exemples/: every filter alone and combined, facet counts, chips, sorting,
pagination, the htmx fragment and the query budget."""

import unicodedata
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from examples.facets import Facet
from examples.filters import FacetOption
from examples.models import Example, ExampleStatus
from examples.templatetags.annuaire import excerpt

from .example_builders import make_example, make_many_examples

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")
QUERY_BUDGET = 10


def titles(response) -> set[str]:
    return {example.title for example in response.context["page"].object_list}


def all_titles(client, query: str) -> set[str]:
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    return {example.title for example in response.context["page"].paginator.object_list}


def facet_counts(response, param: str) -> dict[str, int]:
    facet = next(facet for facet in response.context["facets"] if facet.param == param)
    return {option.value: option.count for option in facet.options}


@pytest.fixture
def categorised():
    """Three examples of the test's own, with categories, beside the loaded directory's."""
    return [
        make_example(
            "Mécénat de compétences lyonnais", categories=("mecenat",), departements=("69",)
        ),
        make_example(
            "Laboratoire d'innovation sociale",
            categories=("innovation-societale", "mecenat"),
            departements=("38",),
        ),
        make_example("Achats responsables", categories=("pratiques-responsables",)),
    ]


def test_list_shows_every_published_example(client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    published = Example.objects.published().count()
    assert published > 23  # the fiche's examples and the added ones
    assert response.context["page"].paginator.count == published
    html = response.content.decode()
    assert f"{published} exemples" in html
    assert "<h1>Les exemples inspirants</h1>" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "fonction=accompagnements",
            {
                "Ronalpia",
                "Villes au Carré",
                "Fondation du Nord",
                "Plateforme RSE Nantes Métropole",
                "Émergence",
                "Club Gravelle Entreprendre",
            },
        ),
        (
            "departement=69",
            {
                "Ateliers de l’Entrepreneuriat Humaniste",
                "Ronalpia",
                "Cent Sept",
                "PIMMS Médiation Lyon Métropole",
            },
        ),
        ("theme=education", {"Programme Impact Jeunes", "Vitawin"}),
        (
            "region=32",
            {
                "Fondation du Nord",
                "Chicorée Leroux et Autisme Nord, un atelier de travailleurs autistes dans"
                " l’usine d’Orchies",
                "Envie 2E Nord et Coolrec France, recyclage des déchets électriques et insertion"
                " à Lesquin",
                "Le Petit Magasin, boutiques solidaires d’insertion de Kiabi et du groupe"
                " Vitamine T",
                "Nord Ferro, déconstruction ferroviaire et insertion près de Valenciennes",
            },
        ),
        (
            "region=11",
            {
                "PTCE Les Mureaux",
                "Point Carré",
                "Agir Ensemble à Charenton",
                "Vitawin",
                "Club Gravelle Entreprendre",
                "Complémentarité des 8 tiers lieux sur le territoire",
                "Emmaüs Défi et SFR\xa0: de la Téléphonie solidaire aux Connexions solidaires",
                "Le Logement solidaire, Les Jardins de Stains",
                "Log’ins, entreprise adaptée de logistique d’Ares et GXO",
            },
        ),
    ],
)
def test_each_filter_alone(client, query, expected):
    assert all_titles(client, query) == expected


def with_category(slug: str) -> set[str]:
    return set(
        Example.objects.published().filter(categories__slug=slug).values_list("title", flat=True)
    )


def test_category_filter(client, categorised):
    mecenat = all_titles(client, "categorie=mecenat")
    assert {"Mécénat de compétences lyonnais", "Laboratoire d'innovation sociale"} <= mecenat
    assert {"Ronalpia", "Fondation de Marseille", "Silver Geek"} <= mecenat
    assert "Achats responsables" not in mecenat
    assert mecenat == with_category("mecenat")
    responsible = all_titles(client, "categorie=pratiques-responsables")
    assert {"Achats responsables", "Plateforme RSE Nantes Métropole"} <= responsible
    assert not responsible & {"Mécénat de compétences lyonnais", "Ronalpia"}
    assert responsible == with_category("pratiques-responsables")


def test_region_includes_its_departements(client, categorised):
    # Auvergne-Rhône-Alpes: the directory's examples in the Rhône, the Isère, the Loire and
    # the Ain, and the test's own in the Rhône and the Isère.
    assert all_titles(client, "region=84") == {
        "Ateliers de l’Entrepreneuriat Humaniste",
        "Ronalpia",
        "Cent Sept",
        "PIMMS Médiation Lyon Métropole",
        "Le Petit Magasin, boutiques solidaires d’insertion de Kiabi et du groupe Vitamine T",
        "Log’ins, entreprise adaptée de logistique d’Ares et GXO",
        "Mécénat de compétences lyonnais",
        "Laboratoire d'innovation sociale",
    }


def test_an_example_in_two_departements_of_a_region_is_listed_once(client):
    # Corse: both examples work in the Corse-du-Sud and the Haute-Corse.
    response = client.get(f"{LIST_URL}?region=94")
    assert [e.title for e in response.context["page"].object_list] == [
        "Air Corsica et Inseme, un accueil adapté pour les Corses qui se soignent sur le continent",
        "Corsica Sulidaria, groupe Vito et Restos du cœur\xa0: des bons carburant pour les"
        " personnes modestes",
    ]
    assert "<strong>2 exemples</strong>" in response.content.decode()
    # Auvergne-Rhône-Alpes: Ronalpia works in the Isère, the Loire and the Rhône.
    response = client.get(f"{LIST_URL}?region=84")
    listed = [e.title for e in response.context["page"].object_list]
    assert listed.count("Ronalpia") == 1
    assert "<strong>6 exemples</strong>" in response.content.decode()


def test_values_of_one_parameter_are_ored(client, categorised):
    assert all_titles(client, "departement=69&departement=45") == {
        "Ateliers de l’Entrepreneuriat Humaniste",
        "Ronalpia",
        "Cent Sept",
        "Mécénat de compétences lyonnais",
        "PIMMS Médiation Lyon Métropole",
        "Villes au Carré",
        "InfoLab du CRIJ",
        "Bricobus des Compagnons Bâtisseurs, atelier mobile contre le mal-logement",
    }
    assert len(all_titles(client, "fonction=accompagnements&fonction=gestion-d-un-lieu")) == 12
    either = all_titles(client, "categorie=pratiques-responsables&categorie=innovation-societale")
    assert {"Achats responsables", "Laboratoire d'innovation sociale"} <= either
    assert either == with_category("pratiques-responsables") | with_category("innovation-societale")
    assert len(either) > len(with_category("pratiques-responsables"))


def test_different_parameters_are_anded(client, categorised):
    assert all_titles(client, "fonction=accompagnements&departement=69") == {"Ronalpia"}
    assert all_titles(client, "departement=69&categorie=mecenat") == {
        "Mécénat de compétences lyonnais",
        "Ronalpia",
    }
    assert all_titles(client, "region=84&departement=45") == set()
    assert all_titles(
        client, "theme=education&departement=94&fonction=experimentations-collectives"
    ) == {"Vitawin"}


def test_only_published_examples_are_listed(client):
    for status in ExampleStatus:
        make_example(f"Exemple {status.label}", status=status, departements=("69",))
    assert "Exemple Publié" in all_titles(client, "departement=69")
    for status in ExampleStatus:
        if status != ExampleStatus.PUBLIE:
            assert f"Exemple {status.label}" not in all_titles(client, "departement=69")
            assert f"Exemple {status.label}" not in all_titles(client, "")


def test_facet_counts_apply_the_other_filters(client):
    response = client.get(f"{LIST_URL}?departement=69")
    assert facet_counts(response, "fonction") == {
        "dialogue-territorial": 0,
        "experimentations-collectives": 1,
        "accompagnements": 1,
        "gestion-d-un-lieu": 1,
    }
    # A facet ignores its own filter: ticking a second département adds its examples.
    departements = facet_counts(response, "departement")
    assert departements["69"] == 4
    assert departements["45"] == 3
    assert departements["13"] == 5
    assert departements["2A"] == 2
    assert departements["15"] == 0
    assert len(departements) == 101
    regions = facet_counts(response, "region")
    assert regions["84"] == 4
    assert regions["11"] == 0
    assert len(regions) == 18


def test_facet_counts_without_filters(client, categorised):
    response = client.get(LIST_URL)
    # The directory's examples and the test's own (two in mécénat, one in each other but
    # coopération économique).
    assert facet_counts(response, "categorie") == {
        "mecenat": len(with_category("mecenat")),
        "pratiques-responsables": len(with_category("pratiques-responsables")),
        "cooperation-economique": len(with_category("cooperation-economique")),
        "innovation-societale": len(with_category("innovation-societale")),
    }
    assert facet_counts(response, "categorie") == {
        "mecenat": 32,
        "pratiques-responsables": 15,
        "cooperation-economique": 16,
        "innovation-societale": 24,
    }
    assert facet_counts(response, "theme") == {
        "education": 2,
        "rehabilitation": 1,
        "numerique": 1,
        "emplois": 1,
        "recherche": 1,
    }
    # Each counted once, though in both Corsican départements.
    assert facet_counts(response, "region")["94"] == 2
    # Ronalpia counted once, though in three of the région's départements.
    assert facet_counts(response, "region")["84"] == 8


def test_facets_are_checkboxes_with_counts_and_zero_options_listed(client):
    html = client.get(f"{LIST_URL}?departement=69&fonction=accompagnements").content.decode()
    assert '<legend class="facet__legend">Département</legend>' in html
    assert (
        'type="checkbox" id="filtre-departement-69" name="departement" value="69" checked' in html
    )
    assert (
        'id="filtre-fonction-accompagnements" name="fonction" value="accompagnements" checked'
        in html
    )
    assert (
        'id="filtre-fonction-gestion-d-un-lieu" name="fonction" value="gestion-d-un-lieu">' in html
    )
    # A zero-count option stays, muted.
    assert "facet__option--empty" in html
    assert 'value="2A"' in html
    # Départements grouped by région, the group of a ticked département open.
    assert (
        '<details class="facet__group" open>\n                <summary>Auvergne-Rhône-Alpes' in html
    )
    assert '<details class="facet__group">\n                <summary>Bretagne' in html


def test_active_filters_are_removable_chips(client):
    html = client.get(
        f"{LIST_URL}?departement=69&departement=45&fonction=accompagnements"
    ).content.decode()
    assert "Filtres actifs" in html
    assert "Département&nbsp;: Rhône (69)" in html
    assert "Département&nbsp;: Loiret (45)" in html
    assert "Fonction&nbsp;: Accompagnements" in html
    # Removing the Rhône keeps the Loiret and the function.
    assert 'href="?departement=45&amp;fonction=accompagnements"' in html
    assert 'href="?departement=69&amp;departement=45"' in html
    assert f'href="{LIST_URL}"' in html and "Tout effacer" in html


def test_search_is_a_chip_too(client):
    html = client.get(f"{LIST_URL}?q=lieu&fonction=gestion-d-un-lieu").content.decode()
    assert "Recherche&nbsp;: «\xa0lieu\xa0»" in html
    assert 'href="?fonction=gestion-d-un-lieu"' in html


def test_result_count_is_announced_in_french(client):
    html = client.get(f"{LIST_URL}?departement=57").content.decode()
    assert 'role="status" aria-live="polite"' in html
    assert "<strong>1 exemple</strong>" in html
    html = client.get(f"{LIST_URL}?departement=15").content.decode()
    assert "<strong>Aucun exemple</strong>" in html
    html = client.get(f"{LIST_URL}?departement=69").content.decode()
    assert "<strong>4 exemples</strong>" in html


def test_empty_state_offers_a_way_out(client):
    response = client.get(f"{LIST_URL}?departement=15")
    html = response.content.decode()
    assert "Aucun exemple ne correspond à ces filtres" in html
    assert "voyez tous les exemples" in html
    assert 'href="/proposer/"' in html


def test_result_cards(client):
    make_example(
        "Alliance pour l'emploi",
        summary="Une entreprise et une association forment des jeunes.",
        categories=("cooperation-economique",),
        functions=("accompagnements",),
        departements=("69",),
        territory="paris-est-marne-et-bois",
    )
    html = client.get(f"{LIST_URL}?q=alliance+emploi").content.decode()
    assert '<a href="/exemples/alliance-pour-l-emploi/">Alliance pour l&#x27;emploi</a>' in html
    assert "Une entreprise et une association forment des jeunes." in html
    assert '<li class="label colour--bleu">Coopération économique</li>' in html
    assert '<li class="label label--function">Accompagnements</li>' in html
    assert "Rhône (69)" in html
    assert "Paris Est Marne &amp; Bois" in html


@pytest.mark.parametrize("url", [LIST_URL + "?q=carrefour", "/", "/categories/mecenat/"])
def test_cards_name_every_relation_in_the_order_of_the_example_page(client, url):
    example = make_example(
        "Carrefour des alliances",
        categories=("innovation-societale", "mecenat"),
        functions=("gestion-d-un-lieu", "dialogue-territorial"),
        departements=("94", "2A", "69"),
        territory="paris-est-marne-et-bois",
        published_at=timezone.now(),
    )
    make_example("Carrefour national", is_national=True, published_at=timezone.now())
    html = client.get(url).content.decode()
    card = html[html.index('<article class="card result-card') : html.index("Carrefour des")]
    first = example.categories.first()
    assert f"colour--{first.colour}" in card
    labels = html[html.index("Carrefour des") :]
    names = [category.name for category in example.categories.all()]
    names += [function.name for function in example.functions.all()]
    positions = [labels.index(f">{escape(name)}</li>") for name in names]
    assert positions == sorted(positions)
    places = ", ".join(str(departement) for departement in example.departements.all())
    assert places == "Corse-du-Sud (2A), Rhône (69), Val-de-Marne (94)"
    assert f"{places} · Paris Est Marne &amp; Bois" in labels
    if url != "/categories/mecenat/":
        assert "Envergure nationale" in html


def test_sorted_by_title_by_default_with_accents_in_their_place(client):
    make_example("École des alliances")
    response = client.get(LIST_URL + "?page=1")
    page_titles = [e.title for e in response.context["page"].object_list]
    assert page_titles[:2] == [
        "Aéro XV, entreprise adaptée de la filière aéronautique à Colomiers",
        "Agir Ensemble à Charenton",
    ]
    every_title = [e.title for e in response.context["page"].paginator.object_list]
    position = every_title.index("École des alliances")
    assert every_title[position - 1 : position + 2] == [
        "Éco-domaine de Bouquetot (Ecopya), pôle de coopération du Pays d’Auge",
        "École des alliances",
        "Économat solidaire de la Mission locale de l’Espace Sud et groupe GBH en Martinique",
    ]


def test_sorted_by_most_recent(client):
    old = make_example("Ancienne alliance", published_at=timezone.now() - timedelta(days=400))
    new = make_example("Nouvelle alliance", published_at=timezone.now() + timedelta(days=1))
    response = client.get(f"{LIST_URL}?tri=recent")
    results = list(response.context["page"].paginator.object_list)
    assert results[0] == new
    assert results.index(old) > 0
    html = response.content.decode()
    assert '<span class="sort__choice" aria-current="true">Les plus récents</span>' in html
    # Without a search there is nothing to rank: no « pertinence » choice.
    assert "Pertinence" not in html


def test_pagination_keeps_the_filters(client):
    make_many_examples(25, functions=("accompagnements",))
    response = client.get(f"{LIST_URL}?fonction=accompagnements")
    page = response.context["page"]
    assert page.paginator.count == 31
    assert len(page.object_list) == 20
    html = response.content.decode()
    assert 'href="?fonction=accompagnements&amp;page=2"' in html
    assert "<strong>31 exemples</strong>, page 1 sur 2" in html
    response = client.get(f"{LIST_URL}?fonction=accompagnements&page=2")
    assert len(response.context["page"].object_list) == 11
    assert 'href="?fonction=accompagnements&amp;page=1"' in response.content.decode()


def test_htmx_gets_the_results_fragment_with_the_facets_out_of_band(client):
    response = client.get(f"{LIST_URL}?departement=69", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" not in html
    assert "<title>Exemples (filtrés) — Faire alliance — exemples inspirants</title>" in html
    assert '<div id="facettes" hx-swap-oob="innerHTML">' in html
    assert '<p id="nombre-resultats" hx-swap-oob="innerHTML">' in html
    assert '<div id="champ-recherche" hx-swap-oob="innerHTML">' in html
    assert "Ronalpia" in html


def test_htmx_leaves_the_search_box_alone_when_the_form_sent_it(client):
    # What the visitor typed after sending the form must not be overwritten.
    response = client.get(
        f"{LIST_URL}?q=lieu", headers={"HX-Request": "true", "HX-Trigger": "filtres"}
    )
    html = response.content.decode()
    assert 'id="champ-recherche"' not in html
    assert '<div id="facettes" hx-swap-oob="innerHTML">' in html


def test_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(
        f"{LIST_URL}?departement=69",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_the_form_works_with_and_without_javascript(client):
    html = client.get(LIST_URL).content.decode()
    assert f'<form id="filtres" class="directory" method="get" action="{LIST_URL}"' in html
    assert (
        f'hx-get="{LIST_URL}" hx-trigger="change from:#facettes, submit" hx-target="#resultats"'
        in html
    )
    assert 'hx-push-url="true"' in html
    assert '<button type="submit" class="button facets__submit">Filtrer</button>' in html
    assert '<summary class="filters-disclosure__summary">Filtrer</summary>' in html
    assert "<script>" not in html and "style=" not in html


def test_list_query_budget_does_not_grow_with_results(client, django_assert_max_num_queries):
    query = (
        f"{LIST_URL}?q=alliance&fonction=accompagnements&departement=69&region=84"
        "&theme=education&categorie=mecenat"
    )
    for url in (LIST_URL, f"{LIST_URL}?departement=69&fonction=accompagnements", query):
        with django_assert_max_num_queries(QUERY_BUDGET):
            client.get(url)
    published = Example.objects.published().count()
    make_many_examples(
        30,
        functions=("accompagnements",),
        departements=("69",),
        categories=("mecenat",),
        themes=("education",),
    )
    for url in (LIST_URL, f"{LIST_URL}?departement=69&fonction=accompagnements", query):
        with django_assert_max_num_queries(QUERY_BUDGET):
            response = client.get(url)
        assert response.status_code == 200
    assert Example.objects.published().count() == published + 30


def render_facet_options(*options: FacetOption) -> str:
    return Template("{% load annuaire %}{% facet_options options %}").render(
        Context({"options": options})
    )


def test_facet_counts_are_grouped_by_thousands_the_french_way():
    html = render_facet_options(FacetOption(Facet.DEPARTEMENT, "69", "Rhône (69)", 12345, False))
    assert '12\xa0345<span class="visually-hidden"> exemples</span>' in html


def test_facet_options_escape_what_they_show():
    html = render_facet_options(FacetOption(Facet.THEME, "a&b", "Santé & <soin>", 1, checked=True))
    assert 'id="filtre-theme-a&amp;b" name="theme" value="a&amp;b" checked>' in html
    assert "Santé &amp; &lt;soin&gt;" in html
    assert '<span class="visually-hidden"> exemple</span>' in html


def test_a_card_shows_a_long_summary_cut_at_a_word_with_an_ellipsis(client):
    summary = "Une régie de quartier et une fondation d’entreprise " * 5
    make_example("Alliance au long résumé", summary=summary)
    html = client.get(reverse("examples:list") + "?q=long").content.decode()
    shown = html.split('<p class="result-card__summary">')[1].split("</p>")[0]
    assert shown.endswith("…") and len(shown) <= 160
    assert summary.startswith(shown.removesuffix("…"))
    assert summary[len(shown) - 1] == " "


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("Court.", 160, "Court."),
        ("mot " * 10, 20, "mot mot mot mot mot…"),
        ("alliances territoriales durables", 20, "alliances…"),
        ("Un projet\u00a0: ensemble, ils", 12, "Un projet…"),
        ("a" * 30, 10, "a" * 9 + "…"),
        ("e\u0301te\u0301", 160, "été"),
    ],
)
def test_excerpt_cuts_between_words(text, length, expected):
    assert excerpt(text, length) == expected


@given(st.text(), st.integers(min_value=2, max_value=200))
def test_excerpt_is_a_short_enough_beginning_of_the_text(text, length):
    text = unicodedata.normalize("NFC", text)
    cut = excerpt(text, length)
    assert len(cut) <= length
    assert cut == text or (cut.endswith("…") and text.startswith(cut.removesuffix("…")))
