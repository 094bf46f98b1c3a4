"""/fonctions/, /categories/, /regions/ and /departements/: the fiche's table of the four
co-construction functions, the four partnership categories, and every région and département
with its number of published examples."""

import re

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import escape

from examples.french import french_order, french_sort_key
from examples.models import Category, Example, ExampleStatus, Origin, Theme
from examples.templatetags.annuaire import example_count
from territories.function_table import FICHE_NOTE
from territories.models import Departement, Region

from .example_builders import make_example, make_many_examples

pytestmark = pytest.mark.django_db

FUNCTIONS = {
    "dialogue-territorial": "Dialogue territorial",
    "experimentations-collectives": "Expérimentations collectives",
    "accompagnements": "Accompagnements",
    "gestion-d-un-lieu": "Gestion d’un lieu",
}
ACTIVITIES = {
    "dialogue-territorial": [
        "Partage de connaissance du territoire et des acteurs",
        "Temps de rencontres / interconnaissance",
        "Sensibilisation aux alliances territoriales",
        "Mise en relations",
    ],
    "experimentations-collectives": [
        "Identification des besoins du territoire et enjeux partagés",
        "Mobilisation des acteurs pour co-construire des solutions",
        "Co-pilotage des expérimentations",
        "Évaluation des expérimentations",
    ],
    "accompagnements": [
        "Incubation de projets",
        "Formations aux nouvelles pratiques",
        "Accompagnement de partenariats",
        "Essaimage/accélération/transfert de savoir-faire à d’autres territoires",
    ],
    "gestion-d-un-lieu": [
        "Lieu d’échanges convivial",
        "Espace de co-working",
        "Showroom, démonstrateur",
        "Fab lab",
    ],
}
# The row « Exemples inspirants » of the fiche, in its order.
FICHE_EXAMPLES = {
    "dialogue-territorial": [
        "Start Up de Territoire",
        "Labo des partenariats d’Alsace",
        "Dotation d’Action Territoriale (DAT) de la Fondation Break Poverty",
        "Démarche ODD&CT du Comité 21",
    ],
    "experimentations-collectives": [
        "Programme Impact Jeunes",
        "MicroVille 112",
        "Silver Geek",
        "PTCE Les Mureaux",
        "Ateliers de l’Entrepreneuriat Humaniste",
    ],
    "accompagnements": [
        "Ronalpia",
        "Villes au Carré",
        "Fondation du Nord",
        "Plateforme RSE Nantes Métropole",
        "Émergence",
    ],
    "gestion-d-un-lieu": [
        "InfoLab du CRIJ",
        "Cent Sept",
        "Point Carré",
        "Le Catalyseur",
        "Maison des associations Pays d’Aix",
    ],
}
SHOWCASE_EXAMPLES = {
    "dialogue-territorial": [("Agir Ensemble à Charenton", "")],
    "experimentations-collectives": [("Vitawin", "éducation")],
    "accompagnements": [("Club Gravelle Entreprendre", "")],
    "gestion-d-un-lieu": [("Complémentarité des 8 tiers lieux sur le territoire", "")],
}
CATEGORIES = {
    "mecenat": "Mécénat",
    "pratiques-responsables": "Pratiques responsables",
    "cooperation-economique": "Coopération économique",
    "innovation-societale": "Innovation sociétale",
}
INDEX_PAGES = ["/fonctions/", "/categories/", "/regions/", "/departements/"]
INSPIRING_ROW = '<th scope="row">Exemples inspirants'
SHOWCASE_ROW = '<tr class="function-table__showcase">'


def row(response, name: str) -> dict[str, list[tuple[str, str]]]:
    """One row of the function table, as {function slug: [(title, note)]}."""
    return {
        column.function.slug: [
            (item.example.title, item.note) for item in getattr(column, name).examples
        ]
        for column in response.context["table"].columns
    }


