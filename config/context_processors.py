from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {
        "SITE_NAME": "Faire alliance — exemples inspirants",
        "SITE_URL": settings.SITE_URL,
        # A page whose query string matters (the filtered list) gives its own.
        "canonical_url": settings.SITE_URL + request.path,
    }
