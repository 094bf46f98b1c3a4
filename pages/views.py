"""What a French public website owes its visitors beside its content: legal notice,
accessibility statement, personal data, contact and site map."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from examples.exports import LICENCE_NAME, LICENCE_URL
from examples.french import french_order
from examples.models import Category
from territories.models import Departement, Function, Region, Territory

# When the accessibility statement was last reviewed against what the tests check.
ACCESSIBILITY_REVIEWED = "4 décembre 2026"


def site_facts() -> dict[str, str]:
    return {
        "publisher": settings.PUBLISHER,
        "hosting_provider": settings.HOSTING_PROVIDER,
        "contact_email": settings.CONTACT_EMAIL,
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }


@require_safe
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/legal_notice.html", site_facts())


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request, "pages/accessibility.html", {**site_facts(), "reviewed": ACCESSIBILITY_REVIEWED}
    )


@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/personal_data.html", site_facts())


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact.html", site_facts())


@require_safe
def site_map(request: HttpRequest) -> HttpResponse:
    departements = Departement.objects.order_by("code")
    return render(
        request,
        "pages/site_map.html",
        {
            "categories": Category.objects.all(),
            "functions": Function.objects.all(),
            "regions": Region.objects.order_by(french_order("name")).prefetch_related(
                Prefetch("departements", queryset=departements)
            ),
            "territories": Territory.objects.order_by(french_order("name")),
        },
    )
