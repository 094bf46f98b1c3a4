"""The kinds of actors an alliance brings together, and how pages group partners by kind."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import models


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    ENTREPRISE = "entreprise", "Entreprise"
    COLLECTIVITE = "collectivite", "Collectivité"
    FONDATION = "fondation", "Fondation"
    ACTEUR_PUBLIC = "acteur_public", "Acteur public"
    ACADEMIQUE = "academique", "Acteur académique"


PARTNER_GROUP_TITLES = {
    PartnerKind.ASSOCIATION: "Associations",
    PartnerKind.ENTREPRISE: "Entreprises",
    PartnerKind.COLLECTIVITE: "Collectivités",
    PartnerKind.FONDATION: "Fondations",
    PartnerKind.ACTEUR_PUBLIC: "Acteurs publics",
    PartnerKind.ACADEMIQUE: "Acteurs académiques",
    "": "Autres partenaires",
}


def grouped_by_kind[T](
    items: Iterable[T], kind_of: Callable[[T], str]
) -> list[tuple[str, list[T]]]:
    """The items (partners, an example's partner links…) under the title of their partner's
    kind, in the order of PartnerKind, partners of no kind last; empty groups left out."""
    by_kind: dict[str, list[T]] = defaultdict(list)
    for item in items:
        by_kind[kind_of(item)].append(item)
    return [(title, by_kind[kind]) for kind, title in PARTNER_GROUP_TITLES.items() if by_kind[kind]]
