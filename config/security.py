"""Who a request comes from, and what a locked-out login sees (django-axes, django-ratelimit)."""

import ipaddress
import logging

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Where no address can be read, rate limits and lockouts fall back to one bucket shared by
# every such request, rather than failing.
UNKNOWN_CLIENT_IP = "0.0.0.0"


def valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, as rate limits and login lockouts need it: a valid IP address.

    The proxy header named by CLIENT_IP_META_KEY may hold a list (X-Forwarded-For): the proxy
    appends the address it saw, so only the last entry can be trusted, the earlier ones come
    from the client. A header without a valid address (absent, forged) falls back to
    REMOTE_ADDR, which a server on a Unix socket leaves empty.
    """
    proxy_value = request.META.get(settings.CLIENT_IP_META_KEY, "").rsplit(",", 1)[-1]
    address = valid_ip(proxy_value) or valid_ip(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        logger.warning(
            "No valid client address (CLIENT_IP_META_KEY=%s): rate limits and lockouts use %s",
            settings.CLIENT_IP_META_KEY,
            UNKNOWN_CLIENT_IP,
        )
        return UNKNOWN_CLIENT_IP
    return address


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = TemplateResponse(
        request,
        "admin/lockout.html",
        {
            **admin.site.each_context(request),
            "title": "Connexion temporairement bloquée",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": minutes,
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    add_never_cache_headers(response)
    return response.render()
