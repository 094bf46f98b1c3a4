"""The directory's version (examples/directory_version.py): PostgreSQL changes it on every write
to what public pages read, whoever writes, and other connections see it only once committed."""

import psycopg
import pytest
from django.apps import apps
from django.db import connection, transaction

from examples import directory_version
from examples.models import Category, Example, Theme
from territories.models import Departement

pytestmark = pytest.mark.django_db


def version() -> int:
    return directory_version.read()


def test_every_table_public_pages_read_has_the_trigger():
    tables = directory_version.content_tables(apps)
    for expected in (
        "examples_example",
        "examples_example_partners",
        "examples_example_categories",
        "examples_example_functions",
        "examples_example_themes",
        "examples_example_departements",
        "examples_partner",
        "examples_category",
        "examples_theme",
        "examples_era",
        "examples_keyfigure",
        "examples_resource",
        "examples_examplesource",
        "examples_examplefigure",
        "territories_region",
        "territories_departement",
        "territories_territory",
        "territories_territory_departements",
        "territories_function",
        "territories_activity",
    ):
        assert expected in tables
    assert not [table for table in tables if "historical" in table]
    with connection.cursor() as cursor:
        assert set(tables) <= directory_version.tables_with_trigger(cursor)


def test_a_table_without_the_trigger_gets_it_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {directory_version.TRIGGER} ON examples_theme")
        assert "examples_theme" not in directory_version.tables_with_trigger(cursor)
        directory_version.install_missing_triggers(using="default")
        assert "examples_theme" in directory_version.tables_with_trigger(cursor)


@pytest.mark.parametrize(
    "write",
    [
        lambda: Theme.objects.create(name="Sport", slug="sport"),
        lambda: Category.objects.first().save(),
        lambda: Example.objects.filter(status="publie").update(place_note=""),
        lambda: Departement.objects.filter(code="69").update(name="Rhône"),
        # No row deleted: the statement still counts.
        lambda: connection.cursor().execute("DELETE FROM territories_region WHERE code = 'zz'"),
        lambda: Example.themes.through.objects.all().delete(),
        lambda: connection.cursor().execute("UPDATE examples_partner SET name = name"),
        lambda: connection.cursor().execute("TRUNCATE examples_keyfigure"),
    ],
    ids=[
        "create",
        "save",
        "update",
        "update-territory",
        "delete-none",
        "delete-m2m",
        "sql",
        "truncate",
    ],
)
def test_any_write_changes_the_version_at_once_in_its_transaction(write):
    before = version()
    write()
    assert version() > before


def test_other_connections_see_the_new_version_only_once_committed():
    """What the test's transaction wrote is invisible to another connection, the version
    included: no other process can store the old content under the new version."""
    settings = connection.settings_dict
    before = version()
    Category.objects.update(name="Catégorie")
    assert version() > before
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    ) as other:
        (seen,) = other.execute(directory_version.READ_SQL).fetchone()
    assert seen == before


def test_a_version_rolled_back_is_never_given_again():
    before = version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Theme.objects.create(name="Sport", slug="sport")
        rolled_back = version()
        raise RuntimeError
    assert version() == before
    Theme.objects.create(name="Culture", slug="culture-2")
    assert version() not in {before, rolled_back}
