"""`/sante/`: what a load balancer asks before sending traffic to this process."""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: database unreachable", exc_info=True)
        return ERROR
    return OK


def cache_status() -> str:
    # A key of its own: processes sharing a Redis must not read each other's check.
    key = f"health-check-{secrets.token_hex(8)}"
    try:
        cache.set(key, OK, timeout=10)
        readable = cache.get(key) == OK
        cache.delete(key)
    except Exception:
        # Every cache backend has its own connection errors (redis, memcached…).
        logger.warning("Health check: cache unreachable", exc_info=True)
        return ERROR
    return OK if readable else ERROR


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "cache": cache_status()}
    healthy = all(status == OK for status in checks.values())
    return JsonResponse(
        {"status": OK if healthy else ERROR, **checks}, status=200 if healthy else 503
    )
