"""The list /exemples/ as its htmx updates see it (issue 18): clean addresses, the search shown
once in its guillemets, the typo fallback announced, and updates that send only what changed.
The list in a real browser: tests/test_browser_list.py."""

import re
from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_URL = reverse("examples:list")
# What htmx sends from the list page: the page the request comes from, and the form's id when
# the form (not a chip, sort or page link) sent it.
FORM = "filtres"


def htmx(client, query: str, *, current: str | None = None, trigger: str | None = None):
    headers = {"HX-Request": "true"}
    if current is not None:
        headers["HX-Current-URL"] = f"http://testserver{LIST_URL}{current}"
    if trigger is not None:
        headers["HX-Trigger"] = trigger
    response = client.get(f"{LIST_URL}{query}", headers=headers)
    assert response.status_code == 200
    return response


def part(html: str, start: str, end: str) -> str:
    """The text from `start` to the first `end` after it."""
    begin = html.index(start)
    return html[begin : html.index(end, begin) + len(end)]


# Addresses


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("?q=", LIST_URL),
        ("?q=&theme=education", f"{LIST_URL}?theme=education"),
        (
            "?q=+++&fonction=accompagnements&tri=titre",
            f"{LIST_URL}?fonction=accompagnements&tri=titre",
        ),
        ("?theme=education&q=", f"{LIST_URL}?theme=education"),
    ],
)
def test_a_blank_search_is_dropped_from_the_address(client, query, location):
    # The form without JavaScript sends its empty search box.
    response = client.get(f"{LIST_URL}{query}")
    assert response.status_code == 302
    assert response["Location"] == location


def test_no_address_the_page_produces_carries_an_empty_search(client):
    response = client.get(f"{LIST_URL}?q=&theme=education&categorie=mecenat", follow=True)
    assert response.redirect_chain == [(f"{LIST_URL}?theme=education&categorie=mecenat", 302)]
    html = response.content.decode()
    addresses = [unescape(url) for url in re.findall(r'(?:href|hx-get|action)="([^"]*)"', html)]
    assert len(addresses) > 100  # the chips, the sort, the map, the exports, the feed
    assert [url for url in addresses if re.search(r"[?&]q=(&|$)", url)] == []


# The search, shown once in its guillemets


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("numérique", "numérique"),
        ('"tiers lieu"', "tiers lieu"),
        ("« tiers lieu »", "tiers lieu"),
        ("“tiers lieu”", "tiers lieu"),
        ('"tiers lieu" -paris', "“tiers lieu” -paris"),
    ],
)
def test_a_search_is_shown_in_one_pair_of_guillemets(client, typed, shown):
    html = client.get(LIST_URL, {"q": typed}).content.decode()
    title = part(html, "<title>", "</title>")
    assert title == (
        f"<title>Exemples pour «&nbsp;{shown}&nbsp;» — Faire alliance — exemples inspirants</title>"
    )
    count = part(html, '<p id="nombre-resultats"', "</p>")
    assert f"pour «&nbsp;{shown}&nbsp;»" in count
    assert f"Recherche&nbsp;: «\xa0{shown}\xa0»" in html
    # The search box keeps what was typed.
    assert 'name="q" value="' in html


def test_the_htmx_title_shows_the_search_in_one_pair_of_guillemets(client):
    html = htmx(client, "?q=%C2%AB+tiers+lieu+%C2%BB", trigger=FORM).content.decode()
    assert "<title>Exemples pour «&nbsp;tiers lieu&nbsp;» — " in html


# The typo fallback


def test_the_typo_fallback_is_announced_in_an_htmx_update(client):
    html = htmx(client, "?q=numerik", current="", trigger=FORM).content.decode()
    # The result count is the live region a screen reader hears after the update.
    count = part(html, '<p id="nombre-resultats" hx-swap-oob="innerHTML">', "</p>")
    assert "pour «&nbsp;numérique&nbsp;» au lieu de «&nbsp;numerik&nbsp;»" in count
    assert (
        "Résultats pour «&nbsp;numérique&nbsp;»&nbsp;; aucun exemple ne contient "
        "«&nbsp;numerik&nbsp;»."
    ) in html
    assert "Rechercher exactement «&nbsp;numerik&nbsp;»" in html


def test_the_typo_fallback_is_announced_on_the_page(client):
    html = client.get(LIST_URL, {"q": "numerik"}).content.decode()
    count = part(html, '<p id="nombre-resultats"', "</p>")
    assert "pour «&nbsp;numérique&nbsp;» au lieu de «&nbsp;numerik&nbsp;»" in count


