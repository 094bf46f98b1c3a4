"""The production settings, plus the benchmark's trivial view (bench/urls.py): `make bench`
serves the app with DJANGO_SETTINGS_MODULE=bench.settings. Production never mounts /_ceiling/."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
