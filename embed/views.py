"""A selection of the directory for other sites: the compact list they frame (/integrer/), and
the page that gives its code (/integrer/code/), both with the list's filters.

The frame tells the page that holds it its height by postMessage, which the script the code
loads from this site (static/js/integrer-hote.js) applies: see the code page.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from examples.filters import ActiveFilter, ExampleFilter

from .forms import EmbedOptions, selection_filters
from .framing import frameable

# Not through {% static %}: a snippet pasted on other sites must outlive a deployment, when a
# hashed name changes. WhiteNoise serves the unhashed file too, with a short lifetime.
HOST_SCRIPT = "js/integrer-hote.js"
HEIGHT_MESSAGE = "faire-alliance:hauteur"


def selection_name(active: list[ActiveFilter]) -> str:
    """The selection in a few words, for the frame's title."""
    chosen = "\u202f; ".join(f"{chip.label}\u00a0: {chip.value}" for chip in active)
    return f"Exemples inspirants d’alliances{f' ({chosen})' if chosen else ''} — Faire alliance"


def with_query(route: str, query) -> str:
    return f"{reverse(route)}?{query.urlencode()}" if query else reverse(route)


@require_safe
@frameable
def selection(request: HttpRequest) -> HttpResponse:
    filterset = ExampleFilter(request.GET)
    results = filterset.results()
    active = filterset.active_filters()
    return render(
        request,
        "embed/selection.html",
        {
            "title": selection_name(active),
            "active_filters": active,
            "problems": filterset.problems(),
            "examples": results[: EmbedOptions(request.GET).value("nombre")],
            "total": len(results),
            "list_url": with_query("examples:list", selection_filters(request.GET)),
            "licence_url": settings.DATA_LICENCE["url"],
        },
    )


@require_safe
def snippet(request: HttpRequest) -> HttpResponse:
    filterset = ExampleFilter(request.GET)
    options = EmbedOptions(request.GET)
    chosen = options.chosen()
    filters = selection_filters(request.GET)
    for refused in filterset.errors:  # the code carries only what the frame can apply
        filters.pop(refused, None)
    frame_query = filters.copy()
    frame_query["nombre"] = str(chosen["nombre"])
    frame_path = with_query("embed:selection", frame_query)
    active = filterset.active_filters()
    frame = {
        "title": selection_name(active),
        "width": chosen["largeur"],
        "height": chosen["hauteur"],
    }
    code = render_to_string(
        "embed/_snippet.html",
        {
            **frame,
            "src": settings.SITE_URL + frame_path,
            "script": settings.SITE_URL + settings.STATIC_URL + HOST_SCRIPT,
        },
    ).strip()
    return render(
        request,
        "embed/code.html",
        {
            "frame": frame,
            "preview_src": frame_path,
            "code": code,
            "options": options,
            "hidden_filters": [
                (name, value) for name in filters for value in filters.getlist(name)
            ],
            "active_filters": active,
            "problems": filterset.problems(),
            "total": len(filterset.results()),
            "list_url": with_query("examples:list", filters),
            "height_message": HEIGHT_MESSAGE,
            "canonical_url": settings.SITE_URL + request.get_full_path(),
        },
    )
