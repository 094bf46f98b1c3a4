"""Error responses that Django's default handlers don't cover: CSRF failure, rate limit, 503.

Like 400.html, 403.html, 404.html and 500.html, their templates render without the database.
"""

from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

RETRY_AFTER_SECONDS = 30


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """For the rate limiter (e.g. django-ratelimit's RATELIMIT_VIEW)."""
    return temporary_failure(render(request, "429.html", status=429))


def temporary_failure(response: HttpResponse) -> HttpResponse:
    """Ask the client to come back later, and every cache not to keep the failure."""
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def database_unavailable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The French 503 page, logged with the database error that caused it."""
    response = temporary_failure(render(request, "503.html", status=503))
    log_response(
        "Database unavailable: %s",
        request.path,
        response=response,
        request=request,
        exception=exception,
    )
    return response


class DatabaseUnavailableMiddleware:
    """A page that cannot reach PostgreSQL answers 503 and a French message, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # OperationalError covers a refused connection and the pool's timeout; InterfaceError a
        # connection that died under the request.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)
