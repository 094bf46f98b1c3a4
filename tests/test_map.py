"""The map of France: geometry from the installed package, shading by counts."""

import re

import pytest
from django.template import Context, Template

from territories.map import departement_outlines, france_map, legend_steps, shade_level
from territories.models import Departement


def test_outlines_cover_every_departement_once_outside_the_inset():
    outlines, view_box, _ = departement_outlines()
    main = [outline.code for outline in outlines if not outline.in_inset]
    assert len(main) == 101
    assert len(set(main)) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= set(main)
    assert "975" not in main
    assert sorted(o.code for o in outlines if o.in_inset) == ["75", "92", "93", "94"]
    assert view_box.count(" ") == 3


@pytest.mark.django_db
def test_outline_codes_are_the_reference_departements():
    outlines, _, _ = departement_outlines()
    assert {o.code for o in outlines} == set(Departement.objects.values_list("code", flat=True))


def test_paths_are_compact_closed_outlines():
    outlines, _, _ = departement_outlines()
    assert all(o.path.startswith("M") and o.path.endswith("z") for o in outlines)
    # Simplified geometry keeps the inline map light for phones.
    assert sum(len(o.path) for o in outlines) < 60_000


@pytest.mark.parametrize(
    ("count", "highest", "level"),
    [(0, 10, 0), (1, 1, 5), (10, 10, 5), (1, 100_000, 1), (100_000, 100_000, 5), (5, 0, 0)],
)
def test_shade_level(count, highest, level):
    assert shade_level(count, highest) == level


def test_shades_grow_with_the_count():
    levels = [shade_level(count, 5000) for count in range(0, 5001)]
    assert levels == sorted(levels)
    assert set(levels) == {0, 1, 2, 3, 4, 5}


@pytest.mark.parametrize("highest", [0, 1, 2, 7, 100, 5000])
def test_legend_ranges_match_the_shading(highest):
    steps = legend_steps(highest)
    for count in range(0, highest + 1):
        (step,) = [s for s in steps if s.level == shade_level(count, highest)]
        assert step.low <= count <= step.high


def test_legend_labels_are_french():
    assert [step.label for step in legend_steps(100)][:3] == ["aucun exemple", "1", "2 à 5"]


def test_france_map_shades_and_links_each_departement():
    result = france_map(
        counts={"69": 12, "13": 1},
        names={"69": "Rhône", "13": "Bouches-du-Rhône"},
        url_for=lambda code: f"/departements/{code}/",
    )
    by_code = {area.code: area for area in result.areas if not area.in_inset}
    assert by_code["69"].level == 5
    assert 1 <= by_code["13"].level < by_code["69"].level
    assert by_code["01"].level == 0
    assert by_code["69"].url == "/departements/69/"
    assert by_code["69"].label == "Rhône (69) : 12 exemples"
    assert by_code["13"].label == "Bouches-du-Rhône (13) : 1 exemple"
    assert result.total == 13


def test_map_areas_escape_names_and_links():
    result = france_map(
        counts={"69": 2},
        names={"69": 'Rhône <b>"&'},
        url_for=lambda code: f"/exemples/?q=a&departement={code}",
    )
    html = Template("{% load france_map %}{% map_areas france_map %}").render(
        Context({"france_map": result})
    )
    assert (
        '<a href="/exemples/?q=a&amp;departement=69" class="france-map__area france-map__area--5"'
        ' aria-label="Rhône &lt;b&gt;&quot;&amp; (69) : 2 exemples">'
        "<title>Rhône &lt;b&gt;&quot;&amp; (69) : 2 exemples</title>"
        '<use href="#carte-forme-69"/></a>'
    ) in html
    assert "<b>" not in html


def test_paths_have_no_empty_segment():
    outlines, _, _ = departement_outlines()
    for outline in outlines:
        assert "lz" not in outline.path
        assert outline.path.count("M") == outline.path.count("z")


def map_areas(html: str) -> dict[str, tuple[str, str]]:
    """The main map's areas: département code → (shade class, link)."""
    found = {}
    for match in re.finditer(
        r'<a href="([^"]+)" class="france-map__area france-map__area--(\d)"'
        r'(?: tabindex="-1")?(?: aria-label="[^"]*")?><title>[^<(]*\((\w+)\)',
        html,
    ):
        link, level, code = match.groups()
        found[code] = (level, link)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/territoires/", "/exemples/"])
