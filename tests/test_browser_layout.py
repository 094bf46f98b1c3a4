"""In Chromium (issue 18, items 5 and 6): an example page prints without the site's navigation;
on a phone the « Proposer » link leaves the current-page marker visible and the home search's
placeholder fits; the footer stays at the bottom of a short page."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_an_example_page_prints_without_navigation_or_forms(page, live_server, fiche):
    page.goto(f"{live_server.url}/exemples/ronalpia/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_text("Sources", exact=False).first.is_visible()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["téléphone", "bureau"])
def test_the_footer_stays_at_the_bottom_of_a_short_page(page, live_server, fiche, size):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/contact/")
    footer = page.locator(".site-footer").bounding_box()
    assert footer is not None
    assert footer["y"] + footer["height"] >= size["height"] - 1


def test_on_a_phone_the_propose_link_leaves_the_current_page_marker_visible(
    page, live_server, fiche
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/a-propos/")
    current = page.locator('.site-nav a[aria-current="page"]').bounding_box()
    propose = page.locator(".site-nav__propose").bounding_box()
    assert current is not None and propose is not None
    # The marker is a 3 px border under the current link.
    marker_bottom = current["y"] + current["height"] + 3
    overlaps_vertically = (
        propose["y"] < marker_bottom and current["y"] < propose["y"] + propose["height"]
    )
    overlaps_horizontally = (
        propose["x"] < current["x"] + current["width"]
        and current["x"] < propose["x"] + propose["width"]
    )
    assert not (overlaps_vertically and overlaps_horizontally)


def test_on_a_phone_the_home_search_placeholder_fits(page, live_server, fiche):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    fits = page.locator("#recherche-accueil").evaluate(
        """(input) => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontSize} ${style.fontFamily}`;
            const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return context.measureText(input.placeholder).width <= room;
        }"""
    )
    assert fits
