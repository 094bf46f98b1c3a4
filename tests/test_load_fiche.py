"""The fiche « Exemples inspirants » as data: reference data, the fiche's examples merged with the
editorial content of fixtures/contenu/, the added alliances, and loads that keep staff edits and
write nothing the second time."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from examples.french import french_sort_key
from examples.models import (
    Category,
    Era,
    Example,
    ExamplePartner,
    ExampleStatus,
    KeyFigure,
    Origin,
    Resource,
    Theme,
)
from examples.validation import classification_errors
from territories.models import Activity, Departement, Function, Region, Territory
from tests.curation import log_admin_change, make_editor

pytestmark = pytest.mark.django_db

CONTENT_DIR = settings.BASE_DIR / "fixtures" / "contenu"

# (title, function slug, theme slug or None) as the fiche gives them, then the départements and
# the national scope once the editorial content is merged: the sources moved some examples (the
# Labo des partenariats is only in the Bas-Rhin, Ronalpia also covers Isère and Loire) and made
# others national.
FICHE_EXAMPLES = [
    ("Start Up de Territoire", "dialogue-territorial", None, [], True),
    ("Labo des partenariats d’Alsace", "dialogue-territorial", None, ["67"], False),
    (
        "Dotation d’Action Territoriale (DAT) de la Fondation Break Poverty",
        "dialogue-territorial",
        None,
        [],
        True,
    ),
    ("Démarche ODD&CT du Comité 21", "dialogue-territorial", None, [], True),
    ("Programme Impact Jeunes", "experimentations-collectives", "education", ["13"], False),
    ("MicroVille 112", "experimentations-collectives", "rehabilitation", ["51"], False),
    ("Silver Geek", "experimentations-collectives", "numerique", ["86"], True),
    ("PTCE Les Mureaux", "experimentations-collectives", "emplois", ["78"], False),
    (
        "Ateliers de l’Entrepreneuriat Humaniste",
        "experimentations-collectives",
        "recherche",
        ["69"],
        False,
    ),
    ("Ronalpia", "accompagnements", None, ["38", "42", "69"], False),
    ("Villes au Carré", "accompagnements", None, ["45"], False),
    ("Fondation du Nord", "accompagnements", None, ["59"], False),
    ("Plateforme RSE Nantes Métropole", "accompagnements", None, ["44"], False),
    ("Émergence", "accompagnements", None, ["39"], False),
    ("InfoLab du CRIJ", "gestion-d-un-lieu", None, ["45"], False),
    ("Cent Sept", "gestion-d-un-lieu", None, ["69"], False),
    ("Point Carré", "gestion-d-un-lieu", None, ["93"], False),
    ("Le Catalyseur", "gestion-d-un-lieu", None, ["31"], False),
    ("Maison des associations Pays d’Aix", "gestion-d-un-lieu", None, ["13"], False),
    ("Agir Ensemble à Charenton", "dialogue-territorial", None, ["94"], False),
    ("Vitawin", "experimentations-collectives", "education", ["94"], False),
    ("Club Gravelle Entreprendre", "accompagnements", None, ["94"], False),
    (
        "Complémentarité des 8 tiers lieux sur le territoire",
        "gestion-d-un-lieu",
        None,
        ["94"],
        False,
    ),
]
FICHE_URL = "https://partenariats-strategiques.plateformecapitalisation.org"
WRITES = ("INSERT", "UPDATE", "DELETE")


def load_fiche() -> str:
    out = StringIO()
    call_command("load_fiche", stdout=out)
    return out.getvalue()


def load_fiche_counting_writes() -> tuple[str, list[str]]:
    """The command's report, and every statement it sent that writes a row."""
    with CaptureQueriesContext(connection) as queries:
        output = load_fiche()
    return output, [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)
    ]


def content_record(slug: str) -> dict:
    for path in sorted(CONTENT_DIR.glob("*.json")):
        if path.name.startswith(("fiche-", "ajouts-")):
            for record in json.loads(path.read_text(encoding="utf-8")):
                if record["slug"] == slug:
                    return record
    raise LookupError(slug)


