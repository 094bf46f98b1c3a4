"""Give a member of the team a role: `manage.py grant_role <identifiant> redacteur|moderateur`.

The person gets access to the administration (is_staff) and joins the group « Rédacteurs » or
« Modérateurs » (examples/roles.py), nothing more; `--retirer` takes the role back. With
`--creer`, an account that does not exist yet is created without a password, to be set with
`manage.py changepassword`.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from examples.roles import EDITORS, MODERATORS, sync_roles

ROLES = {"redacteur": EDITORS, "moderateur": MODERATORS}


class Command(BaseCommand):
    help = "Donne (ou retire) le rôle de rédacteur ou de modérateur à un compte de l’équipe."

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant du compte")
        parser.add_argument("role", choices=sorted(ROLES), help="rôle à donner")
        parser.add_argument("--retirer", action="store_true", help="retirer le rôle")
        parser.add_argument(
            "--creer", action="store_true", help="créer le compte s’il n’existe pas"
        )

    def handle(self, *args, username: str, role: str, retirer: bool, creer: bool, **options):
        users = get_user_model()
        user = users.objects.filter(username=username).first()
        if user is None and (retirer or not creer):
            raise CommandError(
                f"Aucun compte «\u00a0{username}\u00a0»\u00a0: créez-le avec --creer, ou "
                "dans l’administration (Utilisateurs)."
            )
        if not Group.objects.filter(name=ROLES[role]).exists():
            sync_roles(apps)
        group = Group.objects.get(name=ROLES[role])
        if retirer and user is not None:
            user.groups.remove(group)
            self.stdout.write(f"{username} n’est plus dans «\u00a0{group.name}\u00a0».")
            return
        if user is None:
            user = users.objects.create_user(username=username)
            user.set_unusable_password()
            self.stdout.write(
                f"Compte «\u00a0{username}\u00a0» créé. Définissez son mot de passe\u00a0: "
                f"python manage.py changepassword {username}"
            )
        user.is_staff = True
        user.save(update_fields=["is_staff", "password"])
        user.groups.add(group)
        self.stdout.write(
            f"{username} est dans «\u00a0{group.name}\u00a0» et peut se connecter à "
            "l’administration (/admin/)."
        )
