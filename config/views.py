from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


@never_cache
def ceiling(request: HttpRequest) -> HttpResponse:
    """The cheapest response the full middleware stack can give, without a query: the
    benchmark (make bench) measures every page against it."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages without an icon link, such as the admin's."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
