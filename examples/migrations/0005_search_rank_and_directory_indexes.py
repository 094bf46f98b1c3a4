import django.contrib.postgres.search
import django.db.models.functions.text
import examples.models
from django.db import migrations, models

RANK_VECTOR = (
    "(setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(\"title\", '')), 'A') || "
    "setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(\"summary\", '')), 'B'))"
)

# The many-to-many tables are read from the value's side too (every example of a département,
# for the filters): (value, example) lets those reads stay inside the index.
THROUGH_INDEXES = [
    ("examples_example_categories", "category_id"),
    ("examples_example_functions", "function_id"),
    ("examples_example_themes", "theme_id"),
    ("examples_example_departements", "departement_id"),
    ("examples_example_partners", "partner_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('examples', '0004_generated_marker'),
        ('territories', '0001_initial'),
    ]

    operations = [
        # One ALTER TABLE, so that the single rewrite it causes already stores every row the new
        # way: long texts and the full search vector out of the row (toast_tuple_target), the
        # small ranking vector inside it, uncompressed (STORAGE PLAIN). Searching and listing then
        # read a narrow table that fits in memory. PostgreSQL 15 cannot give a new column its
        # storage in ADD COLUMN itself, hence the raw SQL.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=(
                        'ALTER TABLE "examples_example" '
                        f'ADD COLUMN "rank_vector" tsvector GENERATED ALWAYS AS ({RANK_VECTOR}) STORED, '
                        'ALTER COLUMN "rank_vector" SET STORAGE PLAIN, '
                        'ALTER COLUMN "title" SET STORAGE MAIN, '
                        'ALTER COLUMN "slug" SET STORAGE MAIN, '
                        'SET (toast_tuple_target = 256)'
                    ),
                    reverse_sql=(
                        'ALTER TABLE "examples_example" DROP COLUMN "rank_vector", '
                        'ALTER COLUMN "title" SET STORAGE EXTENDED, '
                        'ALTER COLUMN "slug" SET STORAGE EXTENDED, '
                        'RESET (toast_tuple_target)'
                    ),
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name='example',
                    name='rank_vector',
                    field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector('title', config='french_unaccent', weight='A'), '||', django.contrib.postgres.search.SearchVector('summary', config='french_unaccent', weight='B'), django.contrib.postgres.search.SearchConfig('french_unaccent')), output_field=django.contrib.postgres.search.SearchVectorField()),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='example',
            index=models.Index(examples.models.ImmutableUnaccent(django.db.models.functions.text.Lower('title')), models.F('id'), condition=models.Q(('status', 'publie')), name='example_published_title'),
        ),
        migrations.RunSQL(
            sql=[
                f'CREATE INDEX "{table}_by_value" ON "{table}" ("{column}", "example_id")'
                for table, column in THROUGH_INDEXES
            ],
            reverse_sql=[f'DROP INDEX "{table}_by_value"' for table, _ in THROUGH_INDEXES],
        ),
    ]
