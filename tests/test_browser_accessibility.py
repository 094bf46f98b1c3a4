"""Accessibility in Chromium (RGAA): axe-core finds no serious or critical violation on any public
page template, and the structure that keyboard and screen reader users rely on is there: a skip
link that moves focus to the content, the landmarks, one h1, labelled controls grouped in
fieldsets, a result count that is announced, and a focus that is always visible."""

import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from examples.models import Example

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# What makes a focus indicator: an outline or a box-shadow, on an element the visitor can see.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    element: element.outerHTML.slice(0, 160),
    id: element.id,
    inResultCard: element.closest(".result-card") !== null,
    href: element.getAttribute("href"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    visible: element.checkVisibility() && box.width > 0 && box.height > 0
      && box.bottom > 0 && box.top < window.innerHeight,
  };
}"""

# Every form control the visitor can reach, with its accessible label and the legend of its
# fieldset, if any.
FORM_CONTROLS = """(form) => [...form.querySelectorAll("input, select, textarea")]
  .filter((control) => control.type !== "hidden" && control.type !== "submit")
  .filter((control) => !control.closest(".form-trap"))
  .map((control) => ({
    name: control.name,
    type: control.type,
    label: [...control.labels].map((label) => label.textContent.trim()).join(" "),
    legend: control.closest("fieldset")?.querySelector(":scope > legend")?.textContent.trim()
      ?? null,
  }))"""


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    # Text that proves the page is in the state the visit is meant to check.
    shows: str
    phone: bool = False


DIRECTORY = [
    Visit("accueil", "/", "Les quatre catégories de partenariat"),
    Visit("liste", "/exemples/", "75 exemples"),
    Visit("liste sur téléphone", "/exemples/", "75 exemples", phone=True),
    Visit(
        "liste filtrée",
        "/exemples/?departement=69&fonction=accompagnements",
        "Retirer le filtre Département",
    ),
    Visit(
        "liste sans résultat",
        "/exemples/?categorie=mecenat&departement=15",
        "Aucun exemple ne correspond à ces filtres",
    ),
    Visit("recherche", "/exemples/?q=sliver+geek", "Silver Geek"),
    Visit("recherche sans résultat", "/exemples/?q=xylophone", "Vérifiez l’orthographe"),
    Visit("liste, page 2", "/exemples/?page=2", "page 2 sur 4"),
    Visit("liste, filtre refusé", "/exemples/?region=zz&tri=titre", "Retirer ce filtre"),
]
PLACES = [
    Visit("exemple", "/exemples/ronalpia/", "Dernière vérification"),
    Visit("exemple sur téléphone", "/exemples/ronalpia/", "Dernière vérification", phone=True),
    Visit("exemple peu documenté", "/exemples/fondation-du-nord/", "Exemple peu documenté"),
    Visit("partenaires", "/partenaires/", "Les partenaires des alliances"),
    Visit("partenaire", "/partenaires/fondation-macif/", "Fondation Macif"),
    Visit("catégories", "/categories/", "Les quatre catégories de partenariat"),
    Visit("catégorie", "/categories/mecenat/", "Mécénat"),
    Visit("fonctions", "/fonctions/", "Exemples inspirants"),
    Visit("fonctions sur téléphone", "/fonctions/", "Exemples inspirants", phone=True),
    Visit("fonction", "/fonctions/accompagnements/", "Accompagnements"),
    Visit("département", "/departements/69/", "Rhône (69)"),
    Visit("région", "/regions/84/", "Ses départements"),
    Visit("régions", "/regions/", "Auvergne-Rhône-Alpes"),
    Visit("départements", "/departements/", "aucun exemple pour l’instant"),
    Visit("territoire nommé", "/territoires/paris-est-marne-et-bois/", "Paris Est Marne"),
    Visit("territoires", "/territoires/", "Régions et départements"),
    Visit("à propos", "/a-propos/", "Faire alliance"),
    Visit("mentions légales", "/mentions-legales/", "Licence Ouverte"),
    Visit("accessibilité", "/accessibilite/", "Défenseur des droits"),
    Visit("données personnelles", "/donnees-personnelles/", "CNIL"),
    Visit("contact", "/contact/", "Proposer un exemple"),
    Visit("contact sur téléphone", "/contact/", "Proposer un exemple", phone=True),
    Visit("plan du site", "/plan-du-site/", "Rhône (69)"),
]
# Served by the error routes of tests/test_error_pages.py, mounted over the site's own URLs.
ERRORS = [
    Visit("400", "/essai/400/", "Requête incorrecte"),
    Visit("403", "/essai/403/", "Accès refusé"),
    Visit("404", "/exemples/une-page-qui-n-existe-pas/", "Page introuvable"),
    Visit("429", "/essai/429/", "Trop de demandes en peu de temps"),
    Visit("500", "/essai/500/", "Une erreur s’est produite"),
    Visit("503", "/essai/503/", "Service momentanément indisponible"),
]


def axe_report(page: Page, name: str) -> list[str]:
    """The serious and critical violations on the page, one readable paragraph each."""
    violations = AXE.run(page).response["violations"]
    report = []
    for violation in violations:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        lines = [
            f"[{name}] {violation['id']} ({violation['impact']}): {violation['help']}",
            f"    {violation['helpUrl']}",
        ]
        for node in violation["nodes"]:
            lines.append(f"    - {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.extend(f"        {line}" for line in node.get("failureSummary", "").splitlines())
        report.append("\n".join(lines))
    return report


def structure_report(page: Page, name: str) -> list[str]:
    """What axe cannot judge alone: the page skeleton every template must keep."""
    problems = []
    expected_counts = {
        "banner": (page.get_by_role("banner"), 1),
        "main": (page.get_by_role("main"), 1),
        "contentinfo": (page.get_by_role("contentinfo"), 1),
        "h1": (page.locator("h1"), 1),
        "navigation principale": (
            page.get_by_role("navigation", name="Navigation principale"),
            1,
        ),
    }
    for what, (locator, expected) in expected_counts.items():
        if (found := locator.count()) != expected:
            problems.append(f"[{name}] {what}: found {found}, expected {expected}")
    if page.locator("html").get_attribute("lang") != "fr":
        problems.append(f'[{name}] <html> without lang="fr"')
    if not page.title().strip():
        problems.append(f"[{name}] empty <title>")
    return problems


def skip_link_report(page: Page, name: str) -> list[str]:
    """The first Tab shows the skip link; following it puts the focus on the main content. A page
    that puts the focus somewhere on purpose (a form's error summary) starts from there."""
    if page.evaluate("document.activeElement.hasAttribute('autofocus')"):
        return []
    page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE)
    if state["href"] != "#contenu" or not state["visible"]:
        return [f"[{name}] the first Tab does not show the skip link: {state['element']}"]
    page.keyboard.press("Enter")
    if page.evaluate("document.activeElement.id") != "contenu":
        return [f"[{name}] the skip link does not move the focus to the content"]
    return []


