from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from examples.directory_index import DirectoryIndex
from examples.facets import Facet
from examples.french import french_order

from .map import directory_map
from .matrix import function_matrix
from .models import Departement, Region, Territory
from .provenance import TerritoryEditorial, with_editorial_content


def counted_regions(index: DirectoryIndex) -> list[Region]:
    """Every région by name, each with its `published_count` and its `counted_departements`
    by code, each with its own: two queries, however many examples."""
    departements = index.with_counts(
        Facet.DEPARTEMENT, Departement.objects.select_related("region").order_by("code")
    )
    regions = index.with_counts(Facet.REGION, Region.objects.order_by(french_order("name")))
    for region in regions:
        region.counted_departements = [d for d in departements if d.region_id == region.pk]
    return regions


@require_safe
def territory_index(request: HttpRequest) -> HttpResponse:
    index = DirectoryIndex.current()
    return render(
        request,
        "territories/index.html",
        {
            "regions": counted_regions(index),
            "territories": index.with_counts(
                Facet.TERRITOIRE, Territory.objects.order_by(french_order("name"))
            ),
            "france_map": directory_map(index),
        },
    )


@require_safe
def region_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "territories/regions.html",
        {"regions": counted_regions(DirectoryIndex.current())},
    )


@require_safe
def departement_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "territories/departements.html",
        {"regions": counted_regions(DirectoryIndex.current())},
    )


def render_place(
    request: HttpRequest, template: str, facet: Facet, place, index: DirectoryIndex, **extra
) -> HttpResponse:
    """A département, région or named territory: its examples in the fiche's matrix of the
    four functions, each column linking to the list filtered on that place."""
    key = place.slug if facet == Facet.TERRITOIRE else place.code
    return render(
        request,
        template,
        {
            "place": place,
            "place_query": urlencode({str(facet): key}),
            "matrix": function_matrix(index, index.having(facet, [place])),
            **extra,
        },
    )


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
        Facet.DEPARTEMENT,
        departement,
        DirectoryIndex.current(),
    )


@require_safe
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    index = DirectoryIndex.current()
    return render_place(
        request,
        "territories/region.html",
        Facet.REGION,
        region,
        index,
        departements=index.with_counts(Facet.DEPARTEMENT, region.departements.order_by("code")),
    )


@require_safe
def territory_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The editorial content (sources, partners, function carriers) comes with the territory,
    # in the same query.
    territory = get_object_or_404(
        with_editorial_content(Territory.objects.prefetch_related("departements")), slug=slug
    )
    return render_place(
        request,
        "territories/territory.html",
        Facet.TERRITOIRE,
        territory,
        DirectoryIndex.current(),
        editorial=TerritoryEditorial.of(territory),
    )
