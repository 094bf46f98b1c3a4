from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

EXAMPLES_PER_PAGE = 20


def requested_page(
    request: HttpRequest, queryset: QuerySet | Sequence, per_page: int = EXAMPLES_PER_PAGE
) -> Page:
    """The page the URL asks for. Anything that is not a page number gives the first page, a
    number past the end gives the last one: a shared or bookmarked link never fails."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    return Paginator(queryset, per_page).get_page(number)
