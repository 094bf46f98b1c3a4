"""The example list in the admin: columns, filters, search, autocomplete, and a query count
that does not grow with the number of rows."""

import pytest
from django.urls import reverse

from examples.french import french_sort_key
from examples.models import Example, Partner, Theme
from examples.status import ExampleStatus
from tests.curation import make_example

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:examples_example_changelist")
QUEUE = reverse("admin:examples_exampleawaitingmoderation_changelist")


def listed_titles(response) -> set[str]:
    return {example.title for example in response.context["cl"].result_list}


def test_list_shows_status_categories_functions_departements_and_last_update(client, moderator):
    make_example(
        "Alliance lyonnaise",
        status=ExampleStatus.A_RELIRE,
        departements=("69", "01"),
        categories=("mecenat",),
        functions=("accompagnements",),
    )
    client.force_login(moderator)
    response = client.get(CHANGELIST, {"q": "Alliance lyonnaise"})
    html = response.content.decode()
    for header in ["Titre", "Statut", "Catégories", "Fonctions", "Départements", "Mis à jour le"]:
        assert header in html
    assert "À relire" in html
    assert "Mécénat" in html
    assert "Accompagnements" in html
    assert "01, 69" in html
    assert "Aperçu" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "a_relire"}, {"Alliance lyonnaise"}),
        ({"region": "84"}, {"Alliance lyonnaise"}),
        ({"region": "93"}, {"Alliance marseillaise"}),
        ({"is_national__exact": "1"}, {"Alliance nationale"}),
    ],
)
def test_filters(client, moderator, params, expected):
    make_example(
        "Alliance lyonnaise",
        status=ExampleStatus.A_RELIRE,
        departements=("69", "01"),
        categories=("mecenat",),
    )
    make_example(
        "Alliance marseillaise", departements=("13",), categories=("innovation-societale",)
    )
    make_example("Alliance nationale", departements=(), is_national=True, categories=())
    client.force_login(moderator)
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    created = {"Alliance lyonnaise", "Alliance marseillaise", "Alliance nationale"}
    assert listed_titles(response) & created == expected


def test_category_departement_function_and_theme_filters(client, moderator):
    theme = Theme.objects.create(slug="insertion", name="Insertion")
    example = make_example(
        "Alliance drômoise",
        departements=("26",),
        categories=("mecenat",),
        functions=("accompagnements",),
    )
    example.themes.add(theme)
    make_example("Alliance ardéchoise", departements=("07",), categories=("innovation-societale",))
    client.force_login(moderator)
    for params in (
        {"categories__id__exact": example.categories.get().pk},
        {"departements__id__exact": example.departements.get().pk},
        {"functions__id__exact": example.functions.get().pk},
        {"themes__id__exact": theme.pk},
    ):
        response = client.get(CHANGELIST, params)
        titles = listed_titles(response)
        assert "Alliance drômoise" in titles
        assert "Alliance ardéchoise" not in titles


def test_region_filter_lists_the_regions_in_french_order(client, moderator):
    client.force_login(moderator)
    response = client.get(CHANGELIST)
    assert "<summary>Région</summary>" in response.content.decode()
    region_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.title == "région"
    )
    names = [name for _, name in region_filter.lookup_choices]
    assert names[0] == "Auvergne-Rhône-Alpes"
    assert names == sorted(names, key=french_sort_key)
    assert names.index("Île-de-France") < names.index("La Réunion")


@pytest.mark.parametrize(
    ("changelist", "model"),
    [
        ("admin:examples_partner_changelist", Partner),
        ("admin:examples_theme_changelist", Theme),
        ("admin:territories_region_changelist", None),
    ],
)
def test_named_rows_are_listed_in_french_order(client, moderator, changelist, model):
    """Case and accents aside: in the database's C collation « École » would follow « Zinc »."""
    client.force_login(moderator)
    query = {}
    if model is not None:
        names = [f"{name} (essai)" for name in ["Abeilles", "École", "l’Œuvre", "zèbres", "Zinc"]]
        for number, name in enumerate(reversed(names)):
            model.objects.create(name=name, slug=f"rangement-{number}")
        query = {"q": "(essai)"}
    listed = [str(row) for row in client.get(reverse(changelist), query).context["cl"].result_list]
    if model is not None:
        assert listed == names
    keys = [french_sort_key(name) for name in listed]
    assert len(keys) > 1 and keys == sorted(keys)


@pytest.mark.parametrize(
    "query", ["tisserands", "Fondation des tisserands", "métier à tisser", "Textile"]
)
def test_search_on_title_partners_and_description(client, moderator, query):
    example = make_example(
        "Les tisserands de Roubaix",
        description="Un atelier où l’on apprend le métier à tisser.",
        proposed_partners="Textile solidaire",
        departements=("59",),
    )
    example.partners.add(Partner.objects.create(name="Fondation des tisserands", slug="fdt"))
    make_example("Une autre alliance", departements=("59",))
    client.force_login(moderator)
    titles = listed_titles(client.get(CHANGELIST, {"q": query}))
    # Real alliances may match too ("Textile" is in some of their descriptions): only the two
    # examples made here tell whether the search looked in the right field.
    assert titles & {"Les tisserands de Roubaix", "Une autre alliance"} == {
        "Les tisserands de Roubaix"
    }


@pytest.mark.parametrize(
    ("model_admin", "field", "term", "expected"),
    [
        ("examples.example", "departements", "Rhô", "Rhône (69)"),
        ("examples.example", "territory", "Paris", "Paris Est Marne & Bois"),
        ("examples.example", "themes", "édu", "Éducation"),
        ("examples.example", "partners", "Fond", "Fondation des tisserands"),
    ],
)
def test_autocomplete_fields_answer_editors(client, editor, model_admin, field, term, expected):
    Partner.objects.create(name="Fondation des tisserands", slug="fdt")
    client.force_login(editor)
    app_label, model_name = model_admin.split(".")
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field},
    )
    assert response.status_code == 200
    assert expected in [result["text"] for result in response.json()["results"]]


@pytest.mark.parametrize("url", [CHANGELIST, QUEUE])
def test_list_query_count_does_not_grow_with_rows(
    client, moderator, django_assert_max_num_queries, url
):
    client.force_login(moderator)

    def add_examples(count: int, start: int) -> None:
        for number in range(start, start + count):
            make_example(
                f"Exemple de charge {number}",
                status=ExampleStatus.PROPOSE,
                departements=("69", "01"),
                categories=("mecenat",),
                functions=("accompagnements",),
            )

    add_examples(3, 0)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    add_examples(15, 3)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert len(response.context["cl"].result_list) >= 18
    assert Example.objects.count() >= 18