def check(page: Page, name: str) -> list[str]:
    return axe_report(page, name) + structure_report(page, name) + skip_link_report(page, name)


def visit_and_check(
    page: Page, base_url: str, visits: list[Visit], console: bool = True
) -> list[str]:
    """Each page's accessibility, and no console error or uncaught exception on any (an error
    page's own status is one: `console=False`)."""
    problems: list[str] = []
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for visit in visits:
        page.set_viewport_size(PHONE if visit.phone else DESKTOP)
        page.goto(base_url + visit.path)
        expect(page.locator("body")).to_contain_text(visit.shows)
        problems += check(page, visit.name)
        problems += [f"[{visit.name}] console: {error}" for error in errors if console]
        errors.clear()
    return problems


def assert_no_problem(problems: list[str]) -> None:
    assert not problems, "\n\n" + "\n\n".join(problems)


@pytest.mark.parametrize("visits", [DIRECTORY, PLACES], ids=["annuaire", "pages"])
def test_public_pages_are_accessible(page, live_server, fiche, visits):
    assert_no_problem(visit_and_check(page, live_server.url, visits))


@pytest.mark.urls("tests.test_error_pages")
def test_error_pages_are_accessible(page, live_server, fiche):
    assert_no_problem(visit_and_check(page, live_server.url, ERRORS, console=False))


