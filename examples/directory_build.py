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
examples table, not the far larger link tables. Everything is read in one snapshot, so the
parts read and the versions that say which to read agree.
"""

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
    # Each content table's version when this was read (directory_version.table_versions()).
    table_versions: dict[str, int] = field(default_factory=dict)
    read: tuple[str, ...] = ()  # the parts read from the database, the others were reused


@dataclass(frozen=True)
class Part:
    """One packed array: a query of `pair` rows, and the tables whose writes change it."""

    query: str
    tables: frozenset[str]
    example_column: str = ""  # a link table's: to read only some examples' pairs

    def restricted(self) -> str:
        """The query for the examples of the `examples` parameter only."""
        return f"{self.query} WHERE {self.example_column} = ANY(%(examples)s)"


def read_content(previous: Content | None = None) -> Content:
    """The directory's content; with `previous`, only what changed since it is read."""
    catalogue = parts()
    with one_snapshot():
        versions = directory_version.table_versions()
        if previous is None:
            wanted = list(catalogue)
        else:
            changed = {
                table
                for table in versions.keys() | previous.table_versions.keys()
                if versions.get(table) != previous.table_versions.get(table)
            }
            wanted = [name for name, part in catalogue.items() if part.tables & changed]
        packed = packed_arrays({name: catalogue[name] for name in wanted})
        if previous is None or "ids" in packed:
            published = np.frombuffer(packed.pop("ids"), dtype=PUBLISHED)
            ids = published["example"].astype(np.int64)
            published_at = published["moment"].astype(np.float64)
        else:
            ids, published_at = previous.ids, previous.published_at
        pairs = {Facet(facet): np.frombuffer(data, dtype=PAIR) for facet, data in packed.items()}
        if previous is not None:
            pairs |= reused_pairs(previous, ids, catalogue, pairs.keys())
        values = list(value_rows())
    return Content(ids, published_at, values, pairs, versions, tuple(wanted))


def reused_pairs(
    previous: Content, ids: np.ndarray, catalogue: dict[str, Part], read: Iterable[Facet]
) -> dict[Facet, np.ndarray]:
    """The pairs of the facets not read again, from `previous`, which holds those of the
    examples published then: an example published since brings its own, read now."""
    reused = [facet for facet in previous.pairs if facet not in set(read)]
    newly_published = np.setdiff1d(ids, previous.ids) if ids is not previous.ids else ids[:0]
    added: dict[str, bytes] = {}
    if reused and len(newly_published):
        added = packed_arrays(
            {facet: catalogue[facet] for facet in reused},
            examples=newly_published.tolist(),
        )
    return {
        facet: np.concatenate(
            [previous.pairs[facet], np.frombuffer(added.get(facet, b""), dtype=PAIR)]
        )
        for facet in reused
    }


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
            example,
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
            "link.example_id",
        ),
    }


def packed_arrays(wanted: dict[str, Part], examples: list[int] | None = None) -> dict[str, bytes]:
    """The wanted parts in one query; with `examples`, only those examples' pairs."""
    if not wanted:
        return {}
    names = list(wanted)
    union = " UNION ALL ".join(
        f"SELECT {number}, (SELECT coalesce(string_agg(pair, ''::bytea), ''::bytea) "
        f"FROM ({part.query if examples is None else part.restricted()}) AS part)"
        for number, part in enumerate(wanted.values())
    )
    with connection.cursor() as cursor:
        cursor.execute(union, {"published": ExampleStatus.PUBLIE, "examples": examples})
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