def added_slugs() -> set[str]:
    return {
        record["slug"]
        for path in CONTENT_DIR.glob("ajouts-*.json")
        for record in json.loads(path.read_text(encoding="utf-8"))
        if record["origin"] == Origin.AJOUT
    }


def kept_line(example: Example) -> str:
    return f"Conservé (modifié par l’équipe) : exemple «\u00a0{example}\u00a0»"


def test_reference_data_has_every_region_and_departement():
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert Departement.objects.get(code="69").region.name == "Auvergne-Rhône-Alpes"
    assert Departement.objects.get(code="2A").name == "Corse-du-Sud"
    assert Departement.objects.get(code="976").region.code == "06"
    assert not Region.objects.filter(departements__isnull=True).exists()


@pytest.mark.parametrize(("title", "function", "theme", "codes", "is_national"), FICHE_EXAMPLES)
def test_every_fiche_example_is_published_with_its_function_theme_and_departement(
    title, function, theme, codes, is_national
):
    example = Example.objects.get(title=title)
    assert example.origin == Origin.FICHE
    assert example.status == ExampleStatus.PUBLIE
    assert example.published_at is not None
    assert list(example.functions.values_list("slug", flat=True)) == [function]
    assert list(example.themes.values_list("slug", flat=True)) == ([theme] if theme else [])
    assert sorted(example.departements.values_list("code", flat=True)) == codes
    assert example.is_national is is_national
    # The editorial content, not the old placeholder.
    record = content_record(example.slug)
    assert example.summary == record["summary"]
    assert "cité par la fiche" not in example.summary


@pytest.mark.parametrize(("title", "function", "theme", "codes", "is_national"), FICHE_EXAMPLES)
def test_every_fiche_example_cites_the_fiche_first(title, function, theme, codes, is_national):
    example = Example.objects.get(title=title)
    sources = list(example.sources.order_by("order", "pk"))
    assert sources[0].is_fiche
    assert sources[0].url == FICHE_URL
    assert [source.is_fiche for source in sources[1:]] == [False] * (len(sources) - 1)


def test_fiche_examples_and_added_alliances():
    fiche_titles = {title for title, *_ in FICHE_EXAMPLES}
    assert (
        set(Example.objects.filter(origin=Origin.FICHE).values_list("title", flat=True))
        == fiche_titles
    )
    added = Example.objects.filter(origin=Origin.AJOUT)
    assert set(added.values_list("slug", flat=True)) == added_slugs()
    assert len(added_slugs()) >= 40
    assert not added.exclude(status=ExampleStatus.PUBLIE).exists()
    assert Example.objects.count() == len(FICHE_EXAMPLES) + len(added_slugs())
    # Every added alliance comes with its partners, categories and sources.
    assert not added.filter(sources__isnull=True).exists()
    assert not added.filter(partners__isnull=True).exists()
    assert not added.filter(categories__isnull=True).exists()
    assert not added.filter(sources__is_fiche=True).exists()


def test_every_published_example_is_validly_classified():
    examples = Example.objects.published().prefetch_related(
        "categories", "functions", "departements"
    )
    assert examples.count() == Example.objects.count()
    invalid = {
        example.slug: errors
        for example in examples
        if (
            errors := classification_errors(
                categories=list(example.categories.all()),
                functions=list(example.functions.all()),
                departements=list(example.departements.all()),
                is_national=example.is_national,
            )
        )
    }
    assert invalid == {}


def test_every_verified_example_has_a_source_besides_the_fiche():
    verified = Example.objects.filter(needs_verification=False)
    assert verified.exists()
    assert not verified.exclude(sources__is_fiche=False).exists()
    # Those still to verify say so, and are published all the same.
    assert Example.objects.filter(needs_verification=True).exists()


def test_every_category_and_region_has_published_examples():
    published = Example.objects.published()
    per_category = {
        category.slug: published.filter(categories=category).distinct().count()
        for category in Category.objects.all()
    }
    assert len(per_category) == 4
    assert min(per_category.values()) >= 8, per_category
    per_region = {
        region.name: published.filter(departements__region=region).distinct().count()
        for region in Region.objects.all()
    }
    assert len(per_region) == 18
    assert min(per_region.values()) >= 1, per_region


