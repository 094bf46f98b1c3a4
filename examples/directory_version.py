"""The directory's version: a number PostgreSQL changes whenever anything public pages read is
written, whoever writes it.

A one-row table holds it. A statement-level trigger (AFTER INSERT OR UPDATE OR DELETE OR
TRUNCATE, FOR EACH STATEMENT) on every table of the examples and territories apps sets it to the
next value of a sequence, once per statement whatever the number of rows: the admin, a shell, an
import, QuerySet.update(), bulk_create(), COPY or raw SQL all change it, with no signal to send
and nothing to forget. Reading it is one indexed read of one row, so every process of every app
server, with or without Redis, sees a change as soon as it is committed:

- the row is written in the writer's transaction, so other connections see the new version only
  once the change is committed (never a new version with the old content), while the writing
  transaction sees it at once (a test's, which never commits, included);
- the value comes from a sequence, which a rollback does not rewind: a version some process saw
  inside a transaction that was then rolled back is never given to other content.

The page cache keys stored pages by it (config/page_cache.py) and each process's directory index
follows it (examples/directory_refresh.py). With that refresh in the background, a thread of
each process reads it every DIRECTORY_INDEX_POLL_SECONDS and requests use what it read
(`latest()`): a page served from the cache then costs no query at all, and a write still reaches
every process within the poll interval.

Writers of these tables queue on the version's row until they commit: edits are rare and short,
but a long import holds the others' saves until it ends.

The row also maps each content table to the version its last write gave (`table_versions`): a
rebuild of the directory index re-reads only the tables written since the previous one
(examples/directory_build.py).

The migration that created the table installed the trigger on the tables of its time;
`install_missing_triggers`, run after every `migrate`, adds it to any table of these apps created
since (history tables aside: public pages never read them).
"""

import time

from django.conf import settings
from django.db import connection

CONTENT_APPS = ("examples", "territories")
TABLE = "examples_directory_version"
SEQUENCE = "examples_directory_version_seq"
FUNCTION = "examples_bump_directory_version"
TRIGGER = "directory_version_bump"
READ_SQL = f"SELECT version FROM {TABLE} WHERE id = 1"


def read() -> int:
    """The current version, as this connection's transaction sees it: one indexed read."""
    with connection.cursor() as cursor:
        cursor.execute(READ_SQL)
        row = cursor.fetchone()
    # No row only if someone deleted it: the next write puts it back (the trigger upserts).
    return row[0] if row else 0


# The version this process's refresh thread last read (examples/directory_refresh.py), and when.
_followed: tuple[int, float] | None = None


def follow(version: int) -> None:
    """Record the version just read by this process's refresh thread."""
    global _followed
    _followed = (version, time.monotonic())


def latest() -> int:
    """The version as this process knows it. With the refresh thread on, what it last read: at
    most DIRECTORY_INDEX_POLL_SECONDS old, and no query per request. If the thread has not read
    it lately (not started yet, or stuck on an unreachable database), read it now."""
    followed = _followed
    if settings.DIRECTORY_INDEX_IN_BACKGROUND and followed is not None:
        version, read_at = followed
        if time.monotonic() - read_at < 4 * settings.DIRECTORY_INDEX_POLL_SECONDS:
            return version
    return read()


def content_tables(apps) -> list[str]:
    """The tables public pages read: every table of the content apps' models (many-to-many
    tables included), their history tables aside. `apps` may be a migration's."""
    tables = set()
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or meta.db_table.startswith(f"{label}_historical"):
                continue
            tables.add(meta.db_table)
    return sorted(tables)


def trigger_sql(table: str, quote_name) -> str:
    return (
        f"CREATE OR REPLACE TRIGGER {TRIGGER} "
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote_name(table)} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def tables_with_trigger(cursor) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = %s AND c.relnamespace = 'public'::regnamespace",
        [TRIGGER],
    )
    return {name for (name,) in cursor.fetchall()}


def install_missing_triggers(sender=None, using="default", apps=None, **kwargs) -> None:
    """post_migrate receiver: put the trigger on each content table that lacks it (nothing to
    do, and no lock taken, when all have it)."""
    from django.apps import apps as global_apps
    from django.db import connections

    db = connections[using]
    with db.cursor() as cursor:
        cursor.execute("SELECT to_regproc(%s) IS NOT NULL", [FUNCTION])
        if not cursor.fetchone()[0]:  # migrated back before the version existed
            return
        existing = set(db.introspection.table_names(cursor)) - tables_with_trigger(cursor)
        missing = [table for table in content_tables(apps or global_apps) if table in existing]
        for table in missing:
            cursor.execute(trigger_sql(table, db.ops.quote_name))
