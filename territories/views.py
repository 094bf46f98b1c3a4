from django.contrib.postgres.lookups import Unaccent
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from examples.models import Example, ExampleQuerySet, SortOrder

from .map import examples_map
from .matrix import function_matrix
from .models import Departement, Region, Territory


def by_french_name():
    return Unaccent(Lower("name")).asc()


@require_safe
def territory_index(request: HttpRequest) -> HttpResponse:
    departements = Departement.objects.with_published_counts().order_by("code")
    return render(
        request,
        "territories/index.html",
        {
            "regions": Region.objects.with_published_counts()
            .order_by(by_french_name())
            .prefetch_related(Prefetch("departements", queryset=departements)),
            "territories": Territory.objects.with_published_counts().order_by(by_french_name()),
            "france_map": examples_map(Example.objects.published()),
        },
    )


def render_place(
    request: HttpRequest, template: str, examples: ExampleQuerySet, context: dict
) -> HttpResponse:
    examples = examples.published().for_cards().sorted_by(SortOrder.TITRE)
    return render(request, template, {**context, "matrix": function_matrix(examples)})


@require_safe
def departement_detail(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_object_or_404(
        Departement.objects.select_related("region").prefetch_related("territories"),
        code__iexact=code,
    )
    if departement.code != code:
        return redirect(departement, permanent=True)
    return render_place(
        request,
        "territories/departement.html",
        Example.objects.in_departements([departement]),
        {"place": departement},
    )


@require_safe
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    return render_place(
        request,
        "territories/region.html",
        Example.objects.in_regions([region]),
        {
            "place": region,
            "departements": region.departements.with_published_counts().order_by("code"),
        },
    )


@require_safe
def territory_detail(request: HttpRequest, slug: str) -> HttpResponse:
    territory = get_object_or_404(Territory.objects.prefetch_related("departements"), slug=slug)
    return render_place(
        request,
        "territories/territory.html",
        Example.objects.in_territory(territory),
        {"place": territory},
    )
