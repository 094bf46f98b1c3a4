"""The Content Security Policy in Chromium: nothing blocked, and the admin's scripts still run."""

import pytest
from django.contrib.auth import get_user_model

from examples.models import Example

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched_page(page):
    """A page that records CSP violations, console errors and uncaught exceptions; the test
    fails on any."""
    console_errors = []

    def record_error(message) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", record_error)
    page.on("pageerror", lambda error: console_errors.append(f"{error.name}: {error.message}"))
    page.add_init_script(RECORD_VIOLATIONS)
    yield page
    assert page.evaluate("window.cspViolations") == []
    assert console_errors == []


def assert_no_violation(page) -> None:
    assert page.evaluate("window.cspViolations") == []


def test_home_page_breaks_no_rule_of_the_policy(watched_page, live_server, fiche):
    response = watched_page.goto(live_server.url + "/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert_no_violation(watched_page)


def test_admin_works_under_the_policy(watched_page, live_server, fiche):
    page = watched_page
    get_user_model().objects.create_superuser("moderatrice", "m@example.org", "mot-de-passe-7")
    example = Example.objects.order_by("pk").first()

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("moderatrice")
    page.get_by_label("Mot de passe").fill("mot-de-passe-7")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert_no_violation(page)

    page.goto(f"{live_server.url}/admin/examples/example/{example.pk}/change/")
    assert page.get_by_role("heading", level=2, name=example.title).is_visible()
    # These widgets only exist once the admin's JavaScript has run.
    # The functions' two-list selector, the autocompletes, and the inlines' "add another" links
    # (categories, partners, sources, figures).
    assert page.locator(".selector .selector-available").count() == 1
    assert page.locator(".select2-container").count() >= 1
    assert page.locator(".add-row a").count() == 4
    assert_no_violation(page)

    page.goto(f"{live_server.url}/admin/examples/example/add/")
    # The admin fills the slug on key strokes, so type rather than fill.
    page.locator("#id_title").press_sequentially("Une alliance pour essayer")
    assert page.locator("#id_slug").input_value() == "une-alliance-pour-essayer"
    assert_no_violation(page)
