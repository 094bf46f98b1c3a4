"""How the directory orders French names, in PostgreSQL and in Python alike, and makes slugs of
them.

The database's collation is C: ordered by `name` alone, « Île-de-France » would come after
« Normandie » and « École » after « Zèbre ». Names are ordered case and accents aside, by
`french_order()` in a query and by `french_sort_key()` in Python, which agree.
"""

import unicodedata

from django.db import models
from django.db.models.functions import Lower
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify


# Migrations name it examples.models.ImmutableUnaccent, where it was first defined and where it
# stays importable: a path of its own would make them see a change in every index using it.
@deconstructible(path="examples.models.ImmutableUnaccent")
class ImmutableUnaccent(models.Func):
    """unaccent() wrapped in an IMMUTABLE SQL function (created by a migration), so that
    indexes can use it."""

    function = "immutable_unaccent"
    output_field = models.TextField()


def french_order(field: str) -> ImmutableUnaccent:
    """The database's expression to order names by: case and accents aside."""
    return ImmutableUnaccent(Lower(field))


# What unaccent() rewrites that Unicode decomposition leaves: « L’Œuvre » is `l'oeuvre` to both.
UNACCENT_REWRITES = str.maketrans(
    {"’": "'", "‘": "'", "œ": "oe", "æ": "ae", "«": "<<", "»": ">>", "–": "-", "—": "-"}
)


def french_sort_key(text: str) -> str:
    """Case and accents aside, as french_order() orders in the database."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(UNACCENT_REWRITES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slug_from_title(title: str) -> str:
    """slugify() drops apostrophes: « L’atelier d’Ain » would become `latelier-dain`."""
    return slugify(title.replace("’", " ").replace("'", " "))
