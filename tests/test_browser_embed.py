"""The embeddable selection in Chromium: a page of another site (another origin, served by a
small web server of its own) pastes the snippet of /integrer/code/ and shows the selection,
fitted to its height by the host script, while a frame of /exemples/ is refused; the code page
works under the site's CSP; the frame and the pages about it pass axe."""

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_accessibility import Visit, assert_no_problem, axe_report
from tests.test_browser_accessibility import check as check_site_page
from tests.test_browser_csp import watched_page  # noqa: F401  (a fixture)
from tests.test_embed import ACCOMPAGNEMENTS

pytestmark = pytest.mark.browser

FRAME = "iframe[title^='Exemples inspirants']"
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class OtherSite:
    """A webmaster's site: pages put in `pages` by path, served on 127.0.0.1, while the live
    server answers on localhost, another origin."""

    url: str
    pages: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def other_site() -> Iterator[OtherSite]:
    site = OtherSite(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


def host_page(*content: str) -> str:
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Les alliances de notre région</title></head><body>"
        f"<h1>Nos partenaires</h1>{''.join(content)}</body></html>"
    )


def snippet_for(page: Page, live_server, query: str) -> str:
    """The code that the code page gives, as a webmaster would copy it."""
    page.goto(f"{live_server.url}/integrer/code/?{query}")
    return page.get_by_label("Code d’intégration").input_value()


def frame_height(page: Page, selector: str = FRAME) -> int:
    """The height of the frame's inside, its border aside."""
    return page.locator(selector).evaluate("(frame) => frame.clientHeight")


def content_height(page: Page) -> float:
    """The height of the selection the frame shows (its page, /integrer/?…)."""
    frame = page.frame(url=re.compile(r"/integrer/\?"))
    assert frame is not None
    return frame.evaluate("document.body.getBoundingClientRect().height")


def test_another_site_frames_the_selection_but_not_the_list(
    page, live_server, fiche, other_site, settings
):
    settings.SITE_URL = live_server.url
    page.set_viewport_size(DESKTOP)
    snippet = snippet_for(page, live_server, "fonction=accompagnements&hauteur=400")
    assert snippet.startswith(f'<iframe src="{live_server.url}/integrer/?fonction=')
    other_site.pages["/partenaires.html"] = host_page(
        snippet,
        f'<iframe id="liste" src="{live_server.url}/exemples/" title="La liste" '
        'width="600" height="300"></iframe>',
    )
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(f"{other_site.url}/partenaires.html")

    framed = page.frame_locator(FRAME)
    expect(framed.locator(".result-card__title")).to_have_count(len(ACCOMPAGNEMENTS))
    assert set(framed.locator(".result-card__title").all_inner_texts()) == ACCOMPAGNEMENTS
    expect(framed.get_by_role("link", name="Ronalpia")).to_have_attribute(
        "href", "/exemples/ronalpia/"
    )
    # The host script fitted the frame to its content: no inner scroll bar, no blank space.
    page.wait_for_function(
        f'() => document.querySelector("{FRAME}").getBoundingClientRect().height > 400'
    )
    assert abs(frame_height(page) - content_height(page)) <= 1

    # The list refuses to be framed: Chromium says so, and shows its error page in its place.
    for _ in range(50):
        if any("frame-ancestors 'none'" in text for text in console):
            break
        page.wait_for_timeout(100)
    refusals = [text for text in console if "frame-ancestors 'none'" in text]
    assert refusals and "The request has been blocked" in refusals[0], console
    refused = page.locator("#liste").element_handle().content_frame()
    assert refused is not None and not refused.url.startswith(live_server.url)
    expect(page.frame_locator("#liste").get_by_text("Les exemples inspirants")).to_have_count(0)


