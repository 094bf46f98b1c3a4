"""The proposal form in Chromium: a visitor who knows neither the category nor the function,
types a website without https:// and a département by its name, gets through; after a refused
submission the focus is on the error summary. No console error, no CSP violation."""

import pytest

from examples.models import Example
from examples.status import ExampleStatus
from tests.test_browser_csp import watched_page  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

TITLE = "Le jardin de la Brèche"


def fill_the_form(page) -> None:
    page.get_by_label("Nom de l’exemple").fill(TITLE)
    page.get_by_label("Description").fill("Une association et une entreprise cultivent un jardin.")
    page.get_by_label("Partenaires").fill("Association La Brèche\nPépinières du Rhône")
    page.get_by_label("Votre adresse e-mail").fill("contact@jardin-breche.example.org")


def test_a_visitor_who_does_not_know_proposes_with_a_bare_website(
    watched_page,  # noqa: F811
    live_server,
    fiche,
):
    page = watched_page
    page.goto(f"{live_server.url}/proposer/")
    fill_the_form(page)
    # Typed, with the browser's suggestions; no région to open.
    page.get_by_label("Département(s) concerné(s)").fill("Rhône")
    page.get_by_label("Site web (facultatif)").fill("jardin-breche.fr")
    # « Je ne sais pas » stays ticked for both.
    assert page.get_by_role("radio", name="Je ne sais pas").nth(0).is_checked()
    assert page.get_by_role("radio", name="Je ne sais pas").nth(1).is_checked()
    page.get_by_role("button", name="Envoyer la proposition").click()
    page.wait_for_url("**/proposer/merci/")
    example = Example.objects.get(title=TITLE)
    assert example.status == ExampleStatus.PROPOSE
    assert example.website == "https://jardin-breche.fr"
    assert list(example.departements.values_list("code", flat=True)) == ["69"]


def test_after_a_refused_submission_the_focus_is_on_the_error_summary(
    watched_page,  # noqa: F811
    live_server,
    fiche,
):
    page = watched_page
    page.goto(f"{live_server.url}/proposer/")
    fill_the_form(page)
    page.get_by_label("Département(s) concerné(s)").fill("Atlantide")
    page.get_by_role("button", name="Envoyer la proposition").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "erreurs"
    summary = page.locator("#erreurs")
    assert "«\u00a0Atlantide\u00a0» ne correspond à aucun département" in summary.inner_text()
    # What was typed is still there.
    assert page.get_by_label("Nom de l’exemple").input_value() == TITLE
    assert page.get_by_label("Département(s) concerné(s)").input_value() == "Atlantide"