def test_a_search_without_correction_says_nothing_of_one(client):
    html = client.get(LIST_URL, {"q": "numérique"}).content.decode()
    assert "au lieu de" not in html
    assert "aucun exemple ne contient" not in html


# What an htmx update sends


def test_the_page_holds_the_map_shapes_once_and_its_areas_use_them(client):
    html = client.get(LIST_URL).content.decode()
    assert html.count("<path ") == 105  # 101 départements and the 4 of the Paris inset
    areas = part(html, '<div id="carte-resultats">', "</figure>")
    assert "<path " not in areas
    assert areas.count('<use href="#carte-forme-') == 105


def test_an_htmx_update_leaves_out_what_did_not_change(client):
    # A département ticked: the map (which ignores the place filters) stays as it is.
    response = htmx(client, "?theme=education&departement=13", current="?theme=education")
    html = response.content.decode()
    assert 'id="carte-resultats"' not in html
    assert '<div id="facettes" hx-swap-oob="innerHTML">' in html
    assert "Programme Impact Jeunes" in html
    assert len(response.content) < 60_000
    # Another page: neither the map nor the facets change.
    response = htmx(client, "?theme=education&page=2", current="?theme=education")
    html = response.content.decode()
    assert 'id="carte-resultats"' not in html
    assert 'id="facettes"' not in html
    assert '<p id="nombre-resultats" hx-swap-oob="innerHTML">' in html
    assert len(response.content) < 15_000


def test_an_htmx_update_sends_a_changed_map_without_its_shapes(client):
    response = htmx(client, "?theme=education", current="", trigger=FORM)
    html = response.content.decode()
    areas = part(html, '<div id="carte-resultats" hx-swap-oob="innerHTML">', "</figure>")
    assert "<path " not in html
    assert areas.count('<use href="#carte-forme-') == 105
    # 63 kB with the shapes; a tenth of that once compressed (tests/test_list_compression.py).
    assert len(areas.encode()) < 25_000
    shaded = set(
        re.findall(r"departement=(\w+)\" class=\"france-map__area france-map__area--[1-5]", areas)
    )
    assert shaded == {"13", "94"}


def test_an_htmx_update_sends_the_map_when_it_cannot_tell_what_the_page_shows(client):
    for current in (None, "/exemples/ronalpia/"):
        headers = {"HX-Request": "true"}
        if current:
            headers["HX-Current-URL"] = f"http://testserver{current}"
        html = client.get(f"{LIST_URL}?departement=13", headers=headers).content.decode()
        assert '<div id="carte-resultats" hx-swap-oob="innerHTML">' in html
        assert '<div id="facettes" hx-swap-oob="innerHTML">' in html


def test_htmx_updates_vary_on_the_page_they_update(client):
    # What an update leaves out depends on the page it comes from and on what sent it: no
    # cache may serve it for another.
    vary = htmx(client, "?departement=13", current="").headers["Vary"]
    assert {"HX-Request", "HX-Current-URL", "HX-Trigger"} <= {
        header.strip() for header in vary.split(",")
    }
    assert "HX-Current-URL" not in client.get(LIST_URL).headers["Vary"]


# The page's structure


def test_the_results_come_before_the_map_and_a_skip_link_leads_to_them(client):
    html = client.get(LIST_URL, {"q": "numérique"}).content.decode()
    skip = '<a class="skip-link" href="#nombre-resultats">Aller aux résultats</a>'
    assert skip in html
    assert html.index(skip) < html.index('id="recherche"')
    assert html.index('id="nombre-resultats"') < html.index('class="results__list"')
    assert html.index('class="results__list"') < html.index('id="carte-resultats"')


def test_the_filter_panel_says_how_many_results_and_leads_to_them(client):
    html = client.get(LIST_URL, {"q": "numérique"}).content.decode()
    footer = part(html, '<div class="facets__footer">', "</div>")
    assert '<span id="bilan-facettes"><strong>7 exemples</strong></span>' in footer
    assert (
        '<a class="facets__show-results" href="#nombre-resultats">Voir les résultats</a>' in footer
    )
    assert '<button type="submit" class="button facets__submit">Filtrer</button>' in footer
    update = htmx(client, "?q=num%C3%A9rique&theme=education", current="?q=num%C3%A9rique")
    assert (
        '<span id="bilan-facettes" hx-swap-oob="innerHTML"><strong>aucun exemple</strong></span>'
    ) in update.content.decode()


def test_the_map_inset_is_framed_and_labelled(client):
    html = client.get(LIST_URL).content.decode()
    inset = part(html, '<div class="france-map__inset" aria-hidden="true">', "</svg>")
    assert '<p class="france-map__inset-label">Paris et petite couronne</p>' in inset
    assert inset.count('<use href="#carte-forme-encart-') == 4