@pytest.mark.parametrize(
    "query", ["lyon", "incubateur", "insertion", "entreprise", "Fondation Macif"]
)
def test_search_finds_an_example_about_it(query):
    found = list(Example.objects.published().search(query).prefetch_related("partners"))
    about_it = [
        example.title
        for example in found
        if french_sort_key(query)
        in french_sort_key(
            " ".join(
                [
                    example.title,
                    example.summary,
                    example.description,
                    example.commune,
                    *(partner.name for partner in example.partners.all()),
                ]
            )
        )
    ]
    assert about_it, [example.title for example in found]


def test_search_finds_the_fiche_examples_by_their_editorial_content():
    assert "Ronalpia" in {e.title for e in Example.objects.published().search("lyon")}
    assert "Silver Geek" in {e.title for e in Example.objects.published().search("Fondation Macif")}


def test_paris_est_marne_et_bois_has_one_example_per_function():
    territory = Territory.objects.get(slug="paris-est-marne-et-bois")
    assert list(territory.departements.values_list("code", flat=True)) == ["94"]
    functions = territory.examples.values_list("functions__slug", flat=True)
    assert sorted(functions) == sorted(
        [
            "dialogue-territorial",
            "experimentations-collectives",
            "accompagnements",
            "gestion-d-un-lieu",
        ]
    )


def test_categories_with_definitions_eras_and_shares():
    shares = dict(Category.objects.values_list("slug", "share_percent"))
    assert shares == {
        "mecenat": 30,
        "pratiques-responsables": 42,
        "cooperation-economique": 25,
        "innovation-societale": 16,
    }
    mecenat = Category.objects.get(slug="mecenat")
    assert mecenat.era.period == "Début des années 1990"
    assert "Soutien logistique" in mecenat.form_list[3]
    assert all(category.definition and category.trends for category in Category.objects.all())


def test_functions_and_their_activities():
    assert list(Function.objects.values_list("slug", flat=True)) == [
        "dialogue-territorial",
        "experimentations-collectives",
        "accompagnements",
        "gestion-d-un-lieu",
    ]
    assert Activity.objects.count() == 16
    assert list(
        Function.objects.get(slug="gestion-d-un-lieu").activities.values_list("name", flat=True)
    ) == ["Lieu d’échanges convivial", "Espace de co-working", "Showroom, démonstrateur", "Fab lab"]


def test_key_figures_eras_resources_and_themes():
    figures = dict(KeyFigure.objects.values_list("value", "source"))
    assert "novembre 2016" in figures["76 %"]
    assert "octobre 2019" in figures["74 %"]
    assert "1,2 million" in figures
    assert list(Era.objects.values_list("slug", flat=True)) == [
        "mecenat",
        "pratiques-responsables",
        "co-construction",
    ]
    assert Resource.objects.get(slug="impact-pratiques-innovantes").url.startswith("http")
    assert Resource.objects.get(slug="centre-ressources").url == (
        "https://partenariats-strategiques.plateformecapitalisation.org"
    )
    assert Resource.objects.count() == 13
    assert Theme.objects.count() == 5


def test_second_load_writes_nothing():
    output, writes = load_fiche_counting_writes()
    assert "Total : 0 créé(s), 0 mis à jour," in output
    assert "0 conservé(s) car modifié(s) par l’équipe." in output
    assert f"exemples : 0 créé(s), 0 mis à jour, {Example.objects.count()} inchangé(s)" in output
    assert writes == []


