"""French error pages in the site's layout, served without the database.

No test here is marked django_db: pytest-django then makes any database access raise, so a page
that needed the database could not render.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest
from django.test import Client
from django.urls import include, path

from config.errors import too_many_requests


def bad_request(request: HttpRequest):
    raise SuspiciousOperation("Malformed input")


def forbidden(request: HttpRequest):
    raise PermissionDenied


def crash(request: HttpRequest):
    raise ZeroDivisionError("division by zero")


def database_gone(request: HttpRequest):
    raise OperationalError("connection failed: server closed the connection unexpectedly")


def rate_limited(request: HttpRequest):
    return too_many_requests(request)


urlpatterns = [
    path("essai/400/", bad_request),
    path("essai/403/", forbidden),
    path("essai/429/", rate_limited),
    path("essai/500/", crash),
    path("essai/503/", database_gone),
    path("", include("config.urls")),
]

pytestmark = pytest.mark.urls(__name__)

PAGES = [
    ("/essai/400/", 400, "Requête incorrecte"),
    ("/essai/403/", 403, "Accès refusé"),
    ("/une-page-qui-n-existe-pas/", 404, "Page introuvable"),
    ("/essai/429/", 429, "Trop de demandes en peu de temps"),
    ("/essai/500/", 500, "Une erreur s’est produite"),
    ("/essai/503/", 503, "Service momentanément indisponible"),
]


@pytest.fixture
def client():
    # Let Django turn exceptions into its error pages, as in production.
    return Client(raise_request_exception=False)


def assert_site_layout(html: str) -> None:
    assert '<html lang="fr">' in html
    assert 'href="/static/css/site.css"' in html
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in html
    assert '<span class="site-name__main">Faire alliance</span>' in html
    assert "Contenu issu de la fiche «&nbsp;Exemples inspirants&nbsp;»" in html
    assert '<a href="/">Revenir à l’accueil</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert html.count("<h1") == 1
    assert "Traceback" not in html


@pytest.mark.parametrize(("url", "status", "heading"), PAGES)
def test_error_page_in_french_in_the_site_layout(client, url, status, heading):
    response = client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert_site_layout(html)
    assert f"<h1>{heading}</h1>" in html
    assert f"Erreur {status}" in html


def test_titles_name_the_error(client):
    titles = {
        "/essai/400/": "Requête incorrecte — Faire alliance",
        "/essai/403/": "Accès refusé — Faire alliance",
        "/une-page-qui-n-existe-pas/": "Page introuvable — Faire alliance",
        "/essai/429/": "Trop de demandes — Faire alliance",
        "/essai/500/": "Erreur du serveur — Faire alliance",
        "/essai/503/": "Service momentanément indisponible — Faire alliance",
    }
    for url, title in titles.items():
        assert f"<title>{title}</title>" in client.get(url).content.decode()


def test_temporary_failures_ask_to_retry_later_and_are_not_cached(client):
    for url in ["/essai/429/", "/essai/503/"]:
        response = client.get(url)
        assert response["Retry-After"] == "30"
        assert "no-store" in response["Cache-Control"]


def test_database_failure_page_says_the_input_was_not_saved(client):
    html = client.get("/essai/503/").content.decode()
    assert "ne parvient pas à joindre sa base de données" in html
    assert "ce que vous avez saisi n’a pas été enregistré" in html


def test_csrf_failure_explains_in_french_and_keeps_the_layout():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_layout(html)
    assert "<h1>Votre envoi n’a pas pu être vérifié</h1>" in html
    assert "jeton de sécurité manquait ou avait expiré" in html
    assert "<title>Formulaire expiré — Faire alliance</title>" in html


def test_error_pages_carry_no_inline_script_or_style(client):
    for url, _, _ in PAGES:
        html = client.get(url).content.decode()
        assert "<script" not in html
        assert "<style" not in html
        assert " style=" not in html
