import django.db.models.deletion
from django.db import migrations, models

# (marked table, record table, record column): the rows that examples' is_generated marked
# until examples.0011 removed it.
MARKS = [
    ("examples_example", "bench_generatedexample", "example_id"),
    ("examples_partner", "bench_generatedpartner", "partner_id"),
]


def still_marked(schema_editor, table: str) -> bool:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, table)
    return any(column.name == "is_generated" for column in columns)


def copy_marks(apps, schema_editor):
    """A database that holds generated rows keeps them known as generated. Where
    examples.0011 already ran (the bench app installed later), the marks are gone: nothing to
    copy, and nothing to fail on."""
    quote = schema_editor.quote_name
    for table, records, column in MARKS:
        if still_marked(schema_editor, table):
            schema_editor.execute(
                f"INSERT INTO {quote(records)} ({quote(column)}) "
                f"SELECT id FROM {quote(table)} WHERE is_generated"
            )


def restore_marks(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, records, column in MARKS:
        if still_marked(schema_editor, table):
            schema_editor.execute(
                f"UPDATE {quote(table)} SET is_generated = true "
                f"WHERE id IN (SELECT {quote(column)} FROM {quote(records)})"
            )


class Migration(migrations.Migration):
    """Depends on examples.0010, not 0011: migrated together, this one runs first and copies the
    marks before examples.0011 drops them. No run_before: it would make a database migrated
    without the bench app inconsistent the day the app is installed."""

    initial = True

    dependencies = [
        ("examples", "0010_example_title_key"),
    ]

    operations = [
        migrations.CreateModel(
            name="GeneratedExample",
            fields=[
                (
                    "example",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="examples.example",
                    ),
                ),
            ],
            options={
                "verbose_name": "exemple généré",
                "verbose_name_plural": "exemples générés",
            },
        ),
        migrations.CreateModel(
            name="GeneratedPartner",
            fields=[
                (
                    "partner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="examples.partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "partenaire généré",
                "verbose_name_plural": "partenaires générés",
            },
        ),
        migrations.RunPython(copy_marks, restore_marks),
    ]