def test_load_brings_old_placeholders_up_to_date_and_keeps_staff_edits():
    # A database loaded from the old fixtures: placeholder texts, the fiche's départements,
    # no sources, partners nor categories. QuerySet.update records no history user.
    ronalpia = Example.objects.get(slug="ronalpia")
    labo = Example.objects.get(slug="labo-des-partenariats-alsace")
    for example, codes in ((ronalpia, ["69"]), (labo, ["67", "68"])):
        Example.objects.filter(pk=example.pk).update(
            summary=f"Exemple de {example.functions.get().name.lower()}, cité par la fiche "
            "« Exemples inspirants ».",
            description=f"La fiche « Exemples inspirants » cite « {example.title} ».",
            website="",
            commune="",
        )
        example.sources.all().delete()
        example.figures.all().delete()
        ExamplePartner.objects.filter(example=example).delete()
        example.categories.clear()
        example.departements.set(Departement.objects.filter(code__in=codes))
    # A staff edit: the history keeps who made it.
    silver_geek = Example.objects.get(slug="silver-geek")
    silver_geek.summary = "Résumé réécrit par l'équipe."
    silver_geek._history_user = make_editor()
    silver_geek.save()
    silver_geek.themes.clear()

    output = load_fiche()

    for example, codes in ((ronalpia, ["38", "42", "69"]), (labo, ["67"])):
        record = content_record(example.slug)
        example.refresh_from_db()
        assert example.summary == record["summary"]
        assert example.description == record["description"]
        assert example.commune == record["commune"]
        assert sorted(example.departements.values_list("code", flat=True)) == codes
        sources = list(example.sources.order_by("order"))
        assert sources[0].is_fiche
        assert [source.url for source in sources[1:]] == [s["url"] for s in record["sources"]]
        assert set(example.partners.values_list("name", flat=True)) == {
            partner["name"] for partner in record["partners"]
        }
        assert set(example.categories.values_list("slug", flat=True)) == {
            category["slug"] for category in record["categories"]
        }
        assert example.history.filter(history_user__isnull=False).count() == 0
        # The search finds it again by its partners.
        assert all(partner["name"] in example.search_document for partner in record["partners"])
    silver_geek.refresh_from_db()
    assert silver_geek.summary == "Résumé réécrit par l'équipe."
    assert not silver_geek.themes.exists()
    assert kept_line(silver_geek) in output
    total = Example.objects.count()
    assert f"exemples : 0 créé(s), 2 mis à jour, {total - 3} inchangé(s)" in output
    assert "1 conservé(s) car modifié(s) par l’équipe." in output

    output, writes = load_fiche_counting_writes()
    assert "Total : 0 créé(s), 0 mis à jour," in output
    assert kept_line(silver_geek) in output
    assert writes == []


def test_load_keeps_what_staff_changed_in_the_admin():
    mecenat = Category.objects.get(slug="mecenat")
    # An update no one logged is brought back to the fixture's value …
    Category.objects.filter(slug="pratiques-responsables").update(share_percent=1)
    # … one changed in the admin is kept.
    Category.objects.filter(pk=mecenat.pk).update(share_percent=99)
    log_admin_change(mecenat)
    output = load_fiche()
    assert Category.objects.get(slug="pratiques-responsables").share_percent == 42
    assert Category.objects.get(slug="mecenat").share_percent == 99
    assert (
        f"Conservé (modifié par l’équipe) : catégorie de partenariat «\u00a0{mecenat}\u00a0»"
        in (output)
    )
    assert "catégories de partenariat : 0 créé(s), 1 mis à jour, 2 inchangé(s)" in output


def test_load_adds_what_is_missing():
    total = Example.objects.count()
    Example.objects.filter(slug="ronalpia").delete()
    output = load_fiche()
    assert f"exemples : 1 créé(s), 0 mis à jour, {total - 1} inchangé(s)" in output
    ronalpia = Example.objects.get(slug="ronalpia")
    assert sorted(ronalpia.departements.values_list("code", flat=True)) == ["38", "42", "69"]
    assert ronalpia.sources.order_by("order").first().is_fiche
    assert ronalpia.partners.filter(name="Fondation Caisse d’Épargne Rhône-Alpes").exists()
    assert Example.objects.count() == total


def test_search_document_follows_relations():
    example = Example.objects.get(slug="dotation-d-action-territoriale-break-poverty")
    assert "Break Poverty Foundation" in example.search_document
    assert "Dialogue territorial" in example.search_document
    assert "Mécénat" in example.search_document
