"""schema.org descriptions of the public pages, for search engines (JSON-LD)."""

from collections.abc import Iterable

from .facets import Facet, FacetValue
from .models import Example, Partner
from .partner_kinds import PartnerKind

# Public bodies and local authorities are GovernmentOrganization; the rest stay Organization.
PARTNER_TYPES: dict[str, str] = {
    PartnerKind.COLLECTIVITE: "GovernmentOrganization",
    PartnerKind.ACTEUR_PUBLIC: "GovernmentOrganization",
    PartnerKind.ACADEMIQUE: "EducationalOrganization",
    PartnerKind.ASSOCIATION: "NGO",
}


def example_structured_data(
    example: Example,
    relations: dict[Facet, list[FacetValue]],
    partners: Iterable[Partner],
    site_url: str,
) -> dict:
    """An example as a schema.org Project, with its `relations` (DirectoryIndex.relations_of)
    and the partners the page already fetched."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": example.title,
        "description": example.summary or example.title,
        "url": site_url + example.get_absolute_url(),
        "inLanguage": "fr",
        "keywords": [
            value.name
            for facet in (Facet.CATEGORIE, Facet.FONCTION, Facet.THEME)
            for value in relations[facet]
        ],
        "areaServed": [
            {"@type": "AdministrativeArea", "name": str(departement)}
            for departement in relations[Facet.DEPARTEMENT]
        ],
        "member": [
            {"@type": PARTNER_TYPES.get(partner.kind, "Organization"), "name": partner.name}
            for partner in partners
        ],
    }
    if example.website:
        data["sameAs"] = example.website
    if example.territory:
        data["location"] = {"@type": "Place", "name": example.territory.name}
    if example.published_at:
        data["datePublished"] = example.published_at.date().isoformat()
    if example.updated_at:
        data["dateModified"] = example.updated_at.date().isoformat()
    return data
