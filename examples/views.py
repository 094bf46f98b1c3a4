from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from territories.models import Departement, Function

from .filters import ExampleFilter
from .models import RESOURCE_GROUP_TITLES, Category, Era, Example, KeyFigure, Resource, SortOrder
from .pagination import requested_page

LATEST_EXAMPLES_ON_HOME = 6
RELATED_EXAMPLES = 6
FILTER_FORM_ID = "filtres"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "examples/home.html",
        {
            "categories": Category.objects.with_published_counts(),
            "functions": Function.objects.with_published_counts(),
            "key_figures": KeyFigure.objects.all(),
            "eras": Era.objects.prefetch_related("categories"),
            "latest_examples": Example.objects.latest_published().for_cards()[
                :LATEST_EXAMPLES_ON_HOME
            ],
            "published_count": Example.objects.published().count(),
        },
    )


def is_htmx_swap(request: HttpRequest) -> bool:
    # A history restore after a cache miss wants the whole page back.
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
@vary_on_headers("HX-Request")
def example_list(request: HttpRequest) -> HttpResponse:
    filterset = ExampleFilter(request.GET, queryset=Example.objects.published())
    page = requested_page(request, filterset.qs.for_cards())
    htmx_swap = is_htmx_swap(request)
    context = {
        "filterset": filterset,
        "page": page,
        "facets": filterset.facets(),
        "active_filters": filterset.active_filters(),
        "problems": filterset.problems(),
        "htmx_swap": htmx_swap,
        # The form sent what its search box holds: replacing the box would lose what the
        # visitor typed since. A link (chip, sort, page) may change the search or the sort.
        "swap_search_field": htmx_swap and request.htmx.trigger != FILTER_FORM_ID,
    }
    template = "examples/list.html#results" if htmx_swap else "examples/list.html"
    return render(request, template, context)


@require_safe
def example_detail(request: HttpRequest, slug: str) -> HttpResponse:
    example = get_object_or_404(
        Example.objects.visible_to(request.user)
        .select_related("territory")
        .prefetch_related(
            "categories",
            "functions",
            "themes",
            Prefetch("departements", queryset=Departement.objects.select_related("region")),
            "partners",
        ),
        slug=slug,
    )
    response = render(
        request,
        "examples/detail.html",
        {
            "example": example,
            "related_examples": Example.objects.related_to(example).for_cards()[:RELATED_EXAMPLES],
        },
    )
    if not example.is_published:
        # A staff preview must never be kept by a cache and served to someone else.
        add_never_cache_headers(response)
    return response


@require_safe
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category.objects.select_related("era"), slug=slug)
    examples = Example.objects.published().in_categories([category]).sorted_by(SortOrder.TITRE)
    return render(
        request,
        "examples/category.html",
        {"category": category, "page": requested_page(request, examples.for_cards())},
    )


@require_safe
def function_detail(request: HttpRequest, slug: str) -> HttpResponse:
    function = get_object_or_404(Function.objects.prefetch_related("activities"), slug=slug)
    examples = Example.objects.published().with_functions([function]).sorted_by(SortOrder.TITRE)
    return render(
        request,
        "examples/function.html",
        {"function": function, "page": requested_page(request, examples.for_cards())},
    )


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    resources = Resource.objects.all()
    return render(
        request,
        "examples/about.html",
        {
            "categories": Category.objects.select_related("era"),
            "eras": Era.objects.all(),
            "functions": Function.objects.all(),
            "resource_groups": [
                (title, group)
                for kind, title in RESOURCE_GROUP_TITLES.items()
                if (group := [resource for resource in resources if resource.kind == kind])
            ],
        },
    )
