"""Reading the directory index's content from PostgreSQL: two queries, whatever the number of
examples.

1. Every facet value (category, function, theme, kind of partner, territory, département with
   its région): small tables, read whole.
2. The published examples' ids in the directory's title order, their publication times, and
   which example holds which value, as packed binary strings rather than rows.

Big-endian 8-byte integers (`int8send`) and floats (`float8send`) become numpy arrays without a
Python object per example, so a rebuild allocates little beyond the arrays it keeps.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, CharField, F, ManyToManyField, Min, Value
from django.db.models.functions import Cast

from territories.models import Departement, Function, Territory

from .facets import Facet
from .models import Category, Example, ExampleStatus, Partner, Theme

PAIR = np.dtype([("example", ">i8"), ("value", ">i8")])
MOMENT = np.dtype([("example", ">i8"), ("moment", ">f8")])


@dataclass(frozen=True)
class ValueRow:
    """One facet value as the database holds it."""

    facet: str  # a Facet's value
    pk: int
    key: str
    name: str
    order: int
    region_pk: int | None
    region_code: str | None
    region_name: str | None
    colour: str = ""  # a category's (examples/colours.py)


@dataclass
class Content:
    """What an index is built from."""

    ids: np.ndarray  # published example ids, in title order
    published_at: np.ndarray  # seconds since the epoch, NaN when undated, same order
    values: list[ValueRow]
    pairs: dict[Facet, np.ndarray]  # (example id, value pk) pairs, PAIR dtype


def read_content() -> Content:
    packed = packed_arrays()
    ids = np.frombuffer(packed.pop("ids"), dtype=">i8").astype(np.int64)
    moments = np.frombuffer(packed.pop("moments"), dtype=MOMENT)
    pairs = {Facet(facet): np.frombuffer(data, dtype=PAIR) for facet, data in packed.items()}
    return Content(ids, publication_times(ids, moments), list(value_rows()), pairs)


def publication_times(ids: np.ndarray, moments: np.ndarray) -> np.ndarray:
    """The (example id, time) pairs, read unordered, placed in the order of `ids`."""
    published_at = np.full(len(ids), np.nan)
    if not len(ids):
        return published_at
    by_id = np.argsort(ids)
    slots = np.searchsorted(ids[by_id], moments["example"]).clip(max=len(ids) - 1)
    found = ids[by_id][slots] == moments["example"]
    published_at[by_id[slots[found]]] = moments["moment"][found]
    return published_at


def packed_arrays() -> dict[str, bytes]:
    """In one query: the published ids in title order (an index-only scan of
    `example_published_title`), their publication times as (id, time) pairs, read unordered
    (the table is never sorted), and for each facet the (example id, value pk) pairs of its
    link table, published examples or not (the index keeps those it holds). A kind of
    partner is named by the smallest pk of its partners, as value_rows() does."""
    quote = connection.ops.quote_name
    examples = quote(Example._meta.db_table)

    def link(field: str) -> str:
        relation = Example._meta.get_field(field)
        assert isinstance(relation, ManyToManyField)
        example = quote(relation.m2m_column_name())
        value = quote(relation.m2m_reverse_name())
        table = quote(relation.m2m_db_table())
        return f"SELECT int8send({example}) || int8send({value}) AS pair FROM {table}"

    partner_links = quote(Example.partners.through._meta.db_table)
    parts = {
        "ids": (
            f"SELECT int8send(id) AS pair FROM (SELECT id FROM {examples} "
            "WHERE status = %(published)s ORDER BY title_key, id) AS ordered"
        ),
        "moments": (
            "SELECT int8send(id) || float8send(coalesce(extract(epoch FROM published_at)::float8, "
            f"'NaN'::float8)) AS pair FROM {examples} WHERE status = %(published)s"
        ),
        Facet.CATEGORIE: link("categories"),
        Facet.FONCTION: link("functions"),
        Facet.THEME: link("themes"),
        Facet.DEPARTEMENT: link("departements"),
        Facet.TERRITOIRE: (
            "SELECT int8send(id) || int8send(territory_id) AS pair "
            f"FROM {examples} WHERE territory_id IS NOT NULL"
        ),
        Facet.TYPE_PARTENAIRE: (
            "SELECT int8send(link.example_id) || int8send(kinds.kind_pk) AS pair "
            f"FROM {partner_links} AS link JOIN (SELECT id, min(id) OVER (PARTITION BY kind) "
            f"AS kind_pk FROM {quote(Partner._meta.db_table)} WHERE kind <> '') AS kinds "
            "ON kinds.id = link.partner_id"
        ),
    }
    names = list(parts)
    union = " UNION ALL ".join(
        f"SELECT {number}, (SELECT coalesce(string_agg(pair, ''::bytea), ''::bytea) "
        f"FROM ({query}) AS part)"
        for number, query in enumerate(parts.values())
    )
    with connection.cursor() as cursor:
        cursor.execute(union, {"published": ExampleStatus.PUBLIE})
        return {names[number]: bytes(data) for number, data in cursor.fetchall()}


def value_rows() -> Iterable[ValueRow]:
    """Every facet value, in one query. Régions come with their départements, categories with
    their colour."""
    text, number = CharField(), BigIntegerField()
    no_region = (Cast(Value(None), number), Cast(Value(None), text), Cast(Value(None), text))
    no_colour = Value("", output_field=text)
    columns = ("facet", "value_pk", "value_key", "value_name", "sort_order")
    region_columns = ("region_pk", "region_code", "region_name")

    def rows(model, facet: Facet, key: str, order, region=no_region, colour=no_colour):
        return (
            model.objects.order_by()
            .annotate(
                facet=Value(facet, output_field=text),
                value_pk=F("pk"),
                value_key=F(key),
                value_name=F("name"),
                sort_order=order,
                **dict(zip(region_columns, region, strict=True)),
                value_colour=colour,
            )
            .values_list(*columns, *region_columns, "value_colour")
        )

    unordered = Value(0, output_field=number)
    # One row per kind of partner: its key and name are the kind, its pk one of its partners'.
    partner_kinds = (
        Partner.objects.exclude(kind="")
        .order_by()
        .values("kind")
        .annotate(
            facet=Value(Facet.TYPE_PARTENAIRE, output_field=text),
            value_pk=Min("pk"),
            value_key=F("kind"),
            value_name=F("kind"),
            sort_order=unordered,
            **dict(zip(region_columns, no_region, strict=True)),
            value_colour=no_colour,
        )
        .values_list(*columns, *region_columns, "value_colour")
    )
    union = (
        rows(Category, Facet.CATEGORIE, "slug", F("order"), colour=F("colour"))
        .union(
            partner_kinds,
            rows(Function, Facet.FONCTION, "slug", F("order")),
            rows(Theme, Facet.THEME, "slug", unordered),
            rows(Territory, Facet.TERRITOIRE, "slug", unordered),
            rows(
                Departement,
                Facet.DEPARTEMENT,
                "code",
                unordered,
                region=(F("region_id"), F("region__code"), F("region__name")),
            ),
            all=True,
        )
        .order_by()
    )
    return (ValueRow(*row) for row in union)
