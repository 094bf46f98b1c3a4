"""Renaming a related row refreshes the search text of its examples (examples/signals.py): the
new name finds the example, the old one no longer does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from examples.models import Category, Example, Partner, Theme
from examples.signals import refresh_search_documents
from territories.models import Departement, Function, Region, Territory

from .example_builders import make_example

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    return set(Example.objects.published().search(text).values_list("slug", flat=True))


@pytest.fixture
def example():
    made = make_example(
        "Une alliance pour les jardins partagés",
        categories=("mecenat",),
        functions=("accompagnements",),
        themes=("education",),
        departements=("29",),
        territory="paris-est-marne-et-bois",
    )
    partner = Partner.objects.create(name="Fondation Quillebeuf", slug="fondation-quillebeuf")
    made.partners.add(partner)
    return made


RENAMES = {
    "partner": (
        lambda: Partner.objects.get(slug="fondation-quillebeuf"),
        "Quillebeuf",
        "Zorbaliac",
    ),
    "theme": (lambda: Theme.objects.get(slug="education"), "Éducation", "Pédagogiquerie"),
    "category": (lambda: Category.objects.get(slug="mecenat"), "Mécénat", "Bienfaisancerie"),
    "function": (
        lambda: Function.objects.get(slug="accompagnements"),
        "Accompagnements",
        "Épaulementerie",
    ),
    "territory": (
        lambda: Territory.objects.get(slug="paris-est-marne-et-bois"),
        "Marne",
        "Vallée de la Zorbe",
    ),
    "departement": (lambda: Departement.objects.get(code="29"), "Finistère", "Penn-ar-Bed"),
    "region": (lambda: Region.objects.get(code="53"), "Bretagne", "Armorique"),
}


@pytest.mark.parametrize("kind", RENAMES)
def test_a_renamed_relation_finds_its_examples_by_the_new_name_only(example, kind):
    get_row, old_word, new_name = RENAMES[kind]
    row = get_row()
    assert old_word in row.name
    assert example.slug in found(old_word)
    assert example.slug not in found(new_name)
    row.name = new_name
    row.save()
    assert example.slug in found(new_name)
    assert example.slug not in found(old_word)


def test_a_rename_is_one_update_of_all_the_examples(example):
    theme = Theme.objects.get(slug="education")
    others = [make_example(f"Exemple {number}", themes=("education",)) for number in range(3)]
    theme.name = "Pédagogiquerie"
    with CaptureQueriesContext(connection) as queries:
        theme.save()
    updates = [query for query in queries if query["sql"].startswith('UPDATE "examples_example"')]
    assert len(updates) == 1
    for made in [example, *others]:
        assert made.slug in found("Pédagogiquerie")


def test_saving_without_renaming_rewrites_no_example(example):
    theme = Theme.objects.get(slug="education")
    theme.slug = "education-et-formation"
    with CaptureQueriesContext(connection) as queries:
        theme.save()
    assert not [q for q in queries if q["sql"].startswith('UPDATE "examples_example"')]


def test_the_database_composes_the_same_document_as_python():
    examples = Example.objects.all()
    expected = {example.pk: example.build_search_document() for example in examples}
    Example.objects.update(search_document="")
    refresh_search_documents(Example.objects.all())
    stored = dict(Example.objects.values_list("pk", "search_document"))
    assert stored == expected
    assert any(expected.values())
