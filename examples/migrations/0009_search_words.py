"""The words of the published examples, for the search's typo correction
(examples/search_words.py): the table, its trigram index, the triggers that keep it current,
and its first filling."""

import django.contrib.postgres.indexes
from django.db import migrations, models

from examples.search_words import CREATE_TRIGGERS, DROP_TRIGGERS, rebuild_search_words


def fill(apps, schema_editor):
    rebuild_search_words(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("examples", "0008_directory_version_triggers")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    models.TextField(
                        primary_key=True, serialize=False, verbose_name="mot sans accents"
                    ),
                ),
                ("spelling", models.TextField(verbose_name="graphie")),
                ("stem", models.TextField(blank=True, verbose_name="racine")),
            ],
            options={
                "verbose_name": "mot de la recherche",
                "verbose_name_plural": "mots de la recherche",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass(
                            models.F("word"), name="gin_trgm_ops"
                        ),
                        name="searchword_word_trgm",
                    ),
                    models.Index(fields=["stem"], name="searchword_stem"),
                ],
            },
        ),
        migrations.RunSQL(CREATE_TRIGGERS, DROP_TRIGGERS),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
