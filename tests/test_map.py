"""The map of France: geometry from the installed package, shading by counts."""

import pytest

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
