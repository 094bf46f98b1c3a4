"""The list in Chromium, as issue 18 walked it at 1280 px and 390 px: Back keeps the search,
no address carries an empty search, the results come first, a skip link leads to them, the map's
Paris inset is framed and usable, Enter sends one request, the typo fallback is said after an
update; and not one console error nor Content-Security-Policy violation on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests import test_browser_csp
from tests.test_browser_accessibility import DESKTOP, PHONE, focus_state, tab_until

pytestmark = pytest.mark.browser

# The page that fails its test on any console error, uncaught exception or CSP violation.
watched_page = test_browser_csp.watched_page

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["bureau", "téléphone"])
EMPTY_SEARCH = re.compile(r"[?&]q=(&|$)")
# A point of the element under which the element itself (or what it draws) is hit: the
# départements are irregular, the middle of their box may well be their neighbour.
POINT_INSIDE = """(element) => {
  const box = element.getBoundingClientRect();
  for (let y = box.top + 2; y < box.bottom; y += 3) {
    for (let x = box.left + 2; x < box.right; x += 3) {
      const hit = document.elementFromPoint(x, y);
      if (hit && element.contains(hit)) return {x, y};
    }
  }
  return null;
}"""


def list_requests(page: Page) -> list[str]:
    """The addresses of the list that the page asks for, as it asks for them."""
    requests: list[str] = []
    page.on(
        "request",
        lambda request: requests.append(request.url) if "/exemples/" in request.url else None,
    )
    return requests


def search(page: Page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Rechercher un exemple")
    box.fill(text)
    box.press("Enter")


def open_filters_on_a_phone(page: Page) -> None:
    """Open the "Filtrer" panel where it is one (Back may bring it back open)."""
    summary = page.locator("summary", has_text="Filtrer")
    if summary.is_visible() and page.locator(".filters-disclosure[open]").count() == 0:
        summary.click()


@VIEWPORTS
def test_back_keeps_the_search_and_the_next_tick_keeps_it(
    watched_page, live_server, fiche, viewport
):
    page = watched_page
    page.set_viewport_size(viewport)
    requests = list_requests(page)
    page.goto(live_server.url + "/exemples/")
    page.evaluate("window.pageNotReloaded = true")
    box = page.get_by_role("searchbox", name="Rechercher un exemple")
    count = page.locator("#nombre-resultats")

    search(page, "numérique")
    page.wait_for_url(re.compile(r"/exemples/\?q=num%C3%A9rique$"))
    expect(count).to_contain_text("7 exemples pour « numérique »")
    open_filters_on_a_phone(page)
    page.locator("#filtre-fonction-gestion-d-un-lieu").check()
    page.wait_for_url(re.compile(r"fonction=gestion-d-un-lieu"))
    expect(count).to_contain_text("2 exemples pour « numérique »")

    page.go_back()
    page.wait_for_url(re.compile(r"/exemples/\?q=num%C3%A9rique$"))
    expect(count).to_contain_text("7 exemples pour « numérique »")
    expect(box).to_have_value("numérique")
    expect(page.locator("#filtre-fonction-gestion-d-un-lieu")).not_to_be_checked()
    expect(page).to_have_title("Exemples pour « numérique » — Faire alliance — exemples inspirants")

    open_filters_on_a_phone(page)
    page.locator("#filtre-categorie-mecenat").check()
    page.wait_for_url(re.compile(r"categorie=mecenat"))
    assert "q=num%C3%A9rique" in page.url
    expect(count).to_contain_text("3 exemples pour « numérique »")
    expect(box).to_have_value("numérique")

    page.go_back()
    page.go_back()
    page.wait_for_url(live_server.url + "/exemples/")
    expect(box).to_have_value("")
    expect(count).to_contain_text("75 exemples")
    page.go_forward()
    page.wait_for_url(re.compile(r"/exemples/\?q=num%C3%A9rique$"))
    expect(box).to_have_value("numérique")
    expect(count).to_contain_text("7 exemples pour « numérique »")

    assert page.evaluate("window.pageNotReloaded") is True
    assert [url for url in requests if EMPTY_SEARCH.search(url)] == []


def test_no_address_of_the_page_carries_an_empty_search(watched_page, live_server, fiche):
    page = watched_page
    page.set_viewport_size(DESKTOP)
    requests = list_requests(page)
    page.goto(live_server.url + "/exemples/")
    count = page.locator("#nombre-resultats")
    page.locator("#filtre-theme-education").check()
    page.wait_for_url(live_server.url + "/exemples/?theme=education")
    expect(count).to_contain_text("2 exemples")
    page.get_by_role("link", name="Les plus récents").click()
    page.wait_for_url(re.compile(r"tri=recent"))
    page.locator("#filtre-categorie-mecenat").check()
    page.wait_for_url(re.compile(r"categorie=mecenat"))
    expect(count).to_contain_text("aucun exemple", ignore_case=True)
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state("networkidle")

    addresses = page.eval_on_selector_all(
        "[href], [hx-get], form[action]",
        "(elements) => elements.map((element) => element.getAttribute('href')"
        " ?? element.getAttribute('hx-get') ?? element.getAttribute('action'))",
    )
    assert len(addresses) > 100
    assert [url for url in [*requests, *addresses, page.url] if EMPTY_SEARCH.search(url)] == []


def test_without_javascript_the_form_leaves_out_an_empty_search(browser, live_server, fiche):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/exemples/")
    page.locator("#filtre-theme-education").check()
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(live_server.url + "/exemples/?theme=education")
    expect(page.locator("#nombre-resultats")).to_contain_text("2 exemples")
    context.close()


def assert_in_first_viewport(page: Page, selector: str, viewport: dict) -> None:
    """The element starts on the first screen, with its first lines visible, page unscrolled."""
    assert page.evaluate("window.scrollY") == 0
    box = page.locator(selector).first.bounding_box()
    assert box is not None
    visible = min(box["height"], 80)
    assert box["y"] >= 0 and box["y"] + visible <= viewport["height"], (selector, box)


@VIEWPORTS
@pytest.mark.parametrize(
    ("text", "first"),
    [("numérique", ".result-card"), ("xylophone", ".empty-state")],
    ids=["des résultats", "aucun résultat"],
)
def test_the_results_are_in_the_first_viewport_after_a_search(
    watched_page, live_server, fiche, viewport, text, first
):
    page = watched_page
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/exemples/")
    search(page, text)
    expect(page.locator("#nombre-resultats")).to_contain_text(f"pour « {text} »")
    assert_in_first_viewport(page, "#nombre-resultats", viewport)
    assert_in_first_viewport(page, first, viewport)
    # The same address loaded as a page, as without JavaScript.
    page.goto(page.url)
    assert_in_first_viewport(page, first, viewport)


def test_the_skip_link_reaches_the_results(page, live_server, fiche):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/exemples/?q=num%C3%A9rique")
    skip = tab_until(page, lambda state: state["href"] == "#nombre-resultats", limit=8)
    assert "Aller aux résultats" in skip["element"]
    page.keyboard.press("Enter")
    expect(page.locator("#nombre-resultats")).to_be_focused()
    assert focus_state(page)["id"] == "nombre-resultats"
    first = tab_until(page, lambda state: state["inResultCard"], limit=8)
    assert first["href"] == page.locator(".result-card__title a").first.get_attribute("href")


@VIEWPORTS
def test_the_paris_inset_is_framed_labelled_and_val_de_marne_can_be_clicked(
    watched_page, live_server, fiche, viewport
):
    page = watched_page
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/exemples/?theme=education")
    inset = page.locator(".france-map__inset")
    inset.scroll_into_view_if_needed()
    expect(inset.get_by_text("Paris et petite couronne", exact=True)).to_be_visible()
    frame = inset.evaluate(
        "(element) => ['Top', 'Right', 'Bottom', 'Left'].map("
        "(side) => parseFloat(getComputedStyle(element)[`border${side}Width`]))"
    )
    assert min(frame) >= 1

    val_de_marne = inset.locator('a[href$="departement=94"]')
    box = val_de_marne.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24, box
    point = val_de_marne.evaluate(POINT_INSIDE)
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"\?theme=education&departement=94$"))
    expect(page.locator("#nombre-resultats")).to_contain_text("1 exemple")
    expect(page.locator("#resultats")).to_contain_text("Vitawin")


def test_a_place_filter_keeps_the_map_and_a_content_filter_redraws_it(
    watched_page, live_server, fiche
):
    page = watched_page
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/exemples/?theme=education")
    count = page.locator("#nombre-resultats")
    page.locator("#carte-resultats figure").evaluate("(figure) => { figure.dataset.kept = 'oui'; }")
    page.locator("summary", has_text="Île-de-France").click()
    page.locator("#filtre-departement-94").check()
    page.wait_for_url(re.compile(r"departement=94"))
    expect(count).to_contain_text("1 exemple")
    # The update left the map out: the same figure, shading the same départements.
    assert page.locator("#carte-resultats figure").get_attribute("data-kept") == "oui"

    shaded = page.locator("#carte-resultats .france-map__svg a:not(.france-map__area--0)")
    expect(shaded).to_have_count(2)  # Programme Impact Jeunes (13), Vitawin (94)

    page.locator("#filtre-categorie-mecenat").check()
    page.wait_for_url(re.compile(r"categorie=mecenat"))
    expect(count).to_contain_text("Aucun exemple")
    expect(page.locator("#carte-resultats figure")).not_to_have_attribute("data-kept", "oui")
    expect(shaded).to_have_count(0)  # neither of them is a mécénat


@pytest.mark.parametrize("send", ["Enter", "le bouton"])
def test_a_search_sends_one_request(watched_page, live_server, fiche, send):
    page = watched_page
    page.goto(live_server.url + "/exemples/")
    requests = list_requests(page)
    box = page.get_by_role("searchbox", name="Rechercher un exemple")
    box.fill("numérique")
    if send == "Enter":
        box.press("Enter")
    else:
        page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#nombre-resultats")).to_contain_text("7 exemples pour « numérique »")
    page.wait_for_load_state("networkidle")
    assert requests == [live_server.url + "/exemples/?q=num%C3%A9rique"]


def test_the_typo_fallback_is_said_after_an_update(watched_page, live_server, fiche):
    page = watched_page
    page.goto(live_server.url + "/exemples/")
    page.evaluate("window.pageNotReloaded = true")
    search(page, "numerik")
    count = page.locator("#nombre-resultats")
    expect(count).to_contain_text("7 exemples pour « numérique » au lieu de « numerik »")
    expect(page.locator(".search-correction")).to_contain_text(
        "Résultats pour « numérique » ; aucun exemple ne contient « numerik »."
    )
    page.get_by_role("link", name="Rechercher exactement « numerik »").click()
    page.wait_for_url(re.compile(r"exact=1"))
    expect(count).to_contain_text("Aucun exemple pour « numerik »")
    expect(page.locator(".search-correction")).to_have_count(0)
    assert page.evaluate("window.pageNotReloaded") is True


def test_on_a_phone_the_open_filter_panel_says_what_a_tick_gives(watched_page, live_server, fiche):
    page = watched_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/exemples/?q=num%C3%A9rique")
    page.locator("summary", has_text="Filtrer").click()
    page.locator("summary", has_text="Provence-Alpes-Côte d").click()
    page.locator("#filtre-departement-06").check()
    page.wait_for_url(re.compile(r"departement=06"))
    footer = page.locator(".facets__footer")
    expect(footer).to_contain_text("1 exemple")
    box = footer.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]

    footer.get_by_role("link", name="Voir les résultats").click()
    expect(page.locator("#nombre-resultats")).to_be_focused()
    expect(page.locator("#filtre-departement-06")).to_be_hidden()  # the panel closed
    card = page.locator(".result-card").first.bounding_box()
    assert card is not None and card["y"] + 80 <= PHONE["height"]
