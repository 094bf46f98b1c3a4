"""The query parameters of the API: which each address accepts, what they mean, and the 400
that a parameter it cannot use gets, with a French message for each.

The examples' filters are the list's own (examples/filters.py, ExampleFilter): the same names,
values and checks, described here once for the schema and the documentation page.
"""

from collections.abc import Iterable

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from examples.facets import FILTERS
from examples.filters import ExampleFilter
from examples.partner_kinds import PartnerKind
from examples.querysets import SortOrder

REPEATABLE = (
    " Répétable\u00a0: plusieurs valeurs s’additionnent, des filtres différents se combinent."
)
#: What each filter of ExampleFilter does, by its parameter's name.
EXAMPLE_FILTERS = {
    "q": "Recherche plein texte en français, accents facultatifs\u00a0: «\u00a0expression entre "
    "guillemets\u00a0», -mot pour exclure, or. Un mot qu’aucun exemple ne contient est remplacé "
    "par le plus proche qu’un exemple contient.",
    "exact": "1\u00a0: la recherche telle qu’elle est écrite, sans correction des mots.",
    "categorie": "Slug d’une catégorie de partenariat (voir /api/v1/categories/)." + REPEATABLE,
    "fonction": "Slug d’une fonction de la co-construction territoriale "
    "(voir /api/v1/fonctions/)." + REPEATABLE,
    "theme": "Slug d’un thème (voir /api/v1/themes/)." + REPEATABLE,
    "type_partenaire": "Les alliances qui comptent au moins un partenaire de ce type\u00a0: "
    + ", ".join(PartnerKind.values)
    + "."
    + REPEATABLE,
    "region": "Code INSEE d’une région (voir /api/v1/regions/)." + REPEATABLE,
    "departement": "Code INSEE d’un département, 69, 2A ou 974 par exemple "
    "(voir /api/v1/departements/)." + REPEATABLE,
    "territoire": "Slug d’un territoire nommé (voir /api/v1/territoires/)." + REPEATABLE,
    "tri": "Ordre des résultats\u00a0: "
    + ", ".join(SortOrder.values)
    + ". Par défaut pertinence avec une recherche, titre sans.",
}
PAGINATION = {
    "page": "Numéro de la page, à partir de 1.",
    "par_page": "Nombre de résultats par page, de 1 à 100 (20 par défaut).",
}
MULTIPLE = {str(facet) for facet in FILTERS}
ENUMS = {"type_partenaire": PartnerKind.values, "tri": SortOrder.values, "exact": ["1"]}


def example_filter_parameters() -> list[OpenApiParameter]:
    """The filters of /api/v1/exemples/, for the schema."""
    return [
        OpenApiParameter(
            name,
            OpenApiTypes.STR,
            description=description,
            many=name in MULTIPLE,
            enum=ENUMS.get(name),
        )
        for name, description in EXAMPLE_FILTERS.items()
    ]


class BadParameters(APIException):
    """400: what is wrong with each parameter, by its name."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "parametres_incorrects"

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(
            {
                "detail": "Une partie de l’adresse n’a pas pu être comprise\u00a0: "
                "voyez «\u00a0parametres\u00a0».",
                "parametres": problems,
            }
        )


def check_parameters(request: Request, accepted: Iterable[str]) -> None:
    """400 for a parameter the address does not take: a misspelt filter (`fonctions`) would
    otherwise be ignored and give every example."""
    accepted = list(accepted)
    unknown = [name for name in request.query_params if name not in accepted]
    if unknown:
        hint = (
            f"Paramètres acceptés\u00a0: {', '.join(accepted)}."
            if accepted
            else "Cette adresse n’accepte aucun paramètre."
        )
        raise BadParameters({name: [f"Paramètre inconnu. {hint}"] for name in unknown})


def whole_number(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    """The parameter as a whole number from 1 to `maximum`, or `default` without it."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1 or (maximum is not None and number > maximum):
        bounds = f"de 1 à {maximum}" if maximum is not None else "à partir de 1"
        raise BadParameters(
            {name: [f"Un nombre entier {bounds} est attendu, pas «\u00a0{raw}\u00a0»."]}
        )
    return number


def valid_example_filter(request: Request) -> ExampleFilter:
    """The list's filters from the request, or 400 with the list's own messages."""
    check_parameters(request, [*EXAMPLE_FILTERS, *PAGINATION])
    filterset = ExampleFilter(request.query_params)
    if not filterset.is_valid():
        raise BadParameters({name: list(messages) for name, messages in filterset.errors.items()})
    return filterset
