"""Views whose responses the page cache must refuse to store (tests/test_page_cache.py). Each
answers with a fresh token, so a response served from the cache shows the old token."""

import uuid

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.urls import include, path
from django.utils.cache import patch_cache_control, patch_vary_headers


def fresh(request: HttpRequest) -> HttpResponse:
    return HttpResponse(uuid.uuid4().hex)


def form(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def private(request: HttpRequest) -> HttpResponse:
    response = fresh(request)
    patch_cache_control(response, private=True)
    return response


def with_cookie(request: HttpRequest) -> HttpResponse:
    response = fresh(request)
    response.set_cookie("choix", "liste")
    return response


def nonce_in_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<script nonce="{get_nonce(request)}"></script>')


def nonce_in_header(request: HttpRequest) -> HttpResponse:
    response = fresh(request)
    response["Content-Security-Policy"] = "script-src 'nonce-abc123'"
    return response


def varies_on_encoding(request: HttpRequest) -> HttpResponse:
    response = fresh(request)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def varies_on_htmx(request: HttpRequest) -> HttpResponse:
    response = fresh(request)
    patch_vary_headers(response, ["HX-Request"])
    return response


def streaming(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(iter([uuid.uuid4().hex]))


def large(request: HttpRequest) -> HttpResponse:
    return HttpResponse(uuid.uuid4().hex * 1000)


urlpatterns = [
    path("essai/frais/", fresh),
    path("essai/formulaire/", form),
    path("essai/prive/", private),
    path("essai/cookie/", with_cookie),
    path("essai/nonce/", nonce_in_page),
    path("essai/nonce-en-tete/", nonce_in_header),
    path("essai/vary-encodage/", varies_on_encoding),
    path("essai/vary-htmx/", varies_on_htmx),
    path("essai/flux/", streaming),
    path("essai/gros/", large),
    path("", include("config.urls")),
]