def fill_proposal(page: Page) -> None:
    """Everything the browser requires; the server still wants a place and a category."""
    page.get_by_label("Nom de l’exemple").fill("Une alliance à décrire")
    page.get_by_label("Description").fill("Une association et une entreprise s’allient.")
    page.get_by_label("Partenaires").fill("Association Essai\nEntreprise Essai")
    page.get_by_label("Votre adresse e-mail").fill("essai@example.org")


def send_proposal(page: Page, heading: str) -> None:
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_proposal_pages_are_accessible(page, live_server, fiche, settings):
    settings.PROPOSAL_RATE_LIMIT = "3/h"
    settings.PROPOSAL_MAX_REQUEST_BYTES = 8 * 1024
    problems = visit_and_check(
        page, live_server.url, [Visit("proposer", "/proposer/", "Envoyer la proposition")]
    )

    fill_proposal(page)
    send_proposal(page, "Proposer un exemple d’alliance")
    # Only the place is missing: category and function may stay « Je ne sais pas ».
    expect(page.get_by_role("alert")).to_contain_text("Corrigez ce point")
    expect(page.get_by_role("alert")).to_contain_text("Choisissez au moins un département")
    expect(page).to_have_title(re.compile("^Erreur"))
    problems += check(page, "proposer, avec erreurs")

    page.get_by_label("Description").fill("é" * 4500)
    send_proposal(page, "Proposition trop longue")
    problems += check(page, "proposition trop longue")

    page.goto(live_server.url + "/proposer/")
    fill_proposal(page)
    page.get_by_label("Action d’envergure nationale, sans département particulier").check()
    page.get_by_label("Mécénat").check()
    send_proposal(page, "Merci pour votre proposition\u00a0!")
    problems += check(page, "merci")

    page.goto(live_server.url + "/proposer/")
    fill_proposal(page)
    send_proposal(page, "Trop de propositions envoyées")
    problems += check(page, "trop de propositions")

    # A form left open until its security token is gone.
    page.goto(live_server.url + "/proposer/")
    fill_proposal(page)
    page.context.clear_cookies()
    send_proposal(page, "Votre envoi n’a pas pu être vérifié")
    problems += check(page, "formulaire expiré")
    assert_no_problem(problems)


def assert_labelled_and_grouped(controls: list[dict]) -> None:
    assert controls
    unlabelled = [control for control in controls if not control["label"]]
    assert unlabelled == []
    ungrouped = [
        control
        for control in controls
        if control["type"] in {"checkbox", "radio"} and not control["legend"]
    ]
    # A lone yes/no checkbox carries its whole question in its label.
    assert [control["name"] for control in ungrouped] in ([], ["is_national"])


def test_list_filters_are_labelled_and_grouped(page, live_server, fiche):
    page.goto(live_server.url + "/exemples/")
    controls = page.locator("#filtres").evaluate(FORM_CONTROLS)
    assert_labelled_and_grouped(controls)
    legends = {control["legend"] for control in controls if control["type"] == "checkbox"}
    assert legends == {
        "Catégorie",
        "Fonction",
        "Thème",
        "Type de partenaire",
        "Région",
        "Département",
    }
    search = [control for control in controls if control["name"] == "q"]
    assert search == [
        {"name": "q", "type": "search", "label": "Rechercher un exemple", "legend": None}
    ]


