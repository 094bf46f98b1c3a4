import os
import shutil
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from examples.directory_refresh import keeper
from tests.curation import make_editor, make_moderator

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Property-based tests: a quick random sample while developing (failures are replayed from
# .hypothesis/), a larger and reproducible one in CI (HYPOTHESIS_PROFILE=ci). Each example is a
# request through the whole stack, whose time varies with the machine: no deadline.
hypothesis_settings.register_profile("dev", max_examples=60, deadline=None)
hypothesis_settings.register_profile(
    "ci", max_examples=150, deadline=None, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the fiche loaded, as `make run` leaves it."""
    with django_db_blocker.unblock():
        call_command("load_fiche", stdout=StringIO())


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage needs `collectstatic`; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Many tests create staff accounts: the production hasher's deliberate slowness would
    # dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate limit counters live in the cache (per client address, and every test client comes
    # from 127.0.0.1): without this, one test's proposals would count against the next.
    cache.clear()


@pytest.fixture
def fiche(transactional_db):
    """For tests that flush the database (live server): load the fiche again."""
    call_command("load_fiche", stdout=StringIO())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian « chromium »."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def moderator(db):
    return make_moderator()


@pytest.fixture
def kept_index():
    """A process whose directory index starts from nothing and is forgotten afterwards."""
    cache.clear()
    keeper.index = None
    yield
    keeper.index = None
