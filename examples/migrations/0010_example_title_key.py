import django.db.models.functions.text
from django.db import migrations, models

import examples.models


class Migration(migrations.Migration):
    """The directory's title order as a stored column, with the index that reads it in that
    order. Kept inside the row, uncompressed (STORAGE PLAIN): with the table's small
    toast_tuple_target (migration 0005) it would otherwise go to the TOAST table, and every
    comparison of a sort fetch it from there. One ALTER TABLE, for one rewrite."""

    dependencies = [
        ("examples", "0009_search_words"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="example",
            name="example_published_title",
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=(
                        'ALTER TABLE "examples_example" ADD COLUMN "title_key" text '
                        'GENERATED ALWAYS AS (immutable_unaccent(lower("title"))) STORED, '
                        'ALTER COLUMN "title_key" SET STORAGE PLAIN'
                    ),
                    reverse_sql='ALTER TABLE "examples_example" DROP COLUMN "title_key"',
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="example",
                    name="title_key",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=examples.models.ImmutableUnaccent(
                            django.db.models.functions.text.Lower("title")
                        ),
                        output_field=models.TextField(),
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="example",
            index=models.Index(
                condition=models.Q(("status", "publie")),
                fields=["title_key", "id"],
                name="example_published_title",
            ),
        ),
    ]
