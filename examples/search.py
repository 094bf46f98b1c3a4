"""The search plumbing the QuerySet methods of examples/querysets.py build on: the text search
configuration, the cleaning of what a visitor typed, the SQL expressions that make PostgreSQL
compute a tsquery once per query, and the names of an example's relations that its search vector
indexes with its own text."""

from django.contrib.postgres.search import SearchQuery, SearchQueryField
from django.db import connections, models
from django.db.models import Func

SEARCH_CONFIG = "french_unaccent"

SEARCH_MAX_LENGTH = 200
# Typographic apostrophes and quotation marks as PostgreSQL's websearch syntax reads them.
TYPOGRAPHIC_MARKS = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "«": '"', "»": '"', "\u201c": '"', "\u201d": '"'}
)


def fetch_all(queryset: models.QuerySet) -> list[tuple]:
    """The rows of a values_list() query as the database driver returns them."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class ComputedOnce(Func):
    """`(SELECT …)` around a tsquery: PostgreSQL then computes it once for the whole query.
    websearch_to_tsquery() is only STABLE, so bare it is computed again for every row ranked,
    which on a search that finds half the directory costs more than the search itself."""

    template = "(SELECT %(expressions)s)"
    output_field = SearchQueryField()


class Matches(Func):
    """`vector @@ query`, for a query the search_vector lookup would wrap once more."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = models.BooleanField()


def search_query(text: str) -> ComputedOnce:
    return ComputedOnce(
        SearchQuery(clean_search_text(text), config=SEARCH_CONFIG, search_type="websearch")
    )


def clean_search_text(text: str) -> str:
    """The query as the database should see it: straight apostrophes and quotes, single spaces,
    no longer than SEARCH_MAX_LENGTH."""
    return " ".join(text.translate(TYPOGRAPHIC_MARKS).split())[:SEARCH_MAX_LENGTH]


def compose_search_document(
    *, partners, themes, functions, categories, departements, territory
) -> str:
    """The names of an example's relations, in the order given, for its search vector."""
    departements = list(departements)
    names = [
        *(partner.name for partner in partners),
        *(theme.name for theme in themes),
        *(function.name for function in functions),
        *(category.name for category in categories),
        *(str(departement) for departement in departements),
        *sorted({departement.region.name for departement in departements}),
    ]
    if territory is not None:
        names.append(territory.name)
    return " ".join(names)
