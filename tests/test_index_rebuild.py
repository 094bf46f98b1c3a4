"""A rebuild of the directory index after an edit reads only what the edit changed
(examples/directory_build.py) and gives the same index as a build from scratch."""

from datetime import timedelta

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from examples import directory_version
from examples.directory_index import DirectoryIndex
from examples.facets import Facet
from examples.models import Category, Example, ExampleStatus
from examples.partner_kinds import PartnerKind

from .example_builders import make_example, make_partner

pytestmark = pytest.mark.django_db

EXAMPLES_TABLE = ("ids", Facet.TERRITOIRE)


@pytest.fixture
def directory():
    association = make_partner("Association des jardins", kind=PartnerKind.ASSOCIATION)
    make_example(
        "Jardins partagés de Lyon",
        categories=("mecenat",),
        functions=("accompagnements",),
        departements=("69",),
        partners=(association,),
        published_at=timezone.now() - timedelta(days=3),
    )
    make_example(
        "Repair café de Vienne",
        categories=("cooperation-economique",),
        departements=("38",),
        territory="paris-est-marne-et-bois",
    )
    make_example(
        "Brouillon en attente",
        status=ExampleStatus.BROUILLON,
        categories=("innovation-societale",),
        functions=("gestion-d-un-lieu",),
        themes=("numerique",),
        departements=("94",),
        partners=(make_partner("Entreprise du Val", kind=PartnerKind.ENTREPRISE),),
    )
    return DirectoryIndex.build(generation=1)


def assert_same(rebuilt: DirectoryIndex, scratch: DirectoryIndex) -> None:
    assert rebuilt.ids.tolist() == scratch.ids.tolist()
    assert rebuilt.recency.tolist() == scratch.recency.tolist()
    assert np.array_equal(rebuilt.published_at, scratch.published_at, equal_nan=True)
    for facet, members in scratch.facets.items():
        mine = rebuilt.facets[facet]
        assert mine.values == members.values, facet
        assert mine.starts.tolist() == members.starts.tolist(), facet
        assert mine.positions.tolist() == members.positions.tolist(), facet


def rebuilt_after(previous: DirectoryIndex) -> DirectoryIndex:
    rebuilt = DirectoryIndex.build(generation=2, previous=previous)
    assert_same(rebuilt, DirectoryIndex.build(generation=2))
    return rebuilt


def held(index: DirectoryIndex, facet: Facet, key: str) -> int:
    value = index.value(facet, key)
    assert value is not None
    return len(index.facets[facet].members_of(value.pk))


def test_a_write_records_its_table_version():
    before = directory_version.read()
    Category.objects.filter(slug="nothing").update(name="still nothing")
    versions = DirectoryIndex.build(generation=None).table_versions
    assert versions[Category._meta.db_table] == directory_version.read() > before
    assert versions.get(Example._meta.db_table, 0) < before


def test_a_title_edit_reads_the_examples_table_only(directory):
    Example.objects.filter(title="Repair café de Vienne").update(title="Atelier de réparation")
    with CaptureQueriesContext(connection) as queries:
        rebuilt = DirectoryIndex.build(generation=2, previous=directory)
    assert_same(rebuilt, DirectoryIndex.build(generation=2))
    assert rebuilt.read == EXAMPLES_TABLE
    # The versions with the parts they say changed, then the facet values.
    assert len(queries) == 2
    # In its new place in the title order, among the first.
    assert Example.objects.get(title="Atelier de réparation").pk in rebuilt.ids.tolist()[:5]


def test_a_new_link_reads_its_link_table_only(directory):
    example = Example.objects.get(title="Repair café de Vienne")
    example.categories.add(Category.objects.get(slug="mecenat"))
    rebuilt = rebuilt_after(directory)
    # The example's search text names its categories: its row is written too.
    assert set(rebuilt.read) == {*EXAMPLES_TABLE, Facet.CATEGORIE}
    assert (
        held(rebuilt, Facet.CATEGORIE, "mecenat") == held(directory, Facet.CATEGORIE, "mecenat") + 1
    )


def test_a_published_draft_brings_its_links_without_rereading_them(directory):
    Example.objects.filter(title="Brouillon en attente").update(status=ExampleStatus.PUBLIE)
    rebuilt = rebuilt_after(directory)
    assert rebuilt.read == EXAMPLES_TABLE
    assert rebuilt.size == directory.size + 1
    for facet, key in [
        (Facet.CATEGORIE, "innovation-societale"),
        (Facet.FONCTION, "gestion-d-un-lieu"),
        (Facet.THEME, "numerique"),
        (Facet.DEPARTEMENT, "94"),
        (Facet.REGION, "11"),
        (Facet.TYPE_PARTENAIRE, PartnerKind.ENTREPRISE),
    ]:
        assert held(rebuilt, facet, key) == held(directory, facet, key) + 1, facet


def test_an_unpublished_or_deleted_example_leaves_every_facet(directory):
    Example.objects.filter(title="Jardins partagés de Lyon").update(status=ExampleStatus.BROUILLON)
    unpublished = rebuilt_after(directory)
    assert unpublished.size == directory.size - 1
    assert held(unpublished, Facet.TYPE_PARTENAIRE, PartnerKind.ASSOCIATION) == (
        held(directory, Facet.TYPE_PARTENAIRE, PartnerKind.ASSOCIATION) - 1
    )
    Example.objects.filter(title="Repair café de Vienne").delete()
    assert rebuilt_after(unpublished).size == directory.size - 2


def test_a_partner_kind_change_reads_the_partner_pairs(directory):
    make_partner("Fondation des jardins", kind=PartnerKind.FONDATION)
    rebuilt = rebuilt_after(directory)
    assert rebuilt.read == (Facet.TYPE_PARTENAIRE,)


def test_a_renamed_value_is_read_without_any_pair(directory):
    Category.objects.filter(slug="mecenat").update(name="Mécénat d’entreprise")
    rebuilt = rebuilt_after(directory)
    assert rebuilt.read == ()
    assert rebuilt.value(Facet.CATEGORIE, "mecenat").name == "Mécénat d’entreprise"
