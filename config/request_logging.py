"""One structured log line per request, and request context on every error record."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

logger = logging.getLogger("faire_alliance.requests")


def loaded_user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already loaded its user.

    Logging must never query the database: it may be down, or the transaction broken.
    """
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk


def request_context(request: HttpRequest) -> dict[str, Any]:
    return {"method": request.method, "path": request.path, "user_id": loaded_user_id(request)}


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "%s %s %s %sms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                **request_context(request),
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line; records carrying a request (Django's error logs) get its context.

    The request object itself is left out: its repr says little and may be long.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["asctime", "levelname", "name", "message"])
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        super().__init__(*args, **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            for key, value in request_context(request).items():
                log_data.setdefault(key, value)
        if record.exc_info and record.exc_info[1] is not None:
            error_type = record.exc_info[0]
            name = error_type.__qualname__
            if error_type.__module__ != "builtins":
                name = f"{error_type.__module__}.{name}"
            log_data["exception"] = f"{name}: {record.exc_info[1]}"
