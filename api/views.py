"""The API's examples, its index of addresses, and the French page that documents it (/api/).

The list is the directory's list (/exemples/): the same filters, search and order, counted and
ordered by the directory index, only the page's examples fetched (api/queries.py).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from embed.views import HEIGHT_MESSAGE
from examples.directory_index import DirectoryIndex
from examples.models import Example

from .endpoints import ENDPOINTS, SCHEMA_ROUTES
from .pagination import MAX_PER_PAGE, PER_PAGE, PageNumbers
from .parameters import (
    EXAMPLE_FILTERS,
    PAGINATION,
    check_parameters,
    example_filter_parameters,
    valid_example_filter,
)
from .queries import listed_examples, published_example
from .ratelimit import rate_in_words
from .schema import documented
from .serializers import ExampleDetailSerializer, ExampleSerializer


class ExampleList(generics.ListAPIView):
    serializer_class = ExampleSerializer
    pagination_class = PageNumbers
    queryset = Example.objects.none()  # the examples come from the directory index

    @documented(
        "Les exemples publiés",
        ExampleSerializer(many=True),
        description="Filtrés, cherchés et ordonnés comme la liste du site (/exemples/), "
        "par pages. Une valeur inconnue ou un paramètre inconnu\u00a0: 400.",
        parameters=example_filter_parameters(),
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        filterset = valid_example_filter(request)
        pages = PageNumbers()
        ids = pages.paginate_queryset(filterset.results().ids, request)
        examples = listed_examples(ids, filterset.index)
        return pages.get_paginated_response(self.get_serializer(examples, many=True).data)


class ExampleDetail(generics.RetrieveAPIView):
    serializer_class = ExampleDetailSerializer
    queryset = Example.objects.none()

    @documented(
        "Un exemple publié, avec ses partenaires, raisons et sources", ExampleDetailSerializer
    )
    def get(self, request: Request, slug: str) -> Response:
        check_parameters(request, [])
        example = published_example(slug, DirectoryIndex.current())
        if example is None:
            raise NotFound(f"Aucun exemple publié n’a le slug «\u00a0{slug}\u00a0».")
        return Response(self.get_serializer(example).data)


class ApiRoot(APIView):
    @documented("Les adresses de l’API, du schéma et de la documentation", OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        check_parameters(request, [])
        return Response(
            {
                **{name: settings.SITE_URL + reverse(route) for name, route, _ in ENDPOINTS},
                **{name: settings.SITE_URL + reverse(route) for name, route in SCHEMA_ROUTES},
                "documentation": settings.SITE_URL + reverse("api:documentation"),
                "licence": {
                    "nom": settings.DATA_LICENCE["name"],
                    "url": settings.DATA_LICENCE["url"],
                },
            }
        )


def example_field_docs() -> list[tuple[str, str, bool]]:
    """Each field of an example with its help text (the schema's description) and whether
    only the detail gives it, for the documentation page."""
    listed = ExampleSerializer().fields
    return [
        (name, str(field.help_text or field.label or ""), name not in listed)
        for name, field in ExampleDetailSerializer().fields.items()
    ]


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    api_root = settings.SITE_URL + reverse("api:root")
    return render(
        request,
        "api/documentation.html",
        {
            "api_root": api_root,
            "endpoints": [
                (settings.SITE_URL + reverse(route), description)
                for _, route, description in ENDPOINTS
            ],
            "schemas": {name: settings.SITE_URL + reverse(route) for name, route in SCHEMA_ROUTES},
            "filters": EXAMPLE_FILTERS.items(),
            "pagination": PAGINATION.items(),
            "per_page": PER_PAGE,
            "max_per_page": MAX_PER_PAGE,
            "example_fields": example_field_docs(),
            "rate": rate_in_words(settings.API_RATE_LIMIT),
            "licence_url": settings.DATA_LICENCE["url"],
            "height_message": HEIGHT_MESSAGE,
            "site_url": settings.SITE_URL,
            "canonical_url": settings.SITE_URL + request.path,
        },
    )
