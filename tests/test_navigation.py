"""The header navigation, on every public page, with the current section marked."""

import pytest

pytestmark = pytest.mark.django_db

NAV = {
    "Exemples": "/exemples/",
    "Territoires": "/territoires/",
    "À propos": "/a-propos/",
    "Proposer un exemple": "/proposer/",
}


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", None),
        ("/exemples/", "Exemples"),
        ("/exemples/ronalpia/", "Exemples"),
        ("/categories/", "Exemples"),
        ("/categories/mecenat/", "Exemples"),
        ("/fonctions/", "Exemples"),
        ("/fonctions/accompagnements/", "Exemples"),
        ("/territoires/", "Territoires"),
        ("/regions/", "Territoires"),
        ("/departements/", "Territoires"),
        ("/departements/69/", "Territoires"),
        ("/regions/84/", "Territoires"),
        ("/territoires/paris-est-marne-et-bois/", "Territoires"),
        ("/a-propos/", "À propos"),
    ],
)
def test_every_page_has_the_navigation_with_its_section_current(client, url, current):
    html = client.get(url).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    for label, href in NAV.items():
        assert f'href="{href}"' in nav and label in nav
    assert nav.count('aria-current="page"') == (1 if current else 0)
    if current:
        assert f'href="{NAV[current]}" aria-current="page">{current}</a>' in nav


def test_pages_load_htmx_from_our_own_static_files_only(client):
    html = client.get("/exemples/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html
    head = html.split("<body>")[0]
    for loaded in ('src="http', 'rel="stylesheet" href="http', "@import"):
        assert loaded not in head


def test_the_site_icon_is_ours(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
