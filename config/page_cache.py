"""Whole-page cache for anonymous visitors, through Django's cache framework.

A page is stored under the directory's version, the htmx header and the absolute URL (path and
query string). The version is PostgreSQL's (examples/directory_version.py): any write to what
public pages read, by whatever path, changes it, which orphans every stored page, for every
worker of every app server, with Redis or with each process's own local memory. Each request
takes it once, as its process knows it (directory_version.latest(): with the background refresh,
what the process's thread last read, so a hit costs no query), the directory index reusing it.
Orphaned pages expire after PAGE_CACHE_SECONDS.

Pages are stored compressed (gzip) and sent so to clients that accept it. Only anonymous GET/HEAD
requests without cookies (but the CSRF one) are served from or stored in the cache, and only 200
responses that set no cookie, are not marked private/no-store/no-cache, vary on nothing the key
does not hold, and carry no CSP nonce (a stored nonce would be stale).
"""

import gzip
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import split_header_value
from django.utils.regex_helper import _lazy_re_compile
from redis.exceptions import RedisError

from config.errors import database_unavailable
from examples import directory_version

NEVER_CACHED_PREFIXES = ("/admin/", "/proposer/", "/sante/", "/_ceiling/")
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}
# A page may vary on these: the key holds HX-Request, requests with a session or any other
# personal cookie never use the cache, and the site speaks one language.
VARY_HEADERS_KEYED = {"cookie", "accept-language", "hx-request"}
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")

logger = logging.getLogger(__name__)


# The version read for the request being served, once read: {} until then; None outside a
# request (a command, a thread), where each call reads it.
_request_generation: ContextVar[dict | None] = ContextVar("page_cache_generation", default=None)


def current_generation() -> int:
    """The directory's version, as this process knows it (directory_version.latest()), once
    per GET or HEAD request; read from PostgreSQL for a request that writes, which must see
    its own change."""
    memo = _request_generation.get()
    if memo is None:
        return directory_version.read()
    if "generation" not in memo:
        memo["generation"] = directory_version.latest()
    return memo["generation"]


def served_out_of_date() -> None:
    """Say that this request's page comes from an index older than the version it read
    (examples/directory_refresh.py): it must not be stored under that version."""
    memo = _request_generation.get()
    if memo is not None:
        memo["out_of_date"] = True


def is_out_of_date() -> bool:
    memo = _request_generation.get()
    return bool(memo and memo.get("out_of_date"))


@contextmanager
def one_read_per_request(request: HttpRequest) -> Iterator[None]:
    """Within it, current_generation() reads the version once. Only for GET and HEAD, which
    write nothing: a request that writes must see its own change."""
    if request.method not in {"GET", "HEAD"}:
        yield
        return
    token = _request_generation.set({})
    try:
        yield
    finally:
        _request_generation.reset(token)


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
    """Place it right after WhiteNoise, before the session middleware: a hit then costs one
    indexed read of the version and one cache read, and a stored response already holds the
    headers the inner middleware set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with one_read_per_request(request):
            return self.respond(request)

    def respond(self, request: HttpRequest) -> HttpResponse:
        lifetime = settings.PAGE_CACHE_SECONDS
        if not lifetime:
            return self.get_response(request)
        if not is_cacheable_request(request):
            response = self.get_response(request)
            response.headers.setdefault("X-Cache", "BYPASS")
            return response
        try:
            key = cache_key(request, current_generation())
        except (OperationalError, InterfaceError) as error:
            # The page would need the database too: answer at once rather than wait for the
            # connection pool a second time.
            return database_unavailable(request, error)
        try:
            stored = cache.get(key)
        except RedisError:
            logger.exception("Page cache unavailable: serving without it")
            return self.get_response(request)
        if stored is not None:
            status, headers, body = stored
            response = self.encoded(request, HttpResponse(status=status, headers=headers), body)
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response) and not is_out_of_date():
            body = gzip.compress(response.content, mtime=0)
            headers = {
                name: value for name, value in response.items() if name.lower() != "content-length"
            }
            try:
                cache.set(key, (200, headers, body), lifetime)
            except RedisError:
                logger.exception("Page not stored in the cache")
            response = self.encoded(request, response, body)
        response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def encoded(request: HttpRequest, response: HttpResponse, body: bytes) -> HttpResponse:
        """The response with the stored, compressed `body`, as the client accepts it. Only
        pages fit for the cache are compressed: none holds a secret (a CSRF token comes with a
        cookie, which keeps a page out), so compression cannot leak one (BREACH)."""
        if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response.content = body
            response["Content-Encoding"] = "gzip"
        else:
            response.content = gzip.decompress(body)
        response["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ["Accept-Encoding"])
        return response
