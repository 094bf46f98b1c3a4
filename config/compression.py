"""Gzip for the HTML pages the page cache did not compress (config/page_cache.py stores and sends
its pages compressed): those it is off for, too large for it, or that vary on what it does not
key on, such as the list's htmx updates.

A compressed page whose text mixes what a visitor sends (a search) with a secret lets an
attacker who watches its length guess the secret byte by byte (BREACH). So only the pages the
page cache could serve are compressed, none of which holds a secret: anonymous requests
without a session or any other personal cookie, answered without a cookie nor a CSRF token.
Django's GZipMiddleware adds its random padding besides.
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from config.page_cache import is_cacheable_request


def holds_no_secret(request: HttpRequest, response: HttpResponseBase) -> bool:
    # get_token() sets the flag on the request for any page that renders a CSRF token, and
    # CsrfViewMiddleware only resets it to False once the cookie is sent.
    return (
        is_cacheable_request(request)
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and not response.cookies
    )


class PublicHtmlGZipMiddleware(GZipMiddleware):
    """Place it before the page cache, which it leaves alone: a response already compressed
    carries a Content-Encoding, which GZipMiddleware never compresses again."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if not holds_no_secret(request, response):
            return response
        return super().process_response(request, response)
