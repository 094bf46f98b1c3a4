"""Whole-page cache for anonymous visitors, through Django's cache framework.

A page is stored under the site-wide *generation*, the htmx header and the absolute URL (path and
query string). Any change to the directory's content bumps the generation
(examples/cache_invalidation.py), which orphans every stored page at once: invalidation costs one
increment whatever the number of pages, and every app server sharing the Redis cache sees it.
Orphaned pages expire after PAGE_CACHE_SECONDS.

Only anonymous GET/HEAD requests without cookies (but the CSRF one) are served from or stored in
the cache, and only 200 responses that set no cookie, are not marked private/no-store/no-cache,
vary on nothing the key does not hold, and carry no CSP nonce (a stored nonce would be stale).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.http import split_header_value
from redis.exceptions import RedisError

GENERATION_KEY = "page-cache:generation"
NEVER_CACHED_PREFIXES = ("/admin/", "/proposer/", "/sante/", "/_ceiling/")
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}
# A page may vary on these: the key holds HX-Request, requests with a session or any other
# personal cookie never use the cache, and the site speaks one language.
VARY_HEADERS_KEYED = {"cookie", "accept-language", "hx-request"}
CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")

logger = logging.getLogger(__name__)


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock rather than 1: if the key is ever evicted, a generation that
        # pages were stored under never comes back.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def invalidate() -> None:
    """Make every stored page stale, for all app servers sharing the cache."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    except RedisError:
        logger.exception("Page cache not invalidated: pages may stay stale for their lifetime")


def is_cacheable_request(request: HttpRequest) -> bool:
    # Cookies carry what is personal to a visitor (a session, a flash message waiting to be
    # shown): only the CSRF cookie, which changes nothing on a GET page, is allowed.
    return (
        request.method in {"GET", "HEAD"}
        and not request.path.startswith(NEVER_CACHED_PREFIXES)
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
        and "Authorization" not in request.headers
    )


def is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or getattr(request, "_csp_nonce", None):
        return False
    directives = {
        directive.split("=", 1)[0].strip().lower()
        for directive in split_header_value(response.get("Cache-Control", ""))
    }
    if directives & UNCACHEABLE_DIRECTIVES:
        return False
    varies = {header.lower() for header in split_header_value(response.get("Vary", ""))}
    if varies - VARY_HEADERS_KEYED:
        return False
    if any("'nonce-" in response.get(header, "") for header in CSP_HEADERS):
        return False
    return len(response.content) <= settings.PAGE_CACHE_MAX_BYTES


def cache_key(request: HttpRequest, generation: int) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    htmx = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    return f"page-cache:{generation}:{htmx}:{url}"


class AnonymousPageCacheMiddleware:
    """Place it right after WhiteNoise, before the session middleware: a hit then costs two
    cache reads, and a stored response already holds the headers the inner middleware set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lifetime = settings.PAGE_CACHE_SECONDS
        if not lifetime:
            return self.get_response(request)
        if not is_cacheable_request(request):
            response = self.get_response(request)
            response.headers.setdefault("X-Cache", "BYPASS")
            return response
        try:
            key = cache_key(request, current_generation())
            stored = cache.get(key)
        except RedisError:
            logger.exception("Page cache unavailable: serving without it")
            return self.get_response(request)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            try:
                cache.set(key, (200, dict(response.items()), response.content), lifetime)
            except RedisError:
                logger.exception("Page not stored in the cache")
        response["X-Cache"] = "MISS"
        return response
