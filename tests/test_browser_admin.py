"""The admin's import and export pages in Chromium, under the Content Security Policy: the
export's « Tout sélectionner » works, the breadcrumbs look as on every admin page, and the import
preview of a whole export stays within a 1280-pixel window."""

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from examples.models import Example
from examples.roles import sync_roles
from tests.curation import PASSWORD, make_moderator
from tests.test_browser_csp import watched_page  # noqa: F401 (the fixture this module uses)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
BREADCRUMBS_STYLE = """() => {
  const crumbs = document.querySelector(".breadcrumbs");
  const style = getComputedStyle(crumbs);
  const separator = getComputedStyle(crumbs.querySelector("li"), "::after").content;
  return {
    background: style.backgroundColor,
    color: style.color,
    padding: style.paddingLeft,
    listStyle: style.listStyleType,
    separator,
  };
}"""


@pytest.fixture
def moderator_page(watched_page, live_server, fiche):  # noqa: F811 (the imported fixture)
    sync_roles(apps)
    moderator = make_moderator()
    page = watched_page
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Nom d’utilisateur").fill(moderator.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_select_all_on_the_export_page(moderator_page: Page, live_server):
    page = moderator_page
    page.goto(f"{live_server.url}/admin/examples/example/export/")
    toggle = page.get_by_label("Tout sélectionner")
    columns = page.locator(".selectable-field-export-row input[type=checkbox]")
    assert columns.count() == 18
    expect(toggle).to_be_checked()

    toggle.uncheck()
    for index in range(columns.count()):
        expect(columns.nth(index)).not_to_be_checked()

    page.get_by_label("Titre (titre)").check()
    assert page.evaluate("document.querySelector('.export-select-all').indeterminate")
    toggle.check()
    for index in range(columns.count()):
        expect(columns.nth(index)).to_be_checked()


def test_import_and_export_breadcrumbs_look_as_elsewhere(moderator_page: Page, live_server):
    page = moderator_page
    page.goto(f"{live_server.url}/admin/examples/example/")
    reference = page.evaluate(BREADCRUMBS_STYLE)
    assert reference["background"] not in {"rgba(0, 0, 0, 0)", "transparent"}
    for path in ["import", "export"]:
        page.goto(f"{live_server.url}/admin/examples/example/{path}/")
        assert page.evaluate(BREADCRUMBS_STYLE) == reference, path


def test_the_import_preview_stays_within_the_window(moderator_page: Page, live_server):
    page = moderator_page
    export = page.request.get(f"{live_server.url}/exemples/export.csv")
    assert export.ok
    page.goto(f"{live_server.url}/admin/examples/example/import/")
    page.get_by_label("Fichier à importer").set_input_files(
        {"name": "exemples.csv", "mimeType": "text/csv", "buffer": export.body()}
    )
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Voir l’aperçu").click()
    expect(page.get_by_role("heading", name="Aperçu")).to_be_visible()
    assert page.locator(".import-preview tr").count() > 70
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], width


def test_the_history_page_breaks_no_rule_of_the_policy(moderator_page: Page, live_server):
    page = moderator_page
    example = Example.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/admin/examples/example/{example.pk}/history/")
    expect(page.get_by_role("columnheader", name="Changements")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []
