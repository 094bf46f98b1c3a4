"""The API's addresses, as its index (/api/v1/) and its documentation page list them."""

#: (name in the index, route, what it gives)
ENDPOINTS = [
    (
        "exemples",
        "api:example-list",
        "Les exemples publiés\u00a0: filtres, recherche et tri de la liste du site, par pages.",
    ),
    ("categories", "api:category-list", "Les catégories de partenariat."),
    (
        "fonctions",
        "api:function-list",
        "Les fonctions de la co-construction territoriale, avec leurs activités.",
    ),
    ("themes", "api:theme-list", "Les thèmes des exemples."),
    ("regions", "api:region-list", "Les régions, avec leurs départements."),
    ("departements", "api:departement-list", "Les départements, avec leur région."),
    ("territoires", "api:territory-list", "Les territoires nommés."),
    (
        "partenaires",
        "api:partner-list",
        "Les partenaires des exemples publiés, par pages\u202f; le détail d’un partenaire "
        "liste ses alliances.",
    ),
]
#: (name in the index, route) of the OpenAPI schema.
SCHEMA_ROUTES = [
    ("schema_openapi_json", "api:schema-json"),
    ("schema_openapi_yaml", "api:schema-yaml"),
]
