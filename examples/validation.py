"""Rules an example must follow wherever it is written (admin form, import, public proposal),
and why an example may be another entered twice."""

from collections.abc import Collection

from .querysets import DUPLICATE_TITLE_SIMILARITY

NEEDS_CATEGORY_OR_FUNCTION = (
    "Choisissez au moins une catégorie de partenariat ou une fonction de co-construction."
)
NEEDS_DEPARTEMENT = (
    "Choisissez au moins un département, ou indiquez que l’exemple est d’envergure nationale."
)
SLUG_TAKEN = "Un autre exemple utilise déjà ce slug\u00a0: choisissez-en un autre."
INVALID_WEBSITE = "Saisissez une adresse web complète et valide, par exemple https://exemple.fr."


def classification_errors(
    *,
    categories: Collection | None,
    functions: Collection,
    departements: Collection,
    is_national: bool,
) -> dict[str, str]:
    """Field name → message for each rule the classification breaks. `categories` is None
    where another form checks them (the admin edits them inline, with their reasons)."""
    errors = {}
    if categories is not None and not categories and not functions:
        errors["categories"] = NEEDS_CATEGORY_OR_FUNCTION
    if not departements and not is_national:
        errors["departements"] = NEEDS_DEPARTEMENT
    return errors


def duplicate_reasons(other) -> str:
    """Why `other`, from ExampleQuerySet.possible_duplicates(), may be the same example:
    « 92 % de ressemblance », « mêmes mots dans le titre, au même endroit »…"""
    reasons = []
    if other.title_similarity >= DUPLICATE_TITLE_SIMILARITY:
        reasons.append(f"{round(other.title_similarity * 100)}\u00a0% de ressemblance")
    if other.placed_together:
        if other.same_title_words:
            reasons.append("mêmes mots dans le titre")
        if other.same_partners:
            reasons.append("mêmes partenaires")
        if other.same_title_words or other.same_partners:
            reasons.append("au même endroit")
    if other.same_website:
        reasons.append("même site web")
    return ", ".join(reasons)


def quoted_duplicates(duplicates) -> str:
    """« Silver Geek » (mêmes mots dans le titre, au même endroit), « … » (…)"""
    return ", ".join(
        f"«\u00a0{other.title}\u00a0» ({duplicate_reasons(other)})" for other in duplicates
    )
