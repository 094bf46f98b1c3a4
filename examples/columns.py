"""Column names read from Django's model metadata, typed as Django guarantees them.

The stubs leave a field's column optional: only a field without one (a many-to-many, a
relation's reverse side) has none, and these helpers are given concrete fields.
"""

from django.db.models import Field
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.options import Options


def column(field: Field | ForeignObjectRel) -> str:
    """The column of a concrete field."""
    assert isinstance(field, Field) and field.column, field
    return field.column


def ordering_columns(meta: Options) -> list[str]:
    """The columns of a model's default ordering, made of ascending field names."""
    columns = []
    for name in meta.ordering or ():
        assert isinstance(name, str), name
        columns.append(column(meta.get_field(name)))
    return columns
