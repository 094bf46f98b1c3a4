"""The list in a real browser: htmx swaps the results without reloading the page, keeps the
URL and the back button right, and the same form works without JavaScript."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from examples.models import Example

pytestmark = pytest.mark.browser

SCREENSHOT = settings.BASE_DIR / "docs" / "screenshot-liste.png"


def test_ticking_a_filter_updates_the_results_without_reloading(page, live_server, fiche):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(live_server.url + "/exemples/")
    count = page.locator("#nombre-resultats")
    everything = f"{Example.objects.published().count()} exemples"
    expect(count).to_contain_text(everything)
    page.evaluate("window.pageNotReloaded = true")

    page.locator("#filtre-fonction-accompagnements").check()

    page.wait_for_url(re.compile(r"/exemples/\?.*fonction=accompagnements"))
    expect(count).to_contain_text("6 exemples")
    expect(page.locator("#resultats")).to_contain_text("Ronalpia")
    expect(page.locator("#resultats")).not_to_contain_text("Silver Geek")
    expect(
        page.get_by_role("link", name="Retirer le filtre Fonction : Accompagnements")
    ).to_be_visible()
    # The facet counts follow: the Rhône has one accompagnement.
    expect(page.locator("label[for=filtre-departement-69] .facet__count")).to_contain_text("1")
    assert page.evaluate("window.pageNotReloaded") is True
    assert page.locator("#filtre-fonction-accompagnements").is_checked()
    # The facets were replaced: focus is back on the checkbox the visitor ticked.
    assert page.evaluate("document.activeElement.id") == "filtre-fonction-accompagnements"

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOT, animations="disabled")

    page.locator("summary", has_text="Auvergne-Rhône-Alpes").click()
    page.locator("#filtre-departement-69").check()
    page.wait_for_url(re.compile(r"departement=69"))
    expect(count).to_contain_text("1 exemple")

    page.go_back()
    page.wait_for_url(re.compile(r"fonction=accompagnements$"))
    expect(count).to_contain_text("6 exemples")

    page.get_by_role("link", name="Retirer le filtre Fonction : Accompagnements").click()
    expect(count).to_contain_text(everything)
    assert "fonction" not in page.url
    assert page.evaluate("window.pageNotReloaded") is True


def test_search_then_sort_without_reloading(page, live_server, fiche):
    page.goto(live_server.url + "/exemples/")
    page.evaluate("window.pageNotReloaded = true")
    page.get_by_role("searchbox", name="Rechercher un exemple").fill("sliver geek")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"q=sliver(\+|%20)geek"))
    expect(page.locator("#nombre-resultats")).to_contain_text(
        "1 exemple pour « geek » au lieu de « sliver geek »"
    )
    expect(page).to_have_title(
        "Exemples pour « sliver geek » — Faire alliance — exemples inspirants"
    )
    page.get_by_role("searchbox", name="Rechercher un exemple").fill("lieu")
    page.keyboard.press("Enter")
    expect(page.locator("#nombre-resultats")).to_contain_text("exemples pour « lieu »")
    expect(page.locator(".sort__choice[aria-current]")).to_have_text("Pertinence")
    page.get_by_role("link", name="Titre (A → Z)").click()
    page.wait_for_url(re.compile(r"tri=titre"))
    expect(page.locator(".sort__choice[aria-current]")).to_have_text("Titre (A → Z)")
    expect(page.locator(".result-card__title").first).to_have_text(
        "Ateliers de l’Entrepreneuriat Humaniste"
    )
    assert page.evaluate("window.pageNotReloaded") is True


def test_the_form_works_without_javascript(browser, live_server, fiche):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + "/exemples/")
    page.locator("#filtre-theme-education").check()
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"theme=education"))
    expect(page.locator("#nombre-resultats")).to_contain_text("2 exemples")
    context.close()


def test_facets_hide_behind_a_disclosure_on_phones(page, live_server, fiche):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/exemples/")
    checkbox = page.locator("#filtre-categorie-mecenat")
    expect(checkbox).to_be_hidden()
    page.locator("summary", has_text="Filtrer").click()
    expect(checkbox).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/exemples/")
    expect(page.locator("#filtre-categorie-mecenat")).to_be_visible()
    expect(page.locator("summary", has_text="Filtrer")).to_be_hidden()