def test_proposal_form_is_labelled_and_grouped(page, live_server, fiche):
    page.goto(live_server.url + "/proposer/")
    controls = page.locator("form.proposal-form").evaluate(FORM_CONTROLS)
    assert_labelled_and_grouped(controls)
    legends = {control["legend"] for control in controls if control["legend"]}
    assert legends == {
        "Catégorie de partenariat (facultatif)",
        "Fonction de co-construction territoriale (facultatif)",
    }
    # Départements are typed in one labelled field, with suggestions.
    assert {
        "name": "departements",
        "type": "text",
        "label": "Département(s) concerné(s)",
    }.items() <= next(control for control in controls if control["name"] == "departements").items()


def test_result_count_is_announced(page, live_server, fiche):
    page.goto(live_server.url + "/exemples/")
    count = page.locator("#nombre-resultats")
    assert count.get_attribute("role") == "status"
    assert count.get_attribute("aria-live") == "polite"
    expect(count).to_contain_text("75 exemples")
    # A live region is only announced when its content changes in place: the swap must keep
    # the element and replace what it says.
    count.evaluate("(element) => { element.dataset.original = 'oui'; }")
    page.locator("#filtre-fonction-accompagnements").check()
    expect(count).to_contain_text("6 exemples")
    assert count.get_attribute("data-original") == "oui"


def focus_state(page: Page) -> dict:
    state = page.evaluate(FOCUS_STATE)
    assert state["visible"], f"focus on an invisible element: {state['element']}"
    assert state["outline"] or state["shadow"], f"focus without indicator: {state['element']}"
    return state


def tab_until(page: Page, reached, limit: int = 300) -> dict:
    """Press Tab until `reached(state)`; the focus must be visible at every step."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if reached(state):
            return state
    raise AssertionError(f"not reached after {limit} presses of Tab")


def test_keyboard_only_journey(page, live_server, fiche):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/exemples/")
    page.evaluate("window.pageNotReloaded = true")

    # The search comes before the filters, and the first filters are the categories.
    tab_until(page, lambda state: state["id"] == "recherche")
    tab_until(page, lambda state: state["id"] == "filtre-categorie-mecenat")
    tab_until(page, lambda state: state["id"] == "filtre-fonction-accompagnements", limit=10)
    page.keyboard.press("Space")

    page.wait_for_url(re.compile(r"/exemples/\?.*fonction=accompagnements"))
    expect(page.locator("#nombre-resultats")).to_contain_text("6 exemples")
    expect(page.locator("#filtre-fonction-accompagnements")).to_be_checked()
    # htmx replaced the facets without reloading the page, and gave the focus back.
    assert page.evaluate("window.pageNotReloaded") is True
    assert focus_state(page)["id"] == "filtre-fonction-accompagnements"

    first_result = tab_until(page, lambda state: state["inResultCard"])
    titles = page.locator(".result-card__title").all_inner_texts()
    accompagnements = Example.objects.published().filter(functions__slug="accompagnements")
    assert sorted(titles) == sorted(accompagnements.values_list("title", flat=True))
    title = page.evaluate("document.activeElement.textContent").strip()
    assert title == titles[0]
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + first_result["href"])
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    labels = page.get_by_role("list", name="Catégories, fonctions et thèmes")
    expect(labels.get_by_role("link", name="Accompagnements")).to_be_visible()


def test_focus_carries_on_from_the_results_after_a_swap(page, live_server, fiche):
    """A chip or a page link disappears with the results it replaces: the focus goes to the
    result count, not back to the top of the page."""
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/exemples/?fonction=accompagnements")
    count = page.locator("#nombre-resultats")

    tab_until(page, lambda state: state["element"].startswith('<a class="chip"'))
    page.keyboard.press("Enter")
    expect(count).to_contain_text("75 exemples")
    expect(count).to_be_focused()
    assert focus_state(page)["id"] == "nombre-resultats"
    page.keyboard.press("Tab")
    assert focus_state(page)["element"].startswith('<a class="sort__choice"')

    tab_until(page, lambda state: state["href"] == "?page=2")
    page.keyboard.press("Enter")
    expect(count).to_contain_text("page 2 sur 4")
    expect(count).to_be_focused()
    focus_state(page)
