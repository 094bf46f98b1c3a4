"""The directory's version (examples/directory_version.py): a one-row table, the sequence that
numbers it, and a statement-level trigger on every table public pages read."""

from django.db import migrations

from examples.directory_version import (
    FUNCTION,
    SEQUENCE,
    TABLE,
    TRIGGER,
    content_tables,
    trigger_sql,
)

CREATE = f"""
CREATE SEQUENCE {SEQUENCE};
CREATE TABLE {TABLE} (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
ALTER SEQUENCE {SEQUENCE} OWNED BY {TABLE}.version;
INSERT INTO {TABLE} (id, version) VALUES (1, nextval('{SEQUENCE}'));
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- An upsert: the row comes back if it was ever deleted.
    INSERT INTO {TABLE} (id, version) VALUES (1, nextval('{SEQUENCE}'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$;
"""

DROP = f"""
DROP FUNCTION {FUNCTION}() CASCADE;
DROP TABLE {TABLE};
"""


def install_triggers(apps, schema_editor):
    for table in content_tables(apps):
        schema_editor.execute(trigger_sql(table, schema_editor.quote_name))


def remove_triggers(apps, schema_editor):
    for table in content_tables(apps):
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {schema_editor.quote_name(table)}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("examples", "0007_category_forms_example_place_note"),
        ("territories", "0002_territory_editorial_content"),
    ]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
