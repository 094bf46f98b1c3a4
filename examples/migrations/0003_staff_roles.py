from django.contrib.auth.management import create_permissions
from django.db import migrations

from examples.roles import ROLE_PERMISSIONS, sync_roles


def create_roles(apps, schema_editor):
    # On a fresh database the permissions are only created by the post_migrate signal, after
    # every migration: create them now for the apps the roles use.
    for app_label in ("examples", "territories"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("territories", "0001_initial"),
        ("examples", "0002_example_awaiting_moderation"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
