"""Pages of the API's long lists (examples, partners): `page` and `par_page`, and an envelope
with French names like the exports' columns."""

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from .parameters import PAGINATION, whole_number

PER_PAGE = 20
MAX_PER_PAGE = 100


class PageNumbers(BasePagination):
    page: Page
    request: Request

    def paginate_queryset(
        self, queryset: QuerySet | Sequence | np.ndarray, request: Request, view=None
    ) -> list:
        """The items of the page asked for: a QuerySet's rows, or the ids of an array (the
        directory index's result, given to the ORM as plain ints)."""
        per_page = whole_number(request, "par_page", PER_PAGE, MAX_PER_PAGE)
        number = whole_number(request, "page", 1)
        paginator = Paginator(queryset, per_page)
        if number > paginator.num_pages:
            raise NotFound(
                f"La page {number} n’existe pas\u00a0: cette liste compte "
                f"{paginator.num_pages} page{'s' if paginator.num_pages > 1 else ''}."
            )
        self.page = paginator.page(number)
        self.request = request
        items = self.page.object_list
        return items.tolist() if isinstance(items, np.ndarray) else list(items)

    def link(self, number: int | None) -> str | None:
        if number is None:
            return None
        query = self.request.query_params.copy()
        query["page"] = str(number)
        return f"{settings.SITE_URL}{self.request.path}?{query.urlencode()}"

    def get_paginated_response(self, data: Any) -> Response:
        page = self.page
        return Response(
            {
                "total": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "par_page": page.paginator.per_page,
                "suivante": self.link(page.next_page_number() if page.has_next() else None),
                "precedente": self.link(
                    page.previous_page_number() if page.has_previous() else None
                ),
                "resultats": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["total", "page", "pages", "par_page", "suivante", "precedente"],
            "properties": {
                "total": {"type": "integer", "description": "Nombre de résultats en tout."},
                "page": {"type": "integer", "description": "Numéro de cette page."},
                "pages": {"type": "integer", "description": "Nombre de pages."},
                "par_page": {"type": "integer", "description": "Résultats par page."},
                "suivante": {**link, "description": "Adresse de la page suivante, ou null."},
                "precedente": {**link, "description": "Adresse de la page précédente, ou null."},
                "resultats": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "integer", "minimum": 1}
                | ({"maximum": MAX_PER_PAGE} if name == "par_page" else {}),
            }
            for name, description in PAGINATION.items()
        ]
