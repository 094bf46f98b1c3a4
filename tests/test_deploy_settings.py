"""Production settings are safe by default: `check --deploy` passes and HTTPS is on unless HTTPS=0.

Each case runs in a fresh interpreter, as a server would start, because settings are read once.
"""

import functools
import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "exemples.example.org",
}
# The test run sets these (pyproject.toml, conftest.py); a production server has none of them.
DEVELOPMENT_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "HTTPS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEV_TOOLS",
}
HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
]


def production_env(**overrides: str) -> dict[str, str]:
    """The test run's environment without the variables that make it a development setup."""
    inherited = {
        key: value for key, value in os.environ.items() if key not in DEVELOPMENT_VARIABLES
    }
    return {**inherited, **PRODUCTION_ENV, **overrides}


@functools.cache
def production_settings() -> dict:
    return read_settings(production_env())


def read_settings(env: dict[str, str]) -> dict:
    code = (
        "import json; from django.conf import settings; import django; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {HTTPS_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.django_db
def test_production_passes_the_deployment_checklist_without_warning():
    # Some apps' checks query the database: point them at the test database, which exists
    # even on a fresh machine where the development one does not.
    test_database = connection.settings_dict
    database_url = f"postgres:///{test_database['NAME']}"
    if test_database["HOST"]:
        database_url += f"?host={test_database['HOST']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_to_https_behind_a_proxy():
    values = production_settings()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_https_0_serves_plain_http():
    values = read_settings(production_env(HTTPS="0"))
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_debug_serves_plain_http():
    assert read_settings(production_env(DEBUG="1"))["SECURE_SSL_REDIRECT"] is False


@pytest.fixture
def production_https(settings):
    """This process's settings with the HTTPS values a production server computes."""
    for name, value in production_settings().items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)


def test_plain_http_request_is_redirected_to_https(client, production_https):
    response = client.get("/", headers={"host": "localhost"})
    assert response.status_code == 301
    assert response["Location"] == "https://localhost/"


@pytest.mark.django_db
def test_request_forwarded_as_https_by_the_proxy_is_served(client, production_https):
    response = client.get("/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


@pytest.mark.django_db
def test_load_balancers_probe_health_over_plain_http(client, production_https):
    assert client.get("/sante/").status_code == 200