def table_row(html: str, marker: str) -> str:
    """The HTML of the table row from `marker` on."""
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


def cells(row_html: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", row_html, flags=re.DOTALL)


def fiche_note(title: str) -> str:
    """The note in brackets the table should give the example: the fiche's own words, never
    what the sources later added (Ronalpia works in three départements; the fiche says 69)."""
    match = FICHE_NOTE.search(Example.objects.get(title=title).fiche_text)
    return match.group(1).strip() if match else ""


def published_counts(model, key: str = "code", relation: str = "examples") -> dict[str, int]:
    """Each row's number of published examples, by `key`, as the database counts them."""
    published = Q(**{f"{relation}__status": ExampleStatus.PUBLIE})
    return dict(
        model.objects.annotate(
            count=Count(f"{relation}__id", filter=published, distinct=True)
        ).values_list(key, "count")
    )


# /fonctions/


@pytest.fixture
def functions_html(client) -> str:
    response = client.get(reverse("examples:function_index"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_table_has_the_four_functions_side_by_side(functions_html):
    assert (
        "<caption>Les dynamiques collectives en territoires&nbsp;: "
        "les métiers de la co-construction territoriale</caption>" in functions_html
    )
    headers = re.findall(r'<th scope="col"><a href="([^"]+)">([^<]+)</a></th>', functions_html)
    assert headers == [(f"/fonctions/{slug}/", escape(name)) for slug, name in FUNCTIONS.items()]
    assert re.findall(r'<th scope="row">\s*([^<(]+?)\s*[<(]', functions_html) == [
        "Activités",
        "Exemples inspirants",
        "Exemple d’articulation des complémentarités sur un même territoire",
    ]


def test_each_function_shows_its_four_activities(functions_html):
    activity_cells = cells(table_row(functions_html, '<th scope="row">Activités'))
    assert len(activity_cells) == 4
    for cell, slug in zip(activity_cells, FUNCTIONS, strict=True):
        assert re.findall(r"<li>([^<]+)</li>", cell) == [
            escape(activity) for activity in ACTIVITIES[slug]
        ]


def test_the_fiche_examples_sit_under_their_function_with_the_fiche_notes(client, functions_html):
    response = client.get(reverse("examples:function_index"))
    inspiring = row(response, "inspiring")
    assert {slug: [title for title, _ in examples] for slug, examples in inspiring.items()} == (
        FICHE_EXAMPLES
    )
    for examples in inspiring.values():
        for title, note in examples:
            assert note == fiche_note(title), title
    example_cells = cells(table_row(functions_html, INSPIRING_ROW))
    assert (
        '<li><a href="/exemples/programme-impact-jeunes/">Programme Impact Jeunes</a>'
        f" ({fiche_note('Programme Impact Jeunes')})</li>" in example_cells[1]
    )
    assert fiche_note("Programme Impact Jeunes").startswith("éducation")
    assert (
        f'<li><a href="/exemples/ronalpia/">Ronalpia</a> ({fiche_note("Ronalpia")})</li>'
        in (example_cells[2])
    )
    assert "Vitawin" not in table_row(functions_html, INSPIRING_ROW)


def test_the_last_row_is_paris_est_marne_et_bois(client, functions_html):
    response = client.get(reverse("examples:function_index"))
    assert row(response, "showcase") == SHOWCASE_EXAMPLES
    showcase = table_row(functions_html, SHOWCASE_ROW)
    assert (
        '(<a href="/territoires/paris-est-marne-et-bois/">Paris Est Marne &amp; Bois</a>'
        "&nbsp;– 94)" in showcase
    )
    showcase_cells = cells(showcase)
    assert '<a href="/exemples/vitawin/">Vitawin</a> (éducation)</li>' in showcase_cells[1]
    assert (
        '<a href="/exemples/club-gravelle-entreprendre/">Club Gravelle Entreprendre</a></li>'
        in showcase_cells[2]
    )


def test_the_intro_quotes_the_fiche_on_the_catalyseur_territorial(functions_html):
    assert "<h1>Les métiers de la co-construction territoriale</h1>" in functions_html
    quote = functions_html[functions_html.index("<blockquote>") : functions_html.index("</figure>")]
    assert "par un “catalyseur territorial”, tiers de confiance" in quote
    assert "<figcaption>Fiche «&nbsp;Exemples inspirants&nbsp;»" in quote
    assert "Source&nbsp;: fiche «&nbsp;Exemples inspirants&nbsp;»" in functions_html
    assert '<nav class="breadcrumb" aria-label="Fil d’Ariane">' in functions_html


def test_the_table_follows_what_is_published(client):
    make_example(
        "Tiers lieu de la Drôme",
        functions=("gestion-d-un-lieu",),
        themes=("numerique", "education"),
        departements=("26", "07"),
        origin=Origin.FICHE,
        fiche_text="Tiers lieu de la Drôme (numérique / 26)",
    )
    make_example(
        "Lieu en projet",
        functions=("gestion-d-un-lieu",),
        status=ExampleStatus.PROPOSE,
        origin=Origin.FICHE,
    )
    make_example(
        "Fab lab de Vincennes",
        functions=("gestion-d-un-lieu",),
        departements=("94",),
        territory="paris-est-marne-et-bois",
        origin=Origin.FICHE,
    )
    # An alliance the editors added is not the fiche's: the table leaves it out.
    make_example("Lieu ajouté", functions=("gestion-d-un-lieu",), departements=("26",))
    response = client.get(reverse("examples:function_index"))
    inspiring = row(response, "inspiring")["gestion-d-un-lieu"]
    assert inspiring[-1] == ("Tiers lieu de la Drôme", "numérique / 26")
    assert "Lieu en projet" not in response.content.decode()
    assert "Lieu ajouté" not in response.content.decode()
    assert row(response, "showcase")["gestion-d-un-lieu"] == [
        ("Complémentarité des 8 tiers lieux sur le territoire", ""),
        ("Fab lab de Vincennes", ""),
    ]


def test_a_crowded_cell_shows_the_fiche_first_and_links_to_the_rest(client):
    url = reverse("examples:function_index")
    before = client.get(url).context["table"].columns[2].inspiring.count
    make_many_examples(12, functions=("accompagnements",))
    Example.objects.filter(slug__startswith="alliance-de-charge").update(origin=Origin.FICHE)
    response = client.get(url)
    column = response.context["table"].columns[2]
    assert column.function.slug == "accompagnements"
    assert column.inspiring.count == before + 12
    titles = [item.example.title for item in column.inspiring.examples]
    assert len(titles) == 10
    assert titles[:5] == FICHE_EXAMPLES["accompagnements"]
    html = response.content.decode()
    assert (
        f"Et {before + 2} autres&nbsp;: "
        '<a href="/fonctions/accompagnements/">Tous les exemples de cette fonction</a>' in html
    )


def test_an_empty_cell_says_so(client):
    Example.objects.filter(slug="vitawin").update(status=ExampleStatus.ARCHIVE)
    html = client.get(reverse("examples:function_index")).content.decode()
    showcase_cells = cells(table_row(html, SHOWCASE_ROW))
    assert "Pas encore d’exemple." in showcase_cells[1]
    assert "Pas encore d’exemple." not in showcase_cells[0] + showcase_cells[2]


# /categories/


def test_categories_page_gives_each_definition_era_and_count(client):
    # No published example left in one category, to see how the page says so.
    Example.objects.filter(categories__slug="cooperation-economique").update(
        status=ExampleStatus.ARCHIVE
    )
    before = published_counts(Category, "slug")
    make_example("Mécénat de compétences", categories=("mecenat",))
    make_example("Fonds territorial", categories=("mecenat", "innovation-societale"))
    make_example("Mécénat en préparation", categories=("mecenat",), status=ExampleStatus.A_RELIRE)
    response = client.get(reverse("examples:category_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Les quatre catégories de partenariat</h1>" in html
    headings = re.findall(r'<h2 class="card__title"[^>]*><a href="([^"]+)">([^<]+)</a></h2>', html)
    assert headings == [(f"/categories/{slug}/", name) for slug, name in CATEGORIES.items()]
    assert "Le mécénat se traduit par un soutien de l’entreprise à l’association." in html
    assert "L’innovation sociétale consiste à développer des solutions novatrices" in html
    assert "<dd>Le mécénat (début des années 1990)</dd>" in html
    assert "<dd>42&nbsp;%" in html
    counts = {
        category.slug: category.published_count for category in response.context["categories"]
    }
    assert counts == {
        "mecenat": before["mecenat"] + 2,
        "pratiques-responsables": before["pratiques-responsables"],
        "cooperation-economique": 0,
        "innovation-societale": before["innovation-societale"] + 1,
    }
    assert (
        '<a href="/categories/mecenat/" aria-describedby="categorie-mecenat">'
        f"{example_count(counts['mecenat'])}</a>" in html
    )
    cooperation = html[html.index('id="categorie-cooperation-economique"') :]
    assert "<dd>aucun exemple pour l’instant</dd>" in cooperation[: cooperation.index("</li>")]
    assert 'href="/fonctions/"' in html


# /regions/ and /departements/


def listed_as(place, *, row: bool = False) -> str:
    """How a région or a département appears: a link to its page when it has examples."""
    if place.published_count:
        link = f'<a href="{place.get_absolute_url()}">{escape(place)}</a>'
        return f'<th scope="row">{link}</th>' if row else link
    if row:
        return f'<th scope="row">{escape(place)}</th>'
    return f'{escape(place)} <span class="muted">aucun exemple pour l’instant</span>'


@pytest.mark.parametrize("url", ["/regions/", "/departements/"])
def test_every_region_and_departement_is_listed_with_its_count(client, url):
    # No published example left in Haute-Corse, to see how the pages say so.
    Example.objects.filter(departements__code="2B").update(status=ExampleStatus.ARCHIVE)
    before = published_counts(Region, relation="departements__examples")
    make_example("Alliance du Rhône et de l’Ain", departements=("69", "01"))
    make_example("Alliance en relecture", departements=("2B",), status=ExampleStatus.A_RELIRE)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    regions = response.context["regions"]
    assert len(regions) == Region.objects.count() == 18
    listed = [departement for region in regions for departement in region.counted_departements]
    assert sorted(d.code for d in listed) == sorted(
        Departement.objects.values_list("code", flat=True)
    )
    assert len(listed) == 101
    assert {d.code: d.published_count for d in listed} == published_counts(Departement)
    region_counts = {region.code: region.published_count for region in regions}
    assert region_counts == published_counts(Region, relation="departements__examples")
    # An example in two départements of one région counts once there.
    assert region_counts["84"] == before["84"] + 1
    for region in regions:
        assert listed_as(region) in html
        for departement in region.counted_departements:
            assert listed_as(departement, row=url == "/departements/") in html
    assert '<a href="/departements/69/">Rhône (69)</a>' in html
    assert "Haute-Corse (2B)" in html and 'href="/departements/2B/"' not in html
    assert "aucun exemple pour l’instant" in html


def test_french_order_in_the_database_and_in_python_agree():
    """The facets sort their names in Python, the admin and the place pages in PostgreSQL."""
    names = [
        "Zinc",
        "zèbre",
        "École",
        "Ecole",
        "Œuvre",
        "oeuvre",
        "L’atelier",
        "L'Atelier",
        "Lac",
        "Île-de-France",
        "Isère",
        "« Cité »",
        "Æther",
        "Straße",
        "Pont—Neuf",
    ]
    names = [Theme(name=name, slug=f"nom-{number}") for number, name in enumerate(names)]
    Theme.objects.bulk_create(names)
    in_database = Theme.objects.filter(slug__startswith="nom-").order_by(
        french_order("name"), "name"
    )
    in_python = sorted(names, key=lambda theme: (french_sort_key(theme.name), theme.name))
    assert [theme.name for theme in in_database] == [theme.name for theme in in_python]


def test_regions_page_is_in_french_alphabetical_order(client):
    response = client.get(reverse("territories:region_index"))
    names = [region.name for region in response.context["regions"]]
    assert names == sorted(names, key=french_sort_key)
    assert names[0] == "Auvergne-Rhône-Alpes"
    assert names.index("Île-de-France") < names.index("Normandie")
    html = response.content.decode()
    assert '<h2 class="regions__name"><a href="/regions/84/">Auvergne-Rhône-Alpes</a>' in html


def test_departements_page_is_a_table_grouped_by_region(client):
    html = client.get(reverse("territories:departement_index")).content.decode()
    assert "<caption>Les départements, région par région, et leurs exemples publiés</caption>" in (
        html
    )
    assert '<th scope="col">Département</th>' in html
    assert html.count("<tbody>") == 18
    assert html.count('<th scope="rowgroup" colspan="2">') == 18
    assert html.count('<th scope="row">') == 101
    in_val_de_marne = published_counts(Departement)["94"]
    assert (
        '<th scope="row"><a href="/departements/94/">Val-de-Marne (94)</a></th>\n'
        f"      <td>{example_count(in_val_de_marne)}</td>" in html
    )


# Links, sitemap, budgets


def test_home_and_about_link_to_the_function_table(client):
    for url in [reverse("examples:home"), reverse("examples:about")]:
        html = client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert 'href="/fonctions/"' in main, url
        assert 'href="/categories/"' in main, url


def test_home_and_territories_link_to_regions_and_departements(client):
    for url in [reverse("examples:home"), reverse("territories:index")]:
        html = client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert 'href="/regions/"' in main and 'href="/departements/"' in main, url


@pytest.mark.parametrize("url", ["/", "/exemples/", *INDEX_PAGES])
def test_every_page_footer_links_to_the_index_pages(client, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<nav class="footer-nav" aria-label="Parcourir l’annuaire">' in footer
    for page in INDEX_PAGES:
        assert f'href="{page}"' in footer


@pytest.mark.parametrize(
    ("url", "parent"),
    [
        ("/categories/mecenat/", '<a href="/categories/">Catégories de partenariat</a>'),
        (
            "/fonctions/accompagnements/",
            '<a href="/fonctions/">Fonctions de la co-construction territoriale</a>',
        ),
    ],
)
def test_category_and_function_breadcrumbs_go_through_their_index(client, url, parent):
    html = client.get(url).content.decode()
    breadcrumb = html[html.index('<nav class="breadcrumb"') :]
    assert parent in breadcrumb[: breadcrumb.index("</nav>")]


def test_the_sitemap_lists_the_index_pages(client):
    response = client.get("/sitemap-pages.xml")
    assert response.status_code == 200
    for page in INDEX_PAGES:
        assert f"<loc>http://testserver{page}</loc>" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "budget"),
    # Those reading the directory index count one read of the directory's version
    # (examples/directory_version.py): 3, 4 and 4 before it.
    [("/fonctions/", 6), ("/categories/", 4), ("/regions/", 5), ("/departements/", 5)],
)
def test_query_budget_does_not_grow_with_examples(
    client, url, budget, django_assert_max_num_queries
):
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    make_many_examples(
        45,
        categories=("mecenat",),
        functions=("accompagnements", "gestion-d-un-lieu"),
        themes=("education",),
        departements=("69", "94", "2A"),
        territory="paris-est-marne-et-bois",
    )
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", INDEX_PAGES)
def test_index_pages_only_answer_reads(client, url):
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
