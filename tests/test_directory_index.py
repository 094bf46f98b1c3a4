"""The in-memory index of the published examples (examples/directory_index.py): its counts and
orders agree with the database, and a process rebuilds it when the directory changes."""

import itertools
from datetime import timedelta

import numpy as np
import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from examples.directory_build import PAIR, Content, ValueRow
from examples.directory_index import DirectoryIndex
from examples.facets import PAGE_RELATIONS, Facet
from examples.models import Category, Example, ExampleStatus
from examples.querysets import SortOrder
from territories.models import Departement, Function, Region

from .example_builders import make_example, make_many_examples

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")


@pytest.fixture
def more_examples():
    make_example(
        "Alliance lyonnaise",
        categories=("mecenat", "innovation-societale"),
        functions=("accompagnements",),
        departements=("69", "38"),
    )
    make_example("Brouillon caché", categories=("mecenat",), status=ExampleStatus.BROUILLON)
    make_many_examples(5, categories=("mecenat",), departements=("94",))


@pytest.mark.usefixtures("more_examples")
@pytest.mark.parametrize(
    ("facet", "model", "path"),
    [
        (Facet.CATEGORIE, Category, "examples"),
        (Facet.FONCTION, Function, "examples"),
        (Facet.DEPARTEMENT, Departement, "examples"),
        (Facet.REGION, Region, "departements__examples"),
    ],
)
def test_counts_agree_with_the_database(facet, model, path):
    index = DirectoryIndex.build(generation=1)
    expected = dict(
        model.objects.annotate(
            n=Count(path, filter=Q(**{f"{path}__status": ExampleStatus.PUBLIE}), distinct=True)
        ).values_list("pk", "n")
    )
    counted = {value.pk: count for value, count in index.counts(facet, index.everything())}
    assert counted == expected
    assert index.size == Example.objects.published().count()


@pytest.mark.usefixtures("more_examples")
def test_a_filtered_result_agrees_with_the_queryset_filters():
    index = DirectoryIndex.build(generation=1)
    mecenat = Category.objects.get(slug="mecenat")
    rhone_isere = Departement.objects.filter(code__in=["69", "38", "94"])
    mask = index.having(Facet.CATEGORIE, [mecenat]) & index.having(Facet.DEPARTEMENT, rhone_isere)
    from_index = index.ids[index.ordered(mask, SortOrder.TITRE)].tolist()
    from_database = list(
        Example.objects.published()
        .in_categories([mecenat])
        .in_departements(rhone_isere)
        .sorted_by(SortOrder.TITRE)
        .values_list("pk", flat=True)
    )
    assert from_index == from_database
    # The fixture's Alliance lyonnaise and five in the Val-de-Marne, and the directory's own
    # mécénat in the Rhône or the Isère: Ronalpia and Le Petit Magasin.
    assert len(from_index) == 8
    ronalpia = Example.objects.get(title="Ronalpia").pk
    assert ronalpia in from_index


def test_date_order_agrees_with_the_database():
    now = timezone.now()
    for days, title in [(3, "Trois jours"), (1, "Hier"), (1, "Aussi hier"), (9, "Neuf jours")]:
        make_example(title, published_at=now - timedelta(days=days))
    index = DirectoryIndex.build(generation=1)
    from_index = index.ids[index.ordered(index.everything(), SortOrder.RECENT)].tolist()
    from_database = list(
        Example.objects.published().sorted_by(SortOrder.RECENT).values_list("pk", flat=True)
    )
    assert from_index == from_database


def test_every_page_of_the_list_follows_the_title_order(client):
    make_many_examples(30)
    expected = list(
        Example.objects.published().sorted_by(SortOrder.TITRE).values_list("title", flat=True)
    )
    first = client.get(LIST_URL, {"page": 1}).context["page"]
    assert first.paginator.num_pages > 3
    pages = [[example.title for example in first]] + [
        [example.title for example in client.get(LIST_URL, {"page": number}).context["page"]]
        for number in range(2, first.paginator.num_pages + 1)
    ]
    assert list(itertools.chain(*pages)) == expected


