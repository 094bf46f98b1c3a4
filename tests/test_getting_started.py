"""What the README's « Premiers pas » promises: giving a role to a member of the team, trying
the production settings locally, and `make run` without the test tools."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from examples.roles import EDITORS, MODERATORS

BASE_DIR = Path(settings.BASE_DIR)


def grant(*args: str) -> str:
    output = StringIO()
    call_command("grant_role", *args, stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_a_member_of_the_team_becomes_an_editor_then_a_moderator():
    User.objects.create_user("camille", password="un-mot-de-passe-solide")
    assert "«\u00a0Rédacteurs\u00a0»" in grant("camille", "redacteur")
    grant("camille", "moderateur")
    camille = User.objects.get(username="camille")
    assert camille.is_staff and not camille.is_superuser
    assert set(camille.groups.values_list("name", flat=True)) == {EDITORS, MODERATORS}
    assert camille.has_perm("examples.publish_example")
    grant("camille", "moderateur", "--retirer")
    assert list(camille.groups.values_list("name", flat=True)) == [EDITORS]


@pytest.mark.django_db
def test_an_account_is_created_only_when_asked():
    with pytest.raises(CommandError, match="Aucun compte «\u00a0dominique\u00a0»"):
        grant("dominique", "redacteur")
    output = grant("dominique", "redacteur", "--creer")
    assert "python manage.py changepassword dominique" in output
    dominique = User.objects.get(username="dominique")
    assert dominique.is_staff and not dominique.has_usable_password()


def test_an_unknown_role_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        grant("camille", "administrateur")


def serve_once(tmp_path: Path, collect: bool) -> subprocess.CompletedProcess:
    """Load the WSGI application with production settings, as gunicorn does, and ask it for
    the robots.txt page (no database needed)."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "une-cle-de-production-pour-essayer-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if collect:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
    script = (
        "from django.test import Client; from config.wsgi import application; "
        "print(Client(HTTP_HOST='127.0.0.1').get('/robots.txt').status_code)"
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )


def test_production_settings_without_collectstatic_refuse_to_start_and_say_why(tmp_path):
    started = serve_once(tmp_path, collect=False)
    assert started.returncode != 0
    assert "Lancez `python manage.py collectstatic --no-input`" in started.stderr


def test_production_settings_serve_once_static_files_are_collected(tmp_path):
    served = serve_once(tmp_path, collect=True)
    assert served.returncode == 0, served.stderr
    assert served.stdout.strip() == "200"


def test_make_run_installs_without_the_test_tools():
    makefile = (BASE_DIR / "Makefile").read_text()
    run_chain = re.search(r"^run: (.+)$", makefile, re.MULTILINE)
    assert run_chain is not None
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    )
    syncs = [line for line in dry_run.stdout.splitlines() if "sync" in line]
    assert syncs and all("--no-dev" in line for line in syncs)


def test_the_readme_explains_the_first_steps():
    readme = (BASE_DIR / "README.md").read_text()
    for expected in (
        "createsuperuser",
        "grant_role",
        "Rédacteurs",
        "Modérateurs",
        "collectstatic",
        "DEBUG=0",
        "HTTPS=0",
    ):
        assert expected in readme, expected
