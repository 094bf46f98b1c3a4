"""Reading the directory index's content from PostgreSQL, whatever the number of examples:

1. Every facet value (category, function, theme, kind of partner, territory, département with
   its région): small tables, read whole.
2. The published examples' ids in the directory's title order with their publication times, and
   which example holds which value, as packed binary strings rather than rows.

Big-endian 8-byte integers (`int8send`) and floats (`float8send`) become numpy arrays without a
Python object per example, so a rebuild allocates little beyond the arrays it keeps.

After an edit, a rebuild re-reads only the parts of (2) whose tables were written since the
previous build (examples/directory_version.py keeps, for each table, the version of its last
write), and takes the rest from the previous index: editing an example's title re-reads the
examples table, not the far larger link tables. The versions and the parts they say changed
come from one query, so they agree.
"""

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.db.models import BigIntegerField, CharField, F, ManyToManyField, Min, Value
from django.db.models.functions import Cast

from territories.models import Departement, Function, Territory

from . import directory_version
from .facets import Facet
from .models import Category, Example, ExampleStatus, Partner, Theme

PAIR = np.dtype([("example", ">i8"), ("value", ">i8")])
PUBLISHED = np.dtype([("example", ">i8"), ("moment", ">f8")])


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
    # Each content table's version when this was read (directory_version.TABLE).
    table_versions: dict[str, int] = field(default_factory=dict)
    read: tuple[str, ...] = ()  # the parts read from the database, the others were reused


@dataclass(frozen=True)
class Part:
    """One packed array: a query of `pair` rows, and the tables whose writes change it."""

    query: str
    tables: frozenset[str]


def read_content(previous: Content | None = None) -> Content:
    """The directory's content; with `previous`, only what changed since it is read."""
    catalogue = parts()
    with one_snapshot():
        since = previous.table_versions if previous else None
        versions, packed = packed_arrays(catalogue, since=since)
        read = tuple(packed)
        if previous is None or "ids" in packed:
            published = np.frombuffer(packed.pop("ids"), dtype=PUBLISHED)
            ids = published["example"].astype(np.int64)
            published_at = published["moment"].astype(np.float64)
        else:
            ids, published_at = previous.ids, previous.published_at
        pairs = {Facet(facet): np.frombuffer(data, dtype=PAIR) for facet, data in packed.items()}
        if previous is not None:
            pairs = previous.pairs | pairs
        values = list(value_rows())
    return Content(ids, published_at, values, pairs, versions, read)


@contextmanager
def one_snapshot() -> Iterator[None]:
    """Every query inside reads the same committed state. Inside a transaction already (a
    request's, a test's), that transaction is the snapshot."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def parts() -> dict[str, Part]:
    """The packed arrays: the published ids in title order, each with its publication time (an
    index-only scan of `example_published_title`, which includes the time), and for each facet
    the (example id, value pk) pairs of its link table, published examples or not (the index
    keeps those it holds). A kind of partner is named by the smallest pk of its partners, as
    value_rows() does."""
    quote = connection.ops.quote_name
    examples_table = Example._meta.db_table
    examples = quote(examples_table)
    on_examples = frozenset({examples_table})

    def link(name: str) -> Part:
        relation = Example._meta.get_field(name)
        assert isinstance(relation, ManyToManyField)
        example = quote(relation.m2m_column_name())
        value = quote(relation.m2m_reverse_name())
        table = relation.m2m_db_table()
        return Part(
            f"SELECT int8send({example}) || int8send({value}) AS pair FROM {quote(table)}",
            frozenset({table}),
        )

    partner_links = Example.partners.through._meta.db_table
    partners = Partner._meta.db_table
    return {
        "ids": Part(
            "SELECT int8send(id) || float8send(coalesce(extract(epoch FROM published_at)::float8,"
            f" 'NaN'::float8)) AS pair FROM (SELECT id, published_at FROM {examples} "
            "WHERE status = %(published)s ORDER BY title_key, id) AS ordered",
            on_examples,
        ),
        Facet.CATEGORIE: link("categories"),
        Facet.FONCTION: link("functions"),
        Facet.THEME: link("themes"),
        Facet.DEPARTEMENT: link("departements"),
        Facet.TERRITOIRE: Part(
            "SELECT int8send(id) || int8send(territory_id) AS pair "
            f"FROM {examples} WHERE territory_id IS NOT NULL",
            on_examples,
        ),
        Facet.TYPE_PARTENAIRE: Part(
            "SELECT int8send(link.example_id) || int8send(kinds.kind_pk) AS pair "
            f"FROM {quote(partner_links)} AS link JOIN (SELECT id, min(id) OVER (PARTITION BY "
            f"kind) AS kind_pk FROM {quote(partners)} WHERE kind <> '') AS kinds "
            "ON kinds.id = link.partner_id",
            frozenset({partner_links, partners}),
        ),
    }


def packed_arrays(
    wanted: dict[str, Part], *, since: dict[str, int] | None = None
) -> tuple[dict[str, int], dict[str, bytes]]:
    """In one query, each content table's version (directory_version.TABLE) and the wanted
    parts: with `since` (the versions a previous read saw), only those whose tables were
    written since, which PostgreSQL decides."""
    names = list(wanted)
    params: dict[str, str | list[str]] = {
        "published": ExampleStatus.PUBLIE,
        "since": json.dumps(since or {}),
    }
    selects = [
        f"SELECT -1, convert_to((SELECT table_versions::text FROM {directory_version.TABLE} "
        "WHERE id = 1), 'UTF8')"
    ]
    for number, part in enumerate(wanted.values()):
        packed = (
            f"(SELECT coalesce(string_agg(pair, ''::bytea), ''::bytea) FROM ({part.query}) AS part)"
        )
        if since is not None:
            # A missing version (a table never written, a deleted row) differs from any other.
            params[f"tables_{number}"] = sorted(part.tables)
            packed = (
                f"CASE WHEN EXISTS (SELECT FROM unnest(%(tables_{number})s::text[]) AS t(name), "
                f"{directory_version.TABLE} AS now WHERE now.id = 1 AND now.table_versions -> "
                "t.name IS DISTINCT FROM %(since)s::jsonb -> t.name) "
                f"OR NOT EXISTS (SELECT FROM {directory_version.TABLE} WHERE id = 1) "
                f"THEN {packed} END"
            )
        selects.append(f"SELECT {number}, {packed}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    versions = {
        table: int(version)
        for number, data in rows
        if number == -1 and data is not None
        for table, version in json.loads(bytes(data)).items()
    }
    packed_parts = {
        names[number]: bytes(data) for number, data in rows if number >= 0 and data is not None
    }
    return versions, packed_parts


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
