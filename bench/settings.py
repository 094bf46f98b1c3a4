"""The production settings, plus the benchmark's trivial view (bench/urls.py) and the bench app
(generate_examples, and its record of the rows it generated): `make bench` builds its database
and serves the app with DJANGO_SETTINGS_MODULE=bench.settings. Production never mounts
/_ceiling/ and never installs the bench app."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

ROOT_URLCONF = "bench.urls"

# A new list: config.settings' own stays as production has it.
if "bench" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