def test_the_map_draws_every_departement_on_its_pages(client, url):
    html = client.get(url).content.decode()
    areas = map_areas(html)
    assert len(areas) == 101
    assert html.count("<path ") == 105  # with the inset of Paris and its petite couronne
    assert "<title>Rhône (69) : 4 exemples</title>" in html
    assert "<title>Ain (01) : 1 exemple</title>" in html
    assert "<title>Drôme (26) : aucun exemple</title>" in html


@pytest.mark.django_db
def test_home_and_territories_map_link_to_departement_pages(client):
    for url in ["/", "/territoires/"]:
        areas = map_areas(client.get(url).content.decode())
        assert areas["69"][1] == "/departements/69/"
        assert areas["2A"][1] == "/departements/2A/"
        assert areas["26"][0] == "0"
        # Rhône (4 examples), Corse-du-Sud (2), Ain (1): the more examples, the darker.
        assert areas["69"][0] > areas["2A"][0] > areas["01"][0] > "0"


@pytest.mark.django_db
def test_every_map_link_resolves(client):
    areas = map_areas(client.get("/territoires/").content.decode())
    for _, link in areas.values():
        assert client.get(link).status_code == 200


@pytest.mark.django_db
def test_list_map_follows_the_content_filters_and_links_to_the_filtered_list(client):
    areas = map_areas(client.get("/exemples/?theme=education").content.decode())
    # Programme Impact Jeunes (13) and Vitawin (94) are the fiche's education examples.
    shaded = {code for code, (level, _) in areas.items() if level != "0"}
    assert shaded == {"13", "94"}
    assert areas["13"][1] == "/exemples/?theme=education&amp;departement=13"


@pytest.mark.django_db
def test_list_map_ignores_the_place_filters(client):
    areas = map_areas(client.get("/exemples/?departement=69&region=84&page=1").content.decode())
    assert areas["13"][0] != "0"
    assert areas["13"][1] == "/exemples/?departement=13"


@pytest.mark.django_db
def test_list_map_is_swapped_with_the_results(client):
    html = client.get("/exemples/?theme=numerique", headers={"HX-Request": "true"}).content.decode()
    assert '<div id="carte-resultats" hx-swap-oob="innerHTML">' in html
    shaded = {code for code, (level, _) in map_areas(html).items() if level != "0"}
    assert shaded == {"86"}


def svg_of(html: str, css_class: str) -> str:
    start = html.index(f'<svg class="{css_class}"')
    return html[start : html.index("</svg>", start)]


@pytest.mark.django_db
def test_list_map_stays_out_of_the_tab_order_as_the_departement_filter_says_the_same(client):
    html = client.get("/exemples/").content.decode()
    _, view_box, inset_view_box = departement_outlines()
    svg = svg_of(html, "france-map__svg")
    assert svg.startswith(
        f'<svg class="france-map__svg" viewBox="{view_box}" focusable="false" aria-hidden="true">'
    )
    assert svg.count('tabindex="-1"') == 101
    assert "aria-label" not in svg  # hidden from the accessibility tree, it needs no names
    inset = svg_of(html, "france-map__inset-svg")
    assert f'viewBox="{inset_view_box}"' in inset
    assert inset.count('tabindex="-1" aria-hidden="true"') == 4
    home = client.get("/").content.decode()
    assert 'tabindex="-1"' not in svg_of(home, "france-map__svg")
    assert svg_of(home, "france-map__svg").count("aria-label=") == 101
    assert svg_of(home, "france-map__inset-svg").count('tabindex="-1" aria-hidden="true"') == 4
    assert '<div class="france-map__inset" aria-hidden="true">' in home


def test_each_view_box_frames_its_own_outlines():
    _, view_box, inset_view_box = departement_outlines()
    # The main map no longer holds the inset's corner; the inset is about as high as wide.
    left, top, width, height = map(int, view_box.split())
    assert (left, top) != (0, 0) and width < 2000 and height < 1898
    _, _, inset_width, inset_height = map(int, inset_view_box.split())
    assert 0.8 < inset_width / inset_height < 1.2


@pytest.mark.django_db
def test_the_territories_page_keeps_the_list_as_the_maps_text_alternative(client):
    html = client.get("/territoires/").content.decode()
    assert "<figcaption" in html
    assert "La liste des régions et départements ci-dessous donne la même information." in html
    assert html.index('class="france-map"') < html.index('id="titre-regions"')


@pytest.mark.django_db
def test_pages_with_a_map_keep_their_query_budget(client, django_assert_max_num_queries):
    # /territoires/ counts one read of the directory's version (examples/directory_version.py).
    for url, budget in [("/", 10), ("/territoires/", 6)]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
