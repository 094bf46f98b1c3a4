"""The fiche's table « Les dynamiques collectives en territoires : les métiers de la
co-construction territoriale »: the four functions side by side, each with its activities, the
inspiring examples the fiche gives of it, and the examples of one territory, Paris Est Marne &
Bois, that show how the four functions complement each other there.

The rows hold the examples the fiche cites (origin « fiche »), in the fiche's order, each with the
fiche's own words between brackets: the table reproduces the fiche, not the directory. Staff may
cite more: each cell shows the first EXAMPLES_PER_CELL and links to the rest.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from examples.facets import Facet
from examples.models import Example, Origin

from .models import Function, Territory

# The territory the fiche gives as its « exemple d'articulation des complémentarités ».
SHOWCASE_TERRITORY = "paris-est-marne-et-bois"
EXAMPLES_PER_CELL = 10
# « Programme Impact Jeunes (éducation / 13) » → « éducation / 13 ».
FICHE_NOTE = re.compile(r"\(([^()]*)\)\s*$")


@dataclass
class TableExample:
    example: Example
    # What the fiche writes between brackets after the example: « éducation / 13 ».
    note: str


@dataclass
class TableCell:
    count: int
    # Where every example of the cell is listed, when it cannot show them all.
    more_url: str
    examples: list[TableExample] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many of the cell's examples are not shown."""
        return self.count - len(self.examples)


@dataclass
class FunctionColumn:
    function: Function
    inspiring: TableCell
    showcase: TableCell


@dataclass
class FunctionTable:
    columns: list[FunctionColumn]
    # The territory of the last row, with its `departement_codes`; None if staff removed it.
    showcase: Territory | None


def fiche_note(example: Example) -> str:
    match = FICHE_NOTE.search(example.fiche_text)
    return match.group(1).strip() if match else ""


def cell(examples: list[Example], more_url: str, per_cell: int) -> TableCell:
    return TableCell(
        count=len(examples),
        more_url=more_url,
        examples=[TableExample(example, fiche_note(example)) for example in examples[:per_cell]],
    )


def function_table(per_cell: int = EXAMPLES_PER_CELL) -> FunctionTable:
    """The table, in five queries: the functions and their activities, the showcase territory,
    the published examples the fiche cites and their functions."""
    functions = list(Function.objects.prefetch_related("activities"))
    showcase = Territory.objects.with_departement_codes().filter(slug=SHOWCASE_TERRITORY).first()
    cited = list(
        Example.objects.published()
        .filter(origin=Origin.FICHE)
        .only("pk", "slug", "title", "fiche_text", "territory_id", "status")
        .prefetch_related("functions")
        .order_by("pk")
    )
    list_url = reverse("examples:list")
    columns = []
    for function in functions:
        holding = [
            example
            for example in cited
            if any(held.pk == function.pk for held in example.functions.all())
        ]
        in_showcase = [
            example
            for example in holding
            if showcase is not None and example.territory_id == showcase.pk
        ]
        query = urlencode(
            {Facet.TERRITOIRE.value: SHOWCASE_TERRITORY, Facet.FONCTION.value: function.slug}
        )
        columns.append(
            FunctionColumn(
                function=function,
                inspiring=cell(
                    [example for example in holding if example not in in_showcase],
                    function.get_absolute_url(),
                    per_cell,
                ),
                showcase=cell(in_showcase, f"{list_url}?{query}", per_cell),
            )
        )
    return FunctionTable(columns, showcase)
