"""The API's rate limit: API_RATE_LIMIT requests per client address, through django-ratelimit
as the proposal form's, keyed by config.security.client_ip (RATELIMIT_IP_META_KEY).

A middleware rather than a decorator: it sits before the page cache, so that a response the
cache serves counts as much as one the view builds, and an address past its limit is told so
whatever it asks for.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

API_PREFIX = "/api/v1/"
PERIODS = {"s": "seconde", "m": "minute", "h": "heure", "d": "jour"}

logger = logging.getLogger(__name__)


def api_rate(group: str, request: HttpRequest) -> str:
    return settings.API_RATE_LIMIT


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def rate_in_words(rate: str) -> str:
    """« 120 requêtes par minute » for 120/m; « 10 requêtes par période de 5m » for 10/5m."""
    count, _, period = rate.partition("/")
    unit = PERIODS.get(period)
    return f"{plural(int(count), 'requête')} par {unit or f'période de {period}'}"


def too_many_requests(seconds: int) -> HttpResponse:
    response = JsonResponse(
        {
            "detail": "Trop de requêtes depuis votre adresse\u00a0: l’API en accepte "
            f"{rate_in_words(settings.API_RATE_LIMIT)}. "
            f"Réessayez dans {plural(seconds, 'seconde')}."
        },
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


class ApiRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and request.method in {"GET", "HEAD"}:
            try:
                usage = get_usage(request, group="api", key="ip", rate=api_rate, increment=True)
            except RedisError:
                logger.exception("API rate limit unavailable: serving without it")
                usage = None
            if usage and usage["should_limit"]:
                return too_many_requests(max(1, int(usage["time_left"])))
        return self.get_response(request)