@pytest.mark.usefixtures("kept_index")
def test_a_kept_index_is_rebuilt_when_the_generation_changes(client):
    first = DirectoryIndex.current()
    assert DirectoryIndex.current() is first
    make_example("Nouvel exemple publié", categories=("mecenat",))
    # The tables' triggers changed the version, in the test's transaction.
    second = DirectoryIndex.current()
    assert second is not first
    assert second.size == first.size + 1


@pytest.mark.usefixtures("kept_index")
def test_an_example_unpublished_since_the_index_was_built_is_never_shown(client):
    DirectoryIndex.current()
    Example.objects.filter(title="Ronalpia").update(status=ExampleStatus.ARCHIVE)
    response = client.get(LIST_URL, {"departement": "69"})
    titles = [example.title for example in response.context["page"].object_list]
    assert "Ronalpia" not in titles
    assert titles == [
        "Ateliers de l’Entrepreneuriat Humaniste",
        "Cent Sept",
        "PIMMS Médiation Lyon Métropole",
    ]


def index_of(runs: list[list[int]], size: int = 4) -> DirectoryIndex:
    """An index of `size` examples (ids 1 to size, in title order) and one facet, "theme",
    whose value number n is held by the examples at the positions runs[n]."""
    values = [
        ValueRow(Facet.THEME, pk, f"valeur-{pk}", f"Valeur {pk}", 0, None, None, None)
        for pk in range(1, len(runs) + 1)
    ]
    pairs = np.array(
        [(position + 1, pk) for pk, run in enumerate(runs, start=1) for position in run],
        dtype=PAIR,
    )
    content = Content(np.arange(1, size + 1), np.full(size, np.nan), values, {Facet.THEME: pairs})
    return DirectoryIndex(content, generation=1)


@pytest.mark.parametrize(
    "runs",
    [
        [[], [0, 2], [], [1, 2, 3], []],
        [[3], [], []],
        [[], []],
        [[0, 1, 2, 3]],
        [],
    ],
)
def test_counts_of_values_held_by_no_example_are_zero(runs):
    index = index_of(runs)
    for mask in ([True, True, True, True], [False, True, False, True], [False] * 4):
        counted = [count for _, count in index.counts(Facet.THEME, np.array(mask))]
        assert counted == [sum(mask[position] for position in run) for run in runs]


def test_values_are_named_in_the_facet_order_and_unknown_ones_said_so():
    members = index_of([[2, 0], [], [0, 3], [0]]).facets[Facet.THEME]
    values = members.values
    assert members.named([3, 1, 4]) == [values[0], values[2], values[3]]
    assert members.named([]) == []
    assert members.named([1, 99]) is None  # a value added since the index was built


def test_members_repeated_in_the_pairs_count_once():
    index = index_of([[1, 1, 2]])
    assert index.counts(Facet.THEME, index.everything())[0][1] == 2


def test_related_examples_are_the_closest_first_then_the_most_recent():
    now = timezone.now()
    make_example("Ancien lozérien", departements=("48",), published_at=now - timedelta(days=30))
    make_example("Récent lozérien", departements=("48",), published_at=now - timedelta(days=1))
    make_example(
        "Lozérien qui accompagne",
        departements=("48",),
        functions=("accompagnements",),
        published_at=now - timedelta(days=60),
    )
    make_example("Sans rapport", departements=("2A",), published_at=now)
    alone = make_example("Sujet lozérien", departements=("48",))
    accompanying = make_example(
        "Sujet qui accompagne", departements=("48",), functions=("accompagnements",)
    )
    index = DirectoryIndex.build(generation=1)

    def related(example: Example) -> list[str]:
        example = Example.objects.with_relation_ids(*PAGE_RELATIONS).get(pk=example.pk)
        return [found.title for found in index.related(example, index.relations_of(example), 6)]

    # Nothing else shares the Lozère: examples sharing nothing are never offered.
    assert related(alone) == [
        "Sujet qui accompagne",
        "Récent lozérien",
        "Ancien lozérien",
        "Lozérien qui accompagne",
    ]
    assert related(accompanying)[:4] == [
        "Lozérien qui accompagne",
        "Sujet lozérien",
        "Récent lozérien",
        "Ancien lozérien",
    ]
