"""Small typed readers of environment variables, for the settings and the gunicorn config."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from error


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_required_in_production(name: str, debug: bool, development_default: str) -> str:
    """A value production must be given (DEBUG off): starting without it fails, naming it."""
    value = env_str(name).strip()
    if value:
        return value
    if not debug:
        raise ImproperlyConfigured(
            f"{name} is not set. Production (DEBUG off) refuses to start without it: see the "
            "README's configuration table."
        )
    return development_default
