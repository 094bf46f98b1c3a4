"""The example page: its content, related examples, and who may see an unpublished one."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from examples.directory_index import DirectoryIndex
from examples.facets import PAGE_RELATIONS, Facet, relations_in_database
from examples.models import Example, ExampleStatus
from examples.provenance import ExamplePartner

from .example_builders import make_example, make_many_examples, make_partner, make_staff

pytestmark = pytest.mark.django_db

UNPUBLISHED = [status for status in ExampleStatus if status != ExampleStatus.PUBLIE]


@pytest.fixture
def complete_example():
    return make_example(
        "Alliance pour l'emploi des jeunes",
        summary="Une entreprise et une association forment des jeunes du quartier.",
        description="Premier paragraphe.\n\nSecond paragraphe.",
        categories=("cooperation-economique",),
        functions=("accompagnements",),
        themes=("emplois",),
        departements=("94",),
        territory="paris-est-marne-et-bois",
        partners=(
            make_partner("Association Tremplin", kind="association"),
            make_partner("Entreprise Solide", kind="entreprise", website="https://solide.example"),
            make_partner("Groupe Bâtisseurs", kind="entreprise"),
            make_partner("Collectif sans statut"),
        ),
        website="https://alliance-emploi.example/projet",
        sources=(("https://source.example/article", "Repéré par l'équipe éditoriale"),),
        published_at=timezone.make_aware(datetime(2026, 3, 12, 10, 0)),
        last_verified_at=date(2026, 4, 1),
    )


def test_detail_shows_everything_known(client, complete_example, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(complete_example.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Alliance pour l&#x27;emploi des jeunes</h1>" in html
    assert "Une entreprise et une association forment des jeunes du quartier." in html
    assert "<p>Premier paragraphe.</p>" in html and "<p>Second paragraphe.</p>" in html
    assert 'href="/categories/cooperation-economique/">Coopération économique</a>' in html
    assert 'href="/fonctions/accompagnements/">Accompagnements</a>' in html
    assert 'href="/exemples/?theme=emplois">Emplois</a>' in html
    assert 'href="/departements/94/">Val-de-Marne (94)</a>' in html
    assert 'href="/regions/11/">Île-de-France</a>' in html
    assert 'href="/territoires/paris-est-marne-et-bois/">Paris Est Marne &amp; Bois</a>' in html
    assert 'href="https://alliance-emploi.example/projet" rel="external"' in html
    assert "Repéré par l&#x27;équipe éditoriale" in html
    assert 'href="https://source.example/article"' in html
    assert "Publié le" in html and "12 mars 2026" in html
    assert "Dernière vérification" in html and "1er avril 2026" in html
    assert '<meta name="robots"' not in html


def test_partners_are_grouped_by_kind(client, complete_example):
    links = ExamplePartner.objects.filter(example=complete_example)
    links.filter(partner__slug="entreprise-solide").update(role="mécène", order=2)
    links.filter(partner__slug="groupe-batisseurs").update(order=1)
    # The page's body: the JSON-LD in <head> names the partners too.
    html = client.get(complete_example.get_absolute_url()).content.decode().split("<body>")[1]
    associations = html.index("<dt>Associations</dt>")
    companies = html.index("<dt>Entreprises</dt>")
    others = html.index("<dt>Autres partenaires</dt>")
    assert associations < html.index("Association Tremplin") < companies
    # Within a kind, in the order the editors gave.
    assert companies < html.index("Groupe Bâtisseurs") < html.index("Entreprise Solide") < others
    assert others < html.index("Collectif sans statut")
    # Each partner links to its own page, with its role in this alliance when known.
    assert (
        '<dd><a href="/partenaires/entreprise-solide/">Entreprise Solide</a> — mécène</dd>' in html
    )
    assert '<dd><a href="/partenaires/groupe-batisseurs/">Groupe Bâtisseurs</a></dd>' in html
    assert "Fondations" not in html


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_a_fiche_example_shows_the_fiche_words_then_the_editorial_content(client):
    html = client.get(reverse("examples:detail", args=["silver-geek"])).content.decode()
    html = html.split("<body>")[1]
    assert "Cité par la fiche «&nbsp;Exemples inspirants&nbsp;»" in html
    fiche = section(html, "titre-fiche")
    assert "Ce que dit la fiche" in fiche
    assert "<blockquote><p>Silver Geek (numérique / 86)</p></blockquote>" in fiche
    assert (
        'href="/fonctions/experimentations-collectives/">Expérimentations collectives</a>' in fiche
    )
    assert html.index('id="titre-fiche"') < html.index('id="titre-description"')
    # The partners named by the sources, grouped by kind, each with its role.
    partners = section(html, "titre-partenaires")
    associations = partners.index("<dt>Associations</dt>")
    companies = partners.index("<dt>Entreprises</dt>")
    foundations = partners.index("<dt>Fondations</dt>")
    others = partners.index("<dt>Autres partenaires</dt>")
    assert associations < companies < foundations < others
    assert (
        '<a href="/partenaires/silver-geek/">Silver Geek</a> — porteur du programme depuis 2018'
        in partners[associations:companies]
    )
    assert (
        '<a href="/partenaires/orange/">Orange</a> — membre fondateur'
        in partners[companies:foundations]
    )
    assert (
        "Fondation Macif</a> — membre fondateur et principal mécène"
        in (partners[foundations:others])
    )
    # The categories are the editorial team's, each with the fact that grounds it.
    classification = section(html, "titre-classement")
    assert "Classement éditorial" in classification
    assert (
        '<a href="/categories/mecenat/">Mécénat</a>&nbsp;— Classement éditorial\u00a0: '
        "l’association est soutenue pour l’essentiel par la Fondation Macif" in classification
    )
    # The fiche comes first among the sources, then the pages that support the added facts,
    # each with the day it was read.
    sources = section(html, "titre-sources")
    items = sources.split("<li>")[1:]
    assert len(items) == 14
    assert (
        "Fiche «\u00a0Exemples inspirants\u00a0» du kit «\u00a0L’ODD\u00a017 en pratique\u00a0»"
        in items[0]
    )
    assert "Mission ministérielle sur les alliances stratégiques" in items[0]
    assert 'href="https://www.cobaltpoitiers.fr/' in items[1] and "Cobalt Poitiers" in items[1]
    assert all("Consultée le <time datetime=" in item for item in items)
    # The fiche has no publication date of its own to show.
    assert "Publié le" not in html
    assert "Exemple peu documenté" not in html
    assert 'href="/departements/86/">Vienne (86)</a>' in html
    assert 'href="/regions/75/">Nouvelle-Aquitaine</a>' in html


def test_a_little_documented_fiche_example_says_so(client):
    html = client.get(reverse("examples:detail", args=["fondation-du-nord"])).content.decode()
    html = html.split("<body>")[1]
    assert "<strong>Exemple peu documenté.</strong>" in html
    assert "<blockquote><p>Fondation du Nord (59)</p></blockquote>" in section(html, "titre-fiche")
    assert "Les sources consultées ne nomment pas de partenaire pour cet exemple." in html
    assert "Mission ministérielle sur les alliances stratégiques" in section(html, "titre-sources")
    assert "Publié le" not in html


def test_an_example_without_sources_or_verification_says_so(client):
    example = make_example("Alliance sans source", departements=("86",))
    html = client.get(example.get_absolute_url()).content.decode()
    assert "Ajout éditorial&nbsp;: cette alliance n’est pas citée par la fiche" in html
    assert "Ce que dit la fiche" not in html
    assert "aucune source publique n’est encore citée" in html
    assert "Les sources consultées ne nomment pas de partenaire pour cet exemple." in html
    assert "pas encore vérifié par l’équipe" in html
    assert 'href="/regions/75/">Nouvelle-Aquitaine</a>' in html


def test_related_examples_same_territory_then_same_function(client, complete_example):
    response = client.get(complete_example.get_absolute_url())
    related = [example.title for example in response.context["related_examples"]]
    # The four examples of Paris Est Marne & Bois first, then other accompagnements.
    assert set(related[:4]) == {
        "Agir Ensemble à Charenton",
        "Vitawin",
        "Club Gravelle Entreprendre",
        "Complémentarité des 8 tiers lieux sur le territoire",
    }
    assert related[:4].index("Club Gravelle Entreprendre") == 0  # territory and function
    assert len(related) == 6
    for title in related[4:]:
        assert title in {
            "Ronalpia",
            "Villes au Carré",
            "Fondation du Nord",
            "Plateforme RSE Nantes Métropole",
            "Émergence",
        }
    assert "Exemples proches" in response.content.decode()


def test_related_examples_are_published_only(client):
    example = make_example("Exemple lyonnais", departements=("69",))
    make_example("Brouillon lyonnais", departements=("69",), status=ExampleStatus.BROUILLON)
    related = [e.title for e in client.get(example.get_absolute_url()).context["related_examples"]]
    assert "Ronalpia" in related
    assert "Brouillon lyonnais" not in related


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_example_is_a_404_for_the_public(client, status):
    example = make_example(f"Exemple {status.label}", status=status)
    response = client.get(example.get_absolute_url())
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_example_is_a_404_for_a_user_without_the_permission(client, status):
    example = make_example(f"Exemple {status.label}", status=status)
    client.force_login(make_staff(can_view_examples=False))
    assert client.get(example.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_staff_previews_an_unpublished_example(client, status):
    example = make_example(f"Exemple {status.label}", status=status, departements=("69",))
    client.force_login(make_staff())
    response = client.get(example.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    label = status.label.lower()
    assert f"Aperçu&nbsp;: cet exemple n’est pas publié (statut&nbsp;: {label})" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"]
    # The preview does not leak it anywhere else.
    list_html = client.get(reverse("examples:list") + "?departement=69").content.decode()
    assert example.title not in list_html


def test_staff_sees_a_published_example_without_banner(client):
    client.force_login(make_staff())
    html = client.get(reverse("examples:detail", args=["ronalpia"])).content.decode()
    assert "Aperçu" not in html


def test_unknown_example_is_a_404(client):
    assert client.get("/exemples/n-existe-pas/").status_code == 404


def test_detail_query_budget_does_not_grow(client, complete_example, django_assert_max_num_queries):
    make_many_examples(30, functions=("accompagnements",), departements=("94",))
    with django_assert_max_num_queries(10):
        response = client.get(complete_example.get_absolute_url())
    assert len(response.context["related_examples"]) == 6


@pytest.mark.usefixtures("kept_index")
def test_a_published_example_names_its_relations_from_the_directory_index(
    client, complete_example, django_assert_max_num_queries
):
    DirectoryIndex.current()
    # The example, its partners with their roles, its categories with their reasons, its
    # sources, its figures and the related examples' cards: nothing for its categories'
    # names, functions, themes, départements or régions; and the directory's version, read once
    # per request (examples/directory_version.py).
    with django_assert_max_num_queries(7):
        html = client.get(complete_example.get_absolute_url()).content.decode()
    assert 'href="/categories/cooperation-economique/">Coopération économique</a>' in html
    assert 'href="/regions/11/">Île-de-France</a>' in html


def test_the_index_and_the_database_name_the_same_relations_in_the_same_order():
    example = make_example(
        "Alliance à cheval sur trois régions",
        categories=("innovation-societale", "mecenat"),
        functions=("gestion-d-un-lieu", "dialogue-territorial"),
        themes=("rehabilitation", "emplois", "education", "numerique"),
        departements=("94", "2A", "69", "38"),
    )
    fetched = Example.objects.with_relation_ids(*PAGE_RELATIONS).get(pk=example.pk)
    from_index = DirectoryIndex.current().relations_of(fetched)
    assert from_index == relations_in_database(example)
    assert [theme.name for theme in from_index[Facet.THEME]] == [
        "Éducation",
        "Emplois",
        "Numérique",
        "Réhabilitation",
    ]
    assert [str(departement) for departement in from_index[Facet.DEPARTEMENT]] == [
        "Corse-du-Sud (2A)",
        "Isère (38)",
        "Rhône (69)",
        "Val-de-Marne (94)",
    ]
    assert [region.name for region in from_index[Facet.REGION]] == [
        "Auvergne-Rhône-Alpes",
        "Corse",
        "Île-de-France",
    ]


def test_a_preview_names_its_relations_from_the_database(client):
    draft = make_example(
        "Brouillon en Isère",
        status=ExampleStatus.BROUILLON,
        categories=("mecenat",),
        themes=("education",),
        departements=("38",),
    )
    client.force_login(make_staff())
    html = client.get(draft.get_absolute_url()).content.decode()
    assert 'href="/categories/mecenat/">Mécénat</a>' in html
    assert 'href="/exemples/?theme=education">Éducation</a>' in html
    assert 'href="/departements/38/">Isère (38)</a>' in html
    assert 'href="/regions/84/">Auvergne-Rhône-Alpes</a>' in html
