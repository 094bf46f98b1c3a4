"""Rules an example must follow wherever it is written: admin form, import, public proposal."""

from collections.abc import Collection

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
