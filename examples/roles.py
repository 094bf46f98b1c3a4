"""The staff groups and their permissions.

A data migration creates them; when ROLE_PERMISSIONS changes, add a migration that calls
sync_roles() again so that every database follows.
"""

READ_REFERENCE_DATA = [
    "examples.view_category",
    "examples.view_era",
    "examples.view_keyfigure",
    "examples.view_resource",
    "territories.view_region",
    "territories.view_departement",
    "territories.view_territory",
    "territories.view_function",
    "territories.view_activity",
]

EDITORS = "Rédacteurs"
MODERATORS = "Modérateurs"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Write examples and submit them for review; the partners and themes they need too.
    EDITORS: [
        *READ_REFERENCE_DATA,
        "examples.view_example",
        "examples.add_example",
        "examples.change_example",
        "examples.view_partner",
        "examples.add_partner",
        "examples.change_partner",
        "examples.view_theme",
        "examples.add_theme",
        "examples.change_theme",
    ],
    # Everything but deleting, which is for superusers: publish, archive, curate the reference data.
    MODERATORS: [
        *READ_REFERENCE_DATA,
        "examples.publish_example",
        *(
            f"{app}.{action}_{model}"
            for app, models in {
                "examples": [
                    "example",
                    "partner",
                    "theme",
                    "category",
                    "era",
                    "keyfigure",
                    "resource",
                ],
                "territories": ["region", "departement", "territory", "function", "activity"],
            }.items()
            for model in models
            for action in ("view", "add", "change")
        ),
    ],
}


def sync_roles(apps) -> None:
    """Create the groups and give them exactly their permissions. `apps`: the migration's
    historical registry, or django.apps.apps."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, permission_names in ROLE_PERMISSIONS.items():
        wanted = {tuple(permission.split(".")) for permission in permission_names}
        permissions = [
            permission
            for permission in permission_model.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        found = {(p.content_type.app_label, p.codename) for p in permissions}
        if missing := wanted - found:
            raise LookupError(f"Permissions missing for {name}: {sorted(missing)}")
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(permissions)