def test_the_host_script_heeds_only_this_sites_frames(page, live_server, fiche, other_site):
    page.set_viewport_size(DESKTOP)
    other_site.pages["/page.html"] = host_page(
        f'<iframe src="{live_server.url}/integrer/?nombre=5" title="Exemples inspirants" '
        'width="600" height="300"></iframe>',
        f'<script src="{live_server.url}/static/js/integrer-hote.js" async></script>',
    )
    page.goto(f"{other_site.url}/page.html")
    page.wait_for_function(
        f'() => document.querySelector("{FRAME}").getBoundingClientRect().height > 300'
    )
    fitted = frame_height(page)
    # The same message from the page itself, or with a height that is not a number, is ignored.
    page.evaluate(
        """() => {
          window.postMessage({type: "faire-alliance:hauteur", height: 50}, "*");
          document.querySelector("iframe").contentWindow.postMessage(
            {type: "faire-alliance:hauteur", height: 60}, "*");
        }"""
    )
    page.wait_for_timeout(300)
    assert frame_height(page) == fitted


def test_without_the_script_the_frame_keeps_the_height_chosen(page, live_server, fiche, other_site):
    page.set_viewport_size(DESKTOP)
    other_site.pages["/sans-script.html"] = host_page(
        f'<iframe src="{live_server.url}/integrer/?nombre=20" title="Exemples inspirants" '
        'width="600" height="400"></iframe>'
    )
    page.goto(f"{other_site.url}/sans-script.html")
    framed = page.frame_locator(FRAME)
    expect(framed.locator(".result-card__title")).to_have_count(20)
    assert frame_height(page) == 400
    # The selection scrolls inside the frame instead.
    assert content_height(page) > 400


def test_the_code_page_previews_the_frame_and_changes_its_size(
    watched_page,  # noqa: F811  (the fixture imported above)
    live_server,
    fiche,
):
    page = watched_page
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/exemples/?fonction=accompagnements")
    page.get_by_role("link", name="Intégrer cette sélection").click()
    page.wait_for_url(re.compile(r"/integrer/code/\?fonction=accompagnements$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Intégrer cette sélection à votre site"
    )
    page.get_by_role("radio", name="800 pixels").check()
    page.get_by_role("radio", name="480 pixels").check()
    page.get_by_role("radio", name="5", exact=True).check()
    page.get_by_role("button", name="Mettre à jour le code").click()
    page.wait_for_url(re.compile(r"hauteur=800"))
    code = page.get_by_label("Code d’intégration").input_value()
    assert 'width="480" height="800"' in code
    assert "fonction=accompagnements&amp;nombre=5" in code

    preview = page.locator(".embed-code__preview")
    preview.scroll_into_view_if_needed()
    framed = page.frame_locator(".embed-code__preview")
    expect(framed.locator(".result-card__title")).to_have_count(5)
    # This site's own host script fits the preview too.
    page.wait_for_function(
        "() => document.querySelector('.embed-code__preview').clientHeight !== 800"
    )
    assert abs(frame_height(page, ".embed-code__preview") - content_height(page)) <= 1


def test_the_frame_passes_axe(page, live_server, fiche):
    problems = []
    page.set_viewport_size(DESKTOP)
    for name, path in [
        ("sélection", "/integrer/?fonction=accompagnements"),
        ("sélection vide", "/integrer/?categorie=mecenat&departement=15"),
        ("sélection, filtre refusé", "/integrer/?departement=zz&nombre=5"),
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Exemples inspirants d’alliances")
        problems += axe_report(page, name)
        if page.locator("html").get_attribute("lang") != "fr":
            problems.append(f'[{name}] <html> without lang="fr"')
        if not page.title().startswith("Exemples inspirants d’alliances"):
            problems.append(f"[{name}] title: {page.title()}")
        if page.get_by_role("main").count() != 1:
            problems.append(f"[{name}] no main landmark")
    assert_no_problem(problems)


def test_the_code_and_documentation_pages_are_accessible(page, live_server, fiche):
    problems = []
    page.set_viewport_size(DESKTOP)
    for visit in [
        Visit("code d’intégration", "/integrer/code/?fonction=accompagnements", "Aperçu"),
        Visit("code, option refusée", "/integrer/code/?hauteur=3", "non reconnue"),
        Visit("documentation de l’API", "/api/", "Le schéma OpenAPI"),
    ]:
        page.goto(live_server.url + visit.path)
        expect(page.locator("body")).to_contain_text(visit.shows)
        problems += check_site_page(page, visit.name)
    assert_no_problem(problems)
