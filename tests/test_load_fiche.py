"""The fiche « Exemples inspirants » as data: reference data, every example, idempotent loads."""

from io import StringIO

import pytest
from django.core.management import call_command

from examples.models import Category, Era, Example, ExampleStatus, KeyFigure, Resource, Theme
from territories.models import Activity, Departement, Function, Region, Territory

pytestmark = pytest.mark.django_db

# (title, function slug, theme slug or None, département codes) as the fiche gives them.
FICHE_EXAMPLES = [
    ("Start Up de Territoire", "dialogue-territorial", None, []),
    ("Labo des partenariats d'Alsace", "dialogue-territorial", None, ["67", "68"]),
    (
        "Dotation d'Action Territoriale (DAT) de la Fondation Break Poverty",
        "dialogue-territorial",
        None,
        [],
    ),
    ("Démarche ODD&CT du Comité 21", "dialogue-territorial", None, []),
    ("Programme Impact Jeunes", "experimentations-collectives", "education", ["13"]),
    ("MicroVille 112", "experimentations-collectives", "rehabilitation", ["51"]),
    ("Silver Geek", "experimentations-collectives", "numerique", ["86"]),
    ("PTCE Les Mureaux", "experimentations-collectives", "emplois", ["78"]),
    (
        "Ateliers de l'Entrepreneuriat Humaniste",
        "experimentations-collectives",
        "recherche",
        ["69"],
    ),
    ("Ronalpia", "accompagnements", None, ["69"]),
    ("Villes au Carré", "accompagnements", None, ["45"]),
    ("Fondation du Nord", "accompagnements", None, ["59"]),
    ("Plateforme RSE Nantes Métropole", "accompagnements", None, ["44"]),
    ("Emergence", "accompagnements", None, ["39"]),
    ("InfoLab du CRIJ", "gestion-d-un-lieu", None, ["45"]),
    ("Cent Sept", "gestion-d-un-lieu", None, ["69"]),
    ("Point Carré", "gestion-d-un-lieu", None, ["93"]),
    ("Le Catalyseur", "gestion-d-un-lieu", None, ["31"]),
    ("Maison des associations Pays d'Aix", "gestion-d-un-lieu", None, ["13"]),
    ("Agir Ensemble à Charenton", "dialogue-territorial", None, ["94"]),
    ("Vitawin", "experimentations-collectives", "education", ["94"]),
    ("Club Gravelle Entreprendre", "accompagnements", None, ["94"]),
    ("Complémentarité des 8 tiers lieux sur le territoire", "gestion-d-un-lieu", None, ["94"]),
]


def load_fiche() -> str:
    out = StringIO()
    call_command("load_fiche", stdout=out)
    return out.getvalue()


def test_reference_data_has_every_region_and_departement():
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert Departement.objects.get(code="69").region.name == "Auvergne-Rhône-Alpes"
    assert Departement.objects.get(code="2A").name == "Corse-du-Sud"
    assert Departement.objects.get(code="976").region.code == "06"
    assert not Region.objects.filter(departements__isnull=True).exists()


@pytest.mark.parametrize(("title", "function", "theme", "codes"), FICHE_EXAMPLES)
def test_every_fiche_example_is_published_with_its_function_theme_and_departement(
    title, function, theme, codes
):
    example = Example.objects.get(title=title)
    assert example.status == ExampleStatus.PUBLIE
    assert example.published_at is not None
    assert list(example.functions.values_list("slug", flat=True)) == [function]
    assert list(example.themes.values_list("slug", flat=True)) == ([theme] if theme else [])
    assert sorted(example.departements.values_list("code", flat=True)) == codes
    assert "Exemples inspirants" in example.source


def test_fiche_has_no_other_example():
    assert Example.objects.count() == len(FICHE_EXAMPLES)


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
    ) == ["Lieu d'échanges convivial", "Espace de co-working", "Showroom, démonstrateur", "Fab lab"]


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


def test_second_load_creates_nothing():
    output = load_fiche()
    assert "Total : 0 créé(s), 200 conservé(s)." in output


def test_load_never_overwrites_a_staff_edit():
    example = Example.objects.get(slug="silver-geek")
    example.summary = "Résumé réécrit par l'équipe."
    example.save()
    example.themes.clear()
    load_fiche()
    example.refresh_from_db()
    assert example.summary == "Résumé réécrit par l'équipe."
    assert not example.themes.exists()


def test_load_adds_what_is_missing():
    Example.objects.filter(slug="ronalpia").delete()
    output = load_fiche()
    assert "exemples : 1 créé(s), 22 conservé(s)" in output
    assert Example.objects.get(slug="ronalpia").departements.get().code == "69"


def test_search_document_follows_relations():
    example = Example.objects.get(slug="dotation-d-action-territoriale-break-poverty")
    assert "Fondation Break Poverty" in example.search_document
    assert "Dialogue territorial" in example.search_document
