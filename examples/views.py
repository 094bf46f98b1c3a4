from collections.abc import Callable
from operator import attrgetter
from urllib.parse import urlsplit

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from territories.function_table import function_table
from territories.map import directory_map, france_map
from territories.models import Function

from .directory_index import DirectoryIndex
from .exports import LICENCE, LICENCE_LINK, csv_lines, json_chunks, stream_records
from .facets import PAGE_RELATIONS, PLACE_FILTERS, Facet
from .fiche import RESOURCE_GROUP_TITLES, Era, KeyFigure, Resource, ResourceKind
from .filters import ExampleFilter, is_blank_search
from .french import french_order
from .models import Category, Example, Partner
from .pagination import requested_page
from .partner_kinds import grouped_by_kind
from .structured_data import example_structured_data

LATEST_EXAMPLES_ON_HOME = 6
RELATED_EXAMPLES = 6
FILTER_FORM_ID = "filtres"
# The parameters the list's map does not depend on: it counts the results without their place
# filters, and links each département with the others (list_filtered_by_departement).
NOT_MAPPED = (*PLACE_FILTERS, "page")
# Nor do the facets depend on these.
NOT_FACETED = ("page", "tri")
# What an htmx update of the list leaves out depends on the page it updates and on what sent it.
HTMX_UPDATE_VARIES_ON = ("HX-Current-URL", "HX-Trigger", "HX-History-Restore-Request")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    index = DirectoryIndex.current()
    return render(
        request,
        "examples/home.html",
        {
            "categories": index.with_counts(Facet.CATEGORIE, Category.objects.all()),
            "functions": index.with_counts(Facet.FONCTION, Function.objects.all()),
            "key_figures": KeyFigure.objects.all(),
            "eras": Era.objects.all(),
            "latest_examples": index.latest(LATEST_EXAMPLES_ON_HOME),
            "published_count": index.size,
            "france_map": directory_map(index),
        },
    )


class HtmxHttpRequest(HttpRequest):
    """A request through django-htmx's middleware, as its documentation types it."""

    htmx: HtmxDetails


def is_htmx_swap(request: HtmxHttpRequest) -> bool:
    # A history restore after a cache miss wants the whole page back.
    return bool(request.htmx) and not request.htmx.history_restore_request


def without(query: QueryDict, names: tuple[str, ...]) -> QueryDict:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept


def list_filtered_by_departement(request: HttpRequest) -> Callable[[str], str]:
    """Links of the list's map: the current filters, in that département instead."""
    kept = without(request.GET, NOT_MAPPED)
    query = f"{kept.urlencode()}&" if kept else ""
    prefix = f"{reverse('examples:list')}?{query}"
    return lambda code: f"{prefix}{Facet.DEPARTEMENT}={code}"


