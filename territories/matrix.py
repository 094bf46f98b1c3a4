"""The fiche's « articulation des complémentarités » matrix: a territory's examples arranged by
the four co-construction functions.

A département may hold thousands of examples: each column shows the most recent ones and how
many there are in all, with a link to the list filtered on the place and the function.
"""

from dataclasses import dataclass, field

import numpy as np

from examples.directory_index import DirectoryIndex, fetch_examples
from examples.facets import Facet
from examples.models import Example
from examples.querysets import SortOrder

from .models import Function

EXAMPLES_PER_COLUMN = 10


@dataclass
class MatrixColumn:
    function: Function | None
    count: int
    examples: list = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many of the column's examples are not shown."""
        return self.count - len(self.examples)


@dataclass
class FunctionMatrix:
    columns: list[MatrixColumn]
    # Examples staff have not yet tied to a function, so that none goes missing from the page.
    without_function: MatrixColumn
    total: int


def function_matrix(
    index: DirectoryIndex, place: np.ndarray, per_column: int = EXAMPLES_PER_COLUMN
) -> FunctionMatrix:
    """One column per function, in the fiche's order, for the examples of `place` (a mask of
    the index); an example with two functions sits in both. One query for the functions, one
    for every example shown."""
    functions = list(Function.objects.all())
    masks = [place & index.having(Facet.FONCTION, [function]) for function in functions]
    masks.append(place & ~index.having(Facet.FONCTION, functions))
    shown = [index.ordered(mask, SortOrder.RECENT)[:per_column] for mask in masks]
    examples = {
        example.pk: example
        for example in fetch_examples(
            index.ids[np.concatenate(shown)].tolist(),
            Example.objects.published().only("pk", "slug", "title"),
        )
    }
    columns = [
        MatrixColumn(
            function=function,
            count=int(np.count_nonzero(mask)),
            examples=[examples[pk] for pk in index.ids[positions].tolist() if pk in examples],
        )
        for function, mask, positions in zip([*functions, None], masks, shown, strict=True)
    ]
    return FunctionMatrix(columns[:-1], columns[-1], int(np.count_nonzero(place)))
