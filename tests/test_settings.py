import os
import subprocess
import sys

from django.conf import settings

from config import settings as settings_module


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_starts_without_secret_key():
    assert run_settings({"DEBUG": "1"}).returncode == 0


def test_production_starts_with_secret_key():
    assert run_settings({"SECRET_KEY": "x" * 50}).returncode == 0


def test_debug_is_off_unless_set():
    assert settings.DEBUG is False


def test_french_locale_and_paris_time():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"


def test_database_uses_connection_pool():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["pool"]["max_size"] >= 1
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "yes")
    monkeypatch.setenv("SOME_LIST", "a.example, b.example,")
    monkeypatch.setenv("SOME_INT", "12")
    assert settings_module.env_bool("SOME_FLAG") is True
    assert settings_module.env_bool("MISSING_FLAG", default=True) is True
    assert settings_module.env_list("SOME_LIST") == ["a.example", "b.example"]
    assert settings_module.env_int("SOME_INT", 3) == 12
    assert settings_module.env_int("MISSING_INT", 3) == 3


def test_redis_cache_when_redis_url_is_set():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.CACHES['default']['BACKEND'])",
        ],
        env={**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/1"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
