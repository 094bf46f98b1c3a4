"""The production URLs (config.urls) and, for the benchmark only, /_ceiling/: the cheapest
response the full middleware stack can give, which `make bench` measures every page against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from config.urls import urlpatterns as production_urlpatterns


@never_cache
def ceiling(request: HttpRequest) -> HttpResponse:
    """No query, no template, never cached (never_cache: the page cache passes it by)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path("_ceiling/", ceiling, name="ceiling"), *production_urlpatterns]