def selection_query(request: HttpRequest) -> str:
    """The list's filters as a query string for the exports and the feed: every result, not
    one page of them."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"?{query.urlencode()}" if query else ""


def without_blank_search(request: HttpRequest) -> str | None:
    """The list's address without the empty search box the form sends without JavaScript,
    or None when the address holds no blank search."""
    searches = request.GET.getlist("q")
    kept = [text for text in searches if not is_blank_search(text)]
    if len(kept) == len(searches):
        return None
    query = request.GET.copy()
    query.setlist("q", kept)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def shows_the_same(request: HtmxHttpRequest, ignored: tuple[str, ...]) -> bool:
    """Whether the list page an htmx request updates (HX-Current-URL) has the request's
    parameters but `ignored`: what depends on the others alone is already on that page."""
    current = request.htmx.current_url_abs_path
    if current is None:
        return False
    url = urlsplit(current)

    def compared(query: QueryDict) -> list[tuple[str, list[str]]]:
        return sorted((name, sorted(values)) for name, values in without(query, ignored).lists())

    return url.path == request.path and compared(QueryDict(url.query)) == compared(request.GET)


@require_safe
@vary_on_headers("HX-Request")
def example_list(request: HtmxHttpRequest) -> HttpResponse:
    if location := without_blank_search(request):
        return HttpResponseRedirect(location)
    filterset = ExampleFilter(request.GET)
    page = requested_page(request, filterset.results())
    htmx_swap = is_htmx_swap(request)
    # An htmx update sends the map and the facets only when they changed (the map's outlines,
    # never: _france_map.html).
    send_map = not htmx_swap or not shows_the_same(request, NOT_MAPPED)
    send_facets = not htmx_swap or not shows_the_same(request, NOT_FACETED)
    context = {
        "filterset": filterset,
        "france_map": (
            france_map(*filterset.map_counts(), url_for=list_filtered_by_departement(request))
            if send_map
            else None
        ),
        "send_map": send_map,
        "selection_query": selection_query(request),
        "licence": LICENCE,
        "canonical_url": settings.SITE_URL + request.get_full_path(),
        "page": page,
        "facets": filterset.facets() if send_facets else [],
        "send_facets": send_facets,
        "active_filters": filterset.active_filters(),
        "problems": filterset.problems(),
        "htmx_swap": htmx_swap,
        # The form sent what its search box holds: replacing the box would lose what the
        # visitor typed since. A link (chip, sort, page) may change the search or the sort.
        "swap_search_field": htmx_swap and request.htmx.trigger != FILTER_FORM_ID,
    }
    template = "examples/list.html#results" if htmx_swap else "examples/list.html"
    response = render(request, template, context)
    if request.htmx:
        patch_vary_headers(response, HTMX_UPDATE_VARIES_ON)
    return response


@require_safe
def example_detail(request: HttpRequest, slug: str) -> HttpResponse:
    example = get_object_or_404(
        Example.objects.visible_to(request.user)
        .select_related("territory")
        .with_relation_ids(*PAGE_RELATIONS),
        slug=slug,
    )
    index = DirectoryIndex.current()
    relations = index.relations_of(example)
    partner_links = list(example.partner_links())
    response = render(
        request,
        "examples/detail.html",
        {
            "example": example,
            "relations": relations,
            "partner_groups": grouped_by_kind(partner_links, attrgetter("partner.kind")),
            "classifications": example.classifications(),
            "sources": example.sources.all(),
            "figures": example.figures.all(),
            "structured_data": example_structured_data(
                example, relations, [link.partner for link in partner_links], settings.SITE_URL
            ),
            "related_examples": index.related(example, relations, RELATED_EXAMPLES),
        },
    )
    if not example.is_published:
        # A staff preview must never be kept by a cache and served to someone else.
        add_never_cache_headers(response)
    return response


@require_safe
def category_index(request: HttpRequest) -> HttpResponse:
    index = DirectoryIndex.current()
    return render(
        request,
        "examples/categories.html",
        {"categories": index.with_counts(Facet.CATEGORIE, Category.objects.select_related("era"))},
    )


@require_safe
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category.objects.select_related("era"), slug=slug)
    examples = DirectoryIndex.current().results(Facet.CATEGORIE, category)
    return render(
        request,
        "examples/category.html",
        {
            "category": category,
            "page": requested_page(request, examples),
            "resources": Resource.objects.filter(kind=ResourceKind.EXAMPLES_BASE),
        },
    )


@require_safe
def function_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "examples/functions.html",
        {"table": function_table()},
    )


@require_safe
def function_detail(request: HttpRequest, slug: str) -> HttpResponse:
    function = get_object_or_404(Function.objects.prefetch_related("activities"), slug=slug)
    examples = DirectoryIndex.current().results(Facet.FONCTION, function)
    return render(
        request,
        "examples/function.html",
        {"function": function, "page": requested_page(request, examples)},
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


@require_safe
def partner_index(request: HttpRequest) -> HttpResponse:
    partners = Partner.objects.with_published_examples().order_by("kind", french_order("name"))
    return render(
        request,
        "examples/partners.html",
        {"partner_groups": grouped_by_kind(partners, attrgetter("kind"))},
    )


@require_safe
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partner = get_object_or_404(Partner, slug=slug)
    links = partner.published_links()
    if not links and not request.user.is_staff:
        raise Http404("Ce partenaire ne figure dans aucun exemple publié.")
    return render(request, "examples/partner.html", {"partner": partner, "links": links})


def export_filterset(request: HttpRequest) -> ExampleFilter:
    return ExampleFilter(request.GET)


def attachment(response: StreamingHttpResponse, filename: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = LICENCE_LINK
    return response


@require_safe
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    records = stream_records(export_filterset(request).qs, settings.SITE_URL)
    response = StreamingHttpResponse(csv_lines(records), content_type="text/csv; charset=utf-8")
    return attachment(response, f"exemples-inspirants-{timezone.localdate():%Y-%m-%d}.csv")


@require_safe
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    filterset = export_filterset(request)
    metadata = {
        "source": "Faire alliance — exemples inspirants",
        "url": settings.SITE_URL + request.get_full_path(),
        "genere_le": timezone.now().isoformat(timespec="seconds"),
        "filtres": {name: filterset.data.getlist(name) for name in filterset.data},
    }
    records = stream_records(filterset.qs, settings.SITE_URL)
    response = StreamingHttpResponse(
        json_chunks(records, metadata), content_type="application/json; charset=utf-8"
    )
    return attachment(response, f"exemples-inspirants-{timezone.localdate():%Y-%m-%d}.json")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /proposer/merci/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
