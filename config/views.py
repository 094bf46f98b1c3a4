from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages without an icon link, such as the admin's."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
