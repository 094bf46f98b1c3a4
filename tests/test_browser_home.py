"""The home page in a real browser (Debian's Chromium driven by Playwright)."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_in_chromium(page, live_server, fiche):
    page.goto(live_server.url + "/")
    assert page.title() == "Faire alliance — exemples inspirants"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Faire alliance — exemples inspirants"
    )
    for name in ["Mécénat", "Innovation sociétale", "Dialogue territorial", "Gestion d’un lieu"]:
        assert page.get_by_role("heading", name=name, exact=True).is_visible()
