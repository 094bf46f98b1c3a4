"""The embeddable selection: /integrer/ lists a selection for other sites to frame (the only
pages they may frame), /integrer/code/ gives its snippet with a preview and size options, and
the list page links to it with its filters."""

import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from examples.models import Example
from tests.test_security_headers import PageScan, csp_directives

pytestmark = pytest.mark.django_db

EMBED = "/integrer/"
CODE = "/integrer/code/"
SITE = "http://127.0.0.1:8000"
ACCOMPAGNEMENTS = {
    "Club Gravelle Entreprendre",
    "Émergence",
    "Fondation du Nord",
    "Plateforme RSE Nantes Métropole",
    "Ronalpia",
    "Villes au Carré",
}


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def card_titles(html: str) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(r'class="result-card__title"><a href="[^"]+">([^<]+)</a>', html)
    ]


# Framing


@pytest.mark.parametrize(
    "url", [EMBED, f"{EMBED}?fonction=accompagnements&nombre=5", f"{EMBED}?departement=zz"]
)
def test_other_sites_may_frame_the_selection(client, url):
    response, _ = page(client, url)
    assert "X-Frame-Options" not in response
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["*"]
    # Only framing is lifted: the rest of the policy is the site's.
    site = csp_directives(client.get("/"))
    assert {name: values for name, values in directives.items() if name != "frame-ancestors"} == {
        name: values for name, values in site.items() if name != "frame-ancestors"
    }


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/exemples/",
        "/exemples/?fonction=accompagnements",
        "/exemples/ronalpia/",
        CODE,
        f"{CODE}?fonction=accompagnements",
        "/api/",
        "/api/v1/exemples/",
        "/integrer/inconnu/",
    ],
)
def test_every_other_page_still_refuses_to_be_framed(client, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]


