"""Which content table each version came from (examples/directory_version.py): a rebuild of the
directory index then re-reads only what the tables changed since the previous one hold
(examples/directory_build.py)."""

from django.db import migrations

from examples.directory_version import FUNCTION, SEQUENCE, TABLE

FORWARD = f"""
ALTER TABLE {TABLE} ADD COLUMN table_versions jsonb NOT NULL DEFAULT '{{}}'::jsonb;
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_version bigint := nextval('{SEQUENCE}');
BEGIN
    -- An upsert: the row comes back if it was ever deleted.
    INSERT INTO {TABLE} (id, version, table_versions)
    VALUES (1, next_version, jsonb_build_object(TG_TABLE_NAME, next_version))
    ON CONFLICT (id) DO UPDATE SET
        version = EXCLUDED.version,
        table_versions = {TABLE}.table_versions || EXCLUDED.table_versions;
    RETURN NULL;
END;
$$;
"""

BACKWARD = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (id, version) VALUES (1, nextval('{SEQUENCE}'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$;
ALTER TABLE {TABLE} DROP COLUMN table_versions;
"""


class Migration(migrations.Migration):
    dependencies = [("examples", "0012_category_colour")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
