"""The bench app is a development tool: production settings never install it, so neither its
command nor its tables reach a production server. Each case starts a fresh interpreter, as a
server would, because settings are read once."""

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings

# The test run sets these (pyproject.toml); a production server has none of them.
DEVELOPMENT_VARIABLES = {"SECRET_KEY", "DEBUG", "DEV_TOOLS", "DJANGO_SETTINGS_MODULE"}
CODE = (
    "import django; django.setup(); from django.apps import apps; "
    "from django.core.management import get_commands; "
    "print(apps.is_installed('bench'), 'generate_examples' in get_commands())"
)


def installed(settings_module: str = "config.settings", **env: str) -> list[str]:
    inherited = {
        key: value for key, value in os.environ.items() if key not in DEVELOPMENT_VARIABLES
    }
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        env={
            **inherited,
            "SECRET_KEY": "x" * 50,
            "DJANGO_SETTINGS_MODULE": settings_module,
            **env,
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return result.stdout.split()


def test_production_has_neither_the_app_nor_its_command():
    assert installed() == ["False", "False"]


@pytest.mark.parametrize(
    ("settings_module", "env"),
    [
        ("config.settings", {"DEBUG": "1"}),
        ("config.settings", {"DEV_TOOLS": "1"}),
        ("bench.settings", {}),
    ],
)
def test_development_and_the_bench_have_both(settings_module, env):
    assert installed(settings_module, **env) == ["True", "True"]


def test_debug_can_do_without_them():
    assert installed(DEBUG="1", DEV_TOOLS="0") == ["False", "False"]


def test_the_test_run_installs_them():
    assert apps.is_installed("bench")