def test_a_framed_selection_served_from_the_cache_keeps_its_headers(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    client.get(EMBED)
    hit = client.get(EMBED)
    assert hit["X-Cache"] == "HIT"
    assert "X-Frame-Options" not in hit
    assert csp_directives(hit)["frame-ancestors"] == ["*"]
    assert client.get("/")["X-Frame-Options"] == "DENY"


# The framed selection


def test_the_frame_lists_the_selections_examples_and_links_back(client):
    response, html = page(client, f"{EMBED}?fonction=accompagnements")
    assert set(card_titles(html)) == ACCOMPAGNEMENTS
    assert "<strong>6 exemples</strong> · Fonction&nbsp;: Accompagnements" in html
    assert '<a href="/exemples/?fonction=accompagnements">Voir cette sélection' in html
    assert '<a href="/exemples/ronalpia/">Ronalpia</a>' in html
    # Framed on another site, every link opens this site in a new tab, as the page says.
    assert '<base target="_blank">' in html
    assert "Les liens s’ouvrent dans un nouvel onglet." in html
    assert "Licence Ouverte 2.0" in html
    # A page of its own: no header, navigation or footer of the site.
    assert "site-header" not in html and "site-footer" not in html
    assert '<html lang="fr">' in html
    assert (
        "<title>Exemples inspirants d’alliances (Fonction\u00a0: Accompagnements) — Faire alliance"
        "</title>" in html
    )
    assert 'src="/static/js/integrer.js"' in html
    assert 'href="/static/css/site.css"' in html


def test_the_frame_shows_as_many_examples_as_asked_and_says_how_many_there_are(client):
    _, html = page(client, f"{EMBED}?nombre=5")
    assert len(card_titles(html)) == 5
    assert "<strong>75 exemples</strong>" in html
    assert '<a href="/exemples/">Voir les 75 exemples de la sélection sur Faire alliance' in html
    _, html = page(client, EMBED)
    assert len(card_titles(html)) == 10
    _, html = page(client, f"{EMBED}?nombre=1000")
    assert len(card_titles(html)) == 10


def test_the_frame_follows_the_lists_search_and_order(client):
    _, html = page(client, f"{EMBED}?q=numerik&tri=pertinence&nombre=20")
    listed = client.get("/exemples/?q=numerik&tri=pertinence")
    expected = [example.title for example in listed.context["page"].object_list][:20]
    assert card_titles(html) == expected
    assert "Recherche&nbsp;: «\u00a0numerik\u00a0»" in html


def test_a_frame_with_a_refused_filter_says_so_and_lists_the_rest(client):
    _, html = page(client, f"{EMBED}?departement=zz&fonction=accompagnements")
    assert "ces filtres ne sont pas appliqués" in html
    assert "zz n’en fait pas partie" in html
    assert set(card_titles(html)) == ACCOMPAGNEMENTS


def test_an_empty_selection_says_so(client):
    _, html = page(client, f"{EMBED}?categorie=mecenat&departement=15")
    assert "<strong>Aucun exemple</strong>" in html
    assert "Aucun exemple ne correspond à cette sélection pour l’instant." in html


def test_the_frame_shows_only_published_examples(client):
    Example.objects.create(title="Brouillon caché", slug="brouillon-cache")
    _, html = page(client, f"{EMBED}?q=brouillon")
    assert "Brouillon caché" not in html


@pytest.mark.parametrize("url", [EMBED, f"{EMBED}?fonction=accompagnements", CODE])
def test_the_frame_and_its_code_page_set_no_cookie_and_hold_no_inline_code(client, url):
    response, html = page(client, url)
    assert response.cookies == {}
    scan = PageScan()
    scan.feed(html)
    assert scan.inline == []


def test_the_host_script_has_a_lasting_address():
    # The snippet names it without a hash: pasted on other sites, it must outlive a deployment.
    assert finders.find("js/integrer-hote.js")
    assert finders.find("js/integrer.js")


# The code page


def snippet_of(html: str) -> str:
    found = re.search(r'<textarea id="code-integration"[^>]*>(.*?)</textarea>', html, re.S)
    assert found
    return unescape(found.group(1))


def test_the_code_page_gives_a_titled_frame_of_the_selection_and_the_host_script(client):
    _, html = page(client, f"{CODE}?fonction=accompagnements&departement=69&page=2")
    assert snippet_of(html) == (
        f'<iframe src="{SITE}/integrer/?fonction=accompagnements&amp;departement=69&amp;nombre=10" '
        'title="Exemples inspirants d’alliances (Fonction\u00a0: Accompagnements\u202f; '
        'Département\u00a0: Rhône (69)) — Faire alliance" width="100%" height="600" '
        'loading="lazy"></iframe>\n'
        f'<script src="{SITE}/static/js/integrer-hote.js" async></script>'
    )
    # The preview is the same frame, from this site.
    assert (
        '<iframe class="embed-code__preview" '
        'src="/integrer/?fonction=accompagnements&amp;departement=69&amp;nombre=10"' in html
    )
    assert "<strong>1 exemple</strong>&nbsp;:" in html
    assert '<a href="/exemples/?fonction=accompagnements&amp;departement=69">' in html
    assert "faire-alliance:hauteur" in html


def test_the_size_options_change_the_code_and_keep_the_filters(client):
    _, html = page(client, f"{CODE}?categorie=mecenat&hauteur=800&largeur=480&nombre=20")
    snippet = snippet_of(html)
    assert 'width="480" height="800"' in snippet
    assert "/integrer/?categorie=mecenat&amp;nombre=20" in snippet
    # The options' form keeps the filters and shows the choices made.
    assert '<input type="hidden" name="categorie" value="mecenat">' in html
    assert 'name="hauteur" value="800" checked' in html
    assert 'name="largeur" value="480" checked' in html
    assert 'name="nombre" value="20" checked' in html
    assert 'name="hauteur" value="600">' in html


def test_a_wrong_option_falls_back_to_its_default_and_says_so(client):
    _, html = page(client, f"{CODE}?hauteur=99999&nombre=abc")
    assert 'width="100%" height="600"' in snippet_of(html)
    assert "nombre=10" in snippet_of(html)
    assert html.count("non reconnue") == 2
    assert "Valeur «&nbsp;99999&nbsp;» non reconnue" in html


def test_a_refused_filter_stays_out_of_the_code(client):
    _, html = page(client, f"{CODE}?departement=zz&fonction=accompagnements")
    assert "ces filtres ne sont pas appliqués" in html
    assert "departement" not in snippet_of(html)
    assert "fonction=accompagnements" in snippet_of(html)


def test_the_list_page_links_to_the_code_of_its_selection(client):
    _, html = page(client, "/exemples/?fonction=accompagnements&tri=recent&page=1")
    link = f"{reverse('embed:code')}?fonction=accompagnements&amp;tri=recent"
    assert f'<a href="{link}">Intégrer cette sélection</a>' in html
    assert client.get(unescape(link)).status_code == 200
