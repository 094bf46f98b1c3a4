"""The fiche's « articulation des complémentarités » matrix: a territory's examples arranged by
the four co-construction functions."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Function


@dataclass
class MatrixColumn:
    function: Function
    examples: list = field(default_factory=list)


@dataclass
class FunctionMatrix:
    columns: list[MatrixColumn]
    # Examples staff have not yet tied to a function, so that none goes missing from the page.
    without_function: list
    total: int


def function_matrix(examples: Iterable) -> FunctionMatrix:
    """One column per function, in the fiche's order; an example with two functions sits in
    both. Expects the examples' functions to be prefetched."""
    columns = {function.pk: MatrixColumn(function) for function in Function.objects.all()}
    without_function = []
    total = 0
    for example in examples:
        total += 1
        functions = example.functions.all()
        for function in functions:
            columns[function.pk].examples.append(example)
        if not functions:
            without_function.append(example)
    return FunctionMatrix(list(columns.values()), without_function, total)
