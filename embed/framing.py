"""The one exception to the site's refusal to be framed (X-Frame-Options: DENY and the CSP's
frame-ancestors 'none'): the embeddable selection, which any site may frame."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP, build_policy
from django.views.decorators.clickjacking import xframe_options_exempt


def frameable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any site may frame the view's page; the rest of its policy stays the site's."""

    @wraps(view)
    def framed(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # The header itself, not csp_override()'s attribute: the page cache stores headers, and
        # the CSP middleware, outside it, would give a stored page the site's own policy. It
        # leaves a header a view set. These pages use no nonce, so the policy needs none.
        policy = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}
        # The stubs forget that a directive may be a boolean (upgrade-insecure-requests).
        response[str(CSP.HEADER_ENFORCE)] = build_policy(policy)  # type: ignore[arg-type]
        return response

    return xframe_options_exempt(framed)
