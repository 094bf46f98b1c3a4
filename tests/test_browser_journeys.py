"""What visitors come to do, end to end in Chromium: browse by category from the home page,
narrow the list by département then by function, find an example despite a typo, and come back
from an example to the list they had filtered.

Proposing an example and its publication by a moderator: tests/test_browser_moderation.py."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from examples.models import Example
from tests.example_builders import make_example

pytestmark = pytest.mark.browser


def result_titles(page: Page) -> list[str]:
    return page.locator("#resultats .result-card__title").all_inner_texts()


def published_titles(**filters) -> set[str]:
    return set(Example.objects.published().filter(**filters).values_list("title", flat=True))


def test_browse_by_category_from_the_home_page(page, live_server, fiche):
    # Add a published example to a category that already holds real ones; its title sorts
    # among the first, so that it is on the category's first page.
    title = "Alliance des mécènes du Rhône pour l’insertion"
    already = Example.objects.published().filter(categories__slug="mecenat").distinct().count()
    assert already >= 1
    make_example(
        title,
        summary="Des entreprises lyonnaises financent un chantier d’insertion.",
        categories=("mecenat",),
        functions=("accompagnements",),
        departements=("69",),
        published_at=timezone.now(),
    )
    page.goto(live_server.url + "/")
    categories = page.get_by_role("region", name="Les quatre catégories de partenariat")
    card = categories.get_by_role("listitem").filter(has_text="Mécénat")
    expect(card).to_contain_text(f"{already + 1} exemples")
    card.get_by_role("link", name="Mécénat").click()

    page.wait_for_url(live_server.url + "/categories/mecenat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mécénat")
    examples = page.get_by_role("region", name="Les exemples", exact=True)
    expect(examples).to_contain_text(f"{already + 1} exemples publiés")
    examples.get_by_role("link", name=title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    labels = page.get_by_role("list", name="Catégories, fonctions et thèmes")
    expect(labels.get_by_role("link", name="Mécénat")).to_be_visible()
    expect(page.get_by_role("complementary")).to_contain_text("Rhône (69)")


def test_filter_by_departement_then_by_function(page, live_server, fiche):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/exemples/")
    count = page.locator("#nombre-resultats")

    page.locator("summary", has_text="Île-de-France").click()
    page.get_by_role("checkbox", name="Val-de-Marne (94)").check()
    page.wait_for_url(re.compile(r"departement=94"))
    in_94 = published_titles(departements__code="94")
    expect(count).to_contain_text(f"{len(in_94)} exemples")
    assert set(result_titles(page)) == in_94

    page.get_by_role("group", name="Fonction").get_by_label("Expérimentations collectives").check()
    page.wait_for_url(
        lambda url: "departement=94" in url and "fonction=experimentations-collectives" in url
    )
    expect(count).to_contain_text("1 exemple")
    expected = published_titles(
        departements__code="94", functions__slug="experimentations-collectives"
    )
    assert result_titles(page) == list(expected) == ["Vitawin"]
    expect(
        page.get_by_role("link", name="Retirer le filtre Département : Val-de-Marne (94)")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Retirer le filtre Fonction : Expérimentations collectives")
    ).to_be_visible()


def test_search_with_a_typo_from_the_home_page(page, live_server, fiche):
    page.goto(live_server.url + "/")
    search = page.get_by_role("search", name="Recherche dans l’annuaire")
    search.get_by_role("searchbox").fill("sliver geek")
    search.get_by_role("searchbox").press("Enter")

    page.wait_for_url(re.compile(r"/exemples/\?q=sliver(\+|%20)geek$"))
    expect(page.locator("#nombre-resultats")).to_contain_text(
        "1 exemple pour « geek » au lieu de « sliver geek »"
    )
    expect(page.get_by_role("searchbox", name="Rechercher un exemple")).to_have_value("sliver geek")
    page.locator("#resultats").get_by_role("link", name="Silver Geek").click()
    page.wait_for_url(live_server.url + "/exemples/silver-geek/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Silver Geek")


def test_back_from_an_example_keeps_the_filters_and_the_results(page, live_server, fiche):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/exemples/")
    count = page.locator("#nombre-resultats")
    page.locator("#filtre-fonction-experimentations-collectives").check()
    page.wait_for_url(re.compile(r"fonction=experimentations-collectives"))
    page.locator("#filtre-theme-education").check()
    page.wait_for_url(re.compile(r"theme=education"))
    expect(count).to_contain_text("2 exemples")
    page.get_by_role("link", name="Les plus récents").click()
    page.wait_for_url(re.compile(r"tri=recent"))
    filtered_url = page.url
    titles = result_titles(page)
    assert sorted(titles) == ["Programme Impact Jeunes", "Vitawin"]

    page.locator("#resultats").get_by_role("link", name=titles[1]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[1])

    page.go_back()
    page.wait_for_url(filtered_url)
    expect(count).to_contain_text("2 exemples")
    expect(page.locator("#filtre-fonction-experimentations-collectives")).to_be_checked()
    expect(page.locator("#filtre-theme-education")).to_be_checked()
    assert page.locator("#filtres input[type=checkbox]:checked").count() == 2
    assert result_titles(page) == titles
    expect(page.locator(".sort__choice[aria-current]")).to_have_text("Les plus récents")
