"""Faire alliance settings: every value comes from the environment, with a development default.

Production (DEBUG off) refuses to start without its secrets.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_required_in_production,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def default_database_url() -> str:
    # `make run` starts a project-local cluster in .pgdata when no PostgreSQL answers;
    # its socket then becomes the default so every command finds the same database.
    local_cluster = BASE_DIR / ".pgdata"
    if (local_cluster / "postmaster.pid").exists():
        return f"postgres:///faire_alliance?host={local_cluster}"
    return "postgres:///faire_alliance"


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) refuses to start without it: "
            "set SECRET_KEY, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who publishes the site, who hosts it and where to write: the legal notice, the accessibility
# statement and the personal data page state them, so production must say (pages/).
PUBLISHER = env_required_in_production("PUBLISHER", DEBUG, "Éditeur non renseigné (développement)")
HOSTING_PROVIDER = env_required_in_production(
    "HOSTING_PROVIDER", DEBUG, "Hébergeur non renseigné (développement)"
)
CONTACT_EMAIL = env_required_in_production("CONTACT_EMAIL", DEBUG, "contact@localhost")

# Production sits behind a TLS-terminating proxy; HTTPS=0 serves plain HTTP locally.
HTTPS = env_bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Load balancers probe the health endpoint over plain HTTP inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Public pages carry no inline script or style, so they never need the nonce and stay
# cacheable; the admin's own tags get it through {% csp_nonce_attr %}.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "upgrade-insecure-requests": HTTPS,
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "django_ratelimit",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "territories",
    "examples",
    "proposals",
    "pages",
    "api",
    "embed",
]
# Development tools: the bench app (bench/), with generate_examples and its record of the rows it
# generated. Never installed in production, so its tables and commands stay out of the
# production schema. On with DEBUG; the test suite runs with DEBUG off, like production, and turns
# them on (pyproject.toml) to test them; `make bench` installs them through bench.settings.
DEV_TOOLS = env_bool("DEV_TOOLS", default=DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    # First, so the logged duration covers the whole stack and redirects are logged too.
    "config.request_logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache: its headers follow each request's Origin, hit or miss, and the
    # page cache stores API responses without them (/api/v1/ only, see CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "config.compression.PublicHtmlGZipMiddleware",
    # Before the page cache, so that a response it serves counts too.
    "api.ratelimit.ApiRateLimitMiddleware",
    "config.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a database outage raised in a view into the French 503 page.
    "config.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "config.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default_database_url()),
        conn_max_age=0,
        conn_health_checks=True,
    )
}
# Short timeouts: with PostgreSQL unreachable a page answers 503 within seconds instead of
# hanging, and a short reconnect_timeout keeps the pool's retry backoff short, so the process
# serves again soon after the database comes back.
DATABASES["default"]["OPTIONS"] = {
    "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
    # Session settings sent when a connection opens. JIT compilation costs tens of milliseconds
    # on big plans and never pays back on a web page's short queries.
    "options": env_str("DB_SESSION_OPTIONS", "-c jit=off"),
    **DATABASES["default"].get("OPTIONS", {}),
    "pool": {
        "min_size": env_int("DB_POOL_MIN_SIZE", 1),
        "max_size": env_int("DB_POOL_MAX_SIZE", 8),
        "timeout": env_int("DB_POOL_TIMEOUT", 3),
        "reconnect_timeout": env_int("DB_POOL_RECONNECT_TIMEOUT", 10),
    },
}

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "faire-alliance"),
            "OPTIONS": {
                "socket_connect_timeout": env_int("REDIS_TIMEOUT", 2),
                "socket_timeout": env_int("REDIS_TIMEOUT", 2),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "faire-alliance",
        }
    }

# Behind a reverse proxy every visitor shares REMOTE_ADDR: name the request.META key that the
# proxy fills with the real client address (e.g. HTTP_X_REAL_IP) so that rate limits and login
# lockouts apply per visitor.
CLIENT_IP_META_KEY = env_str("CLIENT_IP_META_KEY", "REMOTE_ADDR")

# Brute-force protection of the admin login (django-axes).
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Quiet: no banner on every manage.py command; failed logins are still logged.
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"

# Public proposals (/proposer/): per-IP rate limit and request size limit.
RATELIMIT_IP_META_KEY = "config.security.client_ip"
PROPOSAL_RATE_LIMIT = env_str("PROPOSAL_RATE_LIMIT", "5/h")
PROPOSAL_MAX_REQUEST_BYTES = env_int("PROPOSAL_MAX_REQUEST_BYTES", 64 * 1024)
# django-ratelimit only lists django-redis's backend as supported, though Django's own Redis
# backend increments atomically too (W001). It refuses the local-memory cache (E003) because that
# cache is per process; counting still holds in the single process of `make run` and of the
# default gunicorn worker. Set REDIS_URL when running several processes.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + (
    [] if REDIS_URL else ["django_ratelimit.E003"]
)

# The read-only JSON API (/api/v1/, api/): JSON only, no authentication, so no session and no
# cookie; the schema by drf-spectacular. Its pages are cached like the site's (page_cache.py).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every query parameter is the API's own (api/parameters.py): none picks a renderer.
    "URL_FORMAT_OVERRIDE": None,
}
# The licence of the directory's open data, which the API, its schema and the embed name.
DATA_LICENCE = {
    "name": "Licence Ouverte 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Faire alliance",
    "DESCRIPTION": (
        "Les exemples inspirants d’alliances entre associations, entreprises et acteurs "
        "publics, en lecture seule, sous Licence Ouverte 2.0. Documentation en français : "
        f"{SITE_URL}/api/"
    ),
    "VERSION": "1",
    "LICENSE": DATA_LICENCE,
    "SERVERS": [{"url": SITE_URL}],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SORT_OPERATIONS": False,
}
# Any site may read the API from a browser, without credentials: only GET (and the preflight).
CORS_URLS_REGEX = r"^/api/v1/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Retry-After"]
# Requests to /api/v1/ per client address (config.security.client_ip) and per period, cache hits
# included; beyond it, 429 with Retry-After (api/ratelimit.py).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/m")

# Imports in the admin run in one transaction: a file with one bad row imports nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Whole-page cache for anonymous visitors (config/page_cache.py); 0 turns it off. Pages are keyed
# by PostgreSQL's version of the directory, so every process sees a change at once, with Redis
# (one shared copy) or without (a copy per process). The lifetime is a maximum age.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 1_000_000)
# Each process's in-memory index of the published examples (facet counts, orders) follows
# PostgreSQL's version of the directory (examples/directory_version.py). In the background (the
# default), a thread of each process checks that version every DIRECTORY_INDEX_POLL_SECONDS and
# rebuilds the index when it changed, while requests keep the previous one: no request waits on
# a rebuild. Off, a request that finds the index out of date rebuilds it itself, in its own
# transaction (the tests, whose data other connections never see).
DIRECTORY_INDEX_IN_BACKGROUND = env_bool("DIRECTORY_INDEX_IN_BACKGROUND", True)
DIRECTORY_INDEX_POLL_SECONDS = env_float("DIRECTORY_INDEX_POLL_SECONDS", 0.5)
# Trigram similarity (0 to 1) from which a word of the published examples replaces a word of a
# search that no example holds (examples/search_words.py): « numerik » → « numérique » (0.5),
# « catalyzeur » → « catalyseur » (0.57). Below pg_trgm.similarity_threshold (0.3 by default),
# which the trigram index applies first, a lower value changes nothing.
TYPO_SIMILARITY_THRESHOLD = env_float("TYPO_SIMILARITY_THRESHOLD", 0.45)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text', got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.request_logging.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
