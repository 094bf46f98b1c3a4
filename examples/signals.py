"""Keep Example.search_document in step with the names of related rows, so that the stored
search vector finds an example by its partners, themes, functions, categories and places.

An example's own changes (its save, its links) recompose its document in Python
(Example.refresh_search_document). Renaming a related row — a partner, theme, category,
function, territory, département or région — rewrites the documents of all its examples in one
UPDATE, composed by PostgreSQL (search_document_sql(), the same text as
compose_search_document()), and only when a name the document holds actually changed.
"""

from functools import cache

from django.db import connection
from django.db.models import ManyToManyField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from territories.models import Departement, Function, Region, Territory

from .columns import column, ordering_columns
from .models import Category, Example, ExampleCategory, ExamplePartner, Partner, Theme

RELATIONS_IN_SEARCH = ("partners", "themes", "functions", "categories", "departements")

# What the search document holds of each related model (a département as « Rhône (69) »), and
# how to reach, from Example, the examples that hold one.
SEARCHED_FIELDS = {
    Partner: ("name",),
    Theme: ("name",),
    Category: ("name",),
    Function: ("name",),
    Territory: ("name",),
    Departement: ("name", "code"),
    Region: ("name",),
}
EXAMPLES_HOLDING = {
    Partner: "partners",
    Theme: "themes",
    Category: "categories",
    Function: "functions",
    Territory: "territory",
    Departement: "departements",
    Region: "departements__region",
}


@cache
def search_document_sql() -> str:
    """An SQL expression giving, in an UPDATE of the examples table, each example's document:
    the text compose_search_document() gives, relations in their models' orders."""
    qn = connection.ops.quote_name
    example = qn(Example._meta.db_table)

    def linked(relation: str) -> tuple[str, str, str]:
        """The FROM and WHERE of the example's rows of a many-to-many relation (alias
        `related`), and their model's ordering."""
        field = Example._meta.get_field(relation)
        assert isinstance(field, ManyToManyField) and isinstance(field.related_model, type)
        target = field.related_model._meta
        through = qn(field.m2m_db_table())
        ordering = ", ".join(f"related.{qn(name)}" for name in ordering_columns(target))
        source = (
            f"FROM {through} link JOIN {qn(target.db_table)} related "
            f"ON related.{qn(column(target.pk))} = link.{qn(field.m2m_reverse_name())}"
        )
        where = (
            f"WHERE link.{qn(field.m2m_column_name())} = {example}.{qn(column(Example._meta.pk))}"
        )
        return source, where, ordering

    def names(relation: str, name: str = "related.name") -> str:
        source, where, ordering = linked(relation)
        return f"(SELECT string_agg({name}, ' ' ORDER BY {ordering}) {source} {where})"

    source, where, _ = linked("departements")
    region_column = qn(Departement._meta.get_field("region").column)
    # Python's sorted() of the distinct names: code point order, which is COLLATE "C" in UTF-8.
    regions = (
        "(SELECT string_agg(region_name, ' ' ORDER BY region_name COLLATE \"C\") FROM "
        f"(SELECT DISTINCT region.name AS region_name {source} "
        f"JOIN {qn(Region._meta.db_table)} region ON region.id = related.{region_column} "
        f"{where}) AS region_names)"
    )
    territory_column = qn(Example._meta.get_field("territory").column)
    territory = (
        f"(SELECT name FROM {qn(Territory._meta.db_table)} WHERE id = {example}.{territory_column})"
    )
    parts = [
        names("partners"),
        names("themes"),
        names("functions"),
        names("categories"),
        names("departements", "related.name || ' (' || related.code || ')'"),
        regions,
        territory,
    ]
    return f"concat_ws(' ', {', '.join(parts)})"


def refresh_search_documents(examples: QuerySet) -> int:
    """Recompose the search document of these examples in one UPDATE."""
    return examples.update(search_document=RawSQL(search_document_sql(), ()))


def remember_searched_names(sender, instance, update_fields=None, **kwargs) -> None:
    fields = SEARCHED_FIELDS[sender]
    instance._searched_names_before = None
    if instance.pk is None or (update_fields is not None and not set(fields) & set(update_fields)):
        return
    instance._searched_names_before = (
        sender._base_manager.filter(pk=instance.pk).values_list(*fields).first()
    )


def refresh_examples_after_rename(sender, instance, created: bool, **kwargs) -> None:
    before = instance.__dict__.pop("_searched_names_before", None)
    if created or before is None:
        return
    if before != tuple(getattr(instance, name) for name in SEARCHED_FIELDS[sender]):
        refresh_search_documents(Example.objects.filter(**{EXAMPLES_HOLDING[sender]: instance.pk}))


for model in SEARCHED_FIELDS:
    uid = f"example-search-rename-{model._meta.label}"
    pre_save.connect(remember_searched_names, sender=model, dispatch_uid=uid)
    post_save.connect(refresh_examples_after_rename, sender=model, dispatch_uid=uid)


def refresh_after_m2m_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        if pk_set:
            refresh_search_documents(Example.objects.filter(pk__in=pk_set))
    else:
        instance.refresh_search_document()


for relation in RELATIONS_IN_SEARCH:
    m2m_changed.connect(
        refresh_after_m2m_change,
        sender=getattr(Example, relation).through,
        dispatch_uid=f"example-search-{relation}",
    )


@receiver(post_save, sender=Example, dispatch_uid="example-search-save")
def refresh_after_save(sender, instance: Example, raw: bool, **kwargs) -> None:
    if not raw:
        instance.refresh_search_document()


@receiver(post_save, sender=ExamplePartner, dispatch_uid="example-search-partner-saved")
@receiver(post_delete, sender=ExamplePartner, dispatch_uid="example-search-partner-deleted")
@receiver(post_save, sender=ExampleCategory, dispatch_uid="example-search-category-saved")
@receiver(post_delete, sender=ExampleCategory, dispatch_uid="example-search-category-deleted")
def refresh_after_link_change(sender, instance, raw: bool = False, **kwargs) -> None:
    """The admin edits partners and categories as rows of their own (with a role or a
    reason), which sends no m2m_changed."""
    if raw:
        return
    example = Example.objects.filter(pk=instance.example_id).first()
    if example is not None:
        example.refresh_search_document()
