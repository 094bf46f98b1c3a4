"""The directory's facets: what its list can be filtered on, and how pages name them."""

from django.db import models


class Facet(models.TextChoices):
    """Each facet by the name of its URL parameter (`/exemples/?fonction=accompagnements`):
    links and bookmarks hold these names, which must never change."""

    CATEGORIE = "categorie", "Catégorie"
    FONCTION = "fonction", "Fonction"
    THEME = "theme", "Thème"
    TYPE_PARTENAIRE = "type_partenaire", "Type de partenaire"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    TERRITOIRE = "territoire", "Territoire"


#: Every filter of the list.
FILTERS = tuple(Facet)
#: The facets the list offers with their counts: named territories filter it, but are not offered.
FACETS = tuple(facet for facet in FILTERS if facet != Facet.TERRITOIRE)
#: The filters that a place chosen on a map replaces.
PLACE_FILTERS = (Facet.REGION, Facet.DEPARTEMENT, Facet.TERRITOIRE)
