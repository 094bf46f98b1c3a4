"""The one exception to the site's refusal to be framed (X-Frame-Options: DENY and the CSP's
frame-ancestors 'none'): the embeddable selection, which any site may frame."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt


def frameable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any site may frame the view's page; the rest of its policy stays the site's."""

    @wraps(view)
    def framed(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # Read at each response, so that the policy is the one in force (tests change it).
        response._csp_config = {  # type: ignore[attr-defined]  # what csp_override() sets
            **settings.SECURE_CSP,
            "frame-ancestors": ["*"],
        }
        return response

    return xframe_options_exempt(framed)
