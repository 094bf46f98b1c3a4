"""A map of France by département, drawn from the geometry that pygal-maps-fr installs.

The package's SVG is read once per process, its outlines simplified (a map the size of a page
needs neither its curves nor its hundredths of a pixel), and each page then shades the
départements by how many examples they hold.

The package draws Paris and its petite couronne a second time, larger, in a corner of the map:
that inset gets a frame of its own (territories/_france_map.html), so each of the two drawings
has its own viewBox, cut to its outlines.
"""

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from django.urls import reverse
from django.utils.safestring import mark_safe
from shapely.geometry import Polygon
from svg.path import Close, Move, parse_path

SVG_NS = "{http://www.w3.org/2000/svg}"
# Saint-Pierre-et-Miquelon is drawn in the package but is not a département.
NOT_DEPARTEMENTS = {"975"}
INSET_GROUP = "paris-petite-couronne"
SIMPLIFY_TOLERANCE = 1.2
SHADES = 5
# Room around the outlines in a viewBox, for the stroke of the outermost ones.
VIEW_BOX_MARGIN = 4
TRANSLATE = re.compile(r"translate\(\s*([-\d.]+)[\s,]+([-\d.]+)\s*\)")


@dataclass(frozen=True)
class Outline:
    code: str
    path: str
    in_inset: bool


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    path: str
    in_inset: bool
    count: int
    level: int
    url: str

    @property
    def label(self) -> str:
        if self.count == 0:
            return f"{self.name} ({self.code}) : aucun exemple"
        plural = "s" if self.count > 1 else ""
        return f"{self.name} ({self.code}) : {self.count} exemple{plural}"


@dataclass(frozen=True)
class LegendStep:
    level: int
    low: int
    high: int

    @property
    def label(self) -> str:
        if self.high == 0:
            return "aucun exemple"
        if self.low == self.high:
            return f"{self.low}"
        return f"{self.low} à {self.high}"


@dataclass(frozen=True)
class FranceMap:
    areas: tuple[MapArea, ...]
    legend: tuple[LegendStep, ...]
    view_box: str
    inset_view_box: str
    total: int


def _rings(d: str) -> Iterable[list[complex]]:
    ring: list[complex] = []
    for segment in parse_path(d):
        if isinstance(segment, Move):
            if len(ring) > 2:
                yield ring
            ring = [segment.end]
        elif not isinstance(segment, Close):
            ring.append(segment.end)
    if len(ring) > 2:
        yield ring


def _compact_path(points: list[tuple[float, float]]) -> str:
    """Integer coordinates, relative after the first point: a third of the absolute size."""
    rounded = [(round(x), round(y)) for x, y in points]
    steps = []
    previous = rounded[0]
    for x, y in rounded[1:]:
        dx, dy = x - previous[0], y - previous[1]
        if dx or dy:
            steps.append(f"{dx} {dy}")
            previous = (x, y)
    if len(steps) < 2:
        return ""  # An islet smaller than a pixel once rounded: nothing to draw.
    return f"M{rounded[0][0]} {rounded[0][1]}l{' '.join(steps)}z"


def _view_box(points: list[tuple[float, float]]) -> str:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    left, top = math.floor(min(xs)) - VIEW_BOX_MARGIN, math.floor(min(ys)) - VIEW_BOX_MARGIN
    right, bottom = math.ceil(max(xs)) + VIEW_BOX_MARGIN, math.ceil(max(ys)) + VIEW_BOX_MARGIN
    return f"{left} {top} {right - left} {bottom - top}"


def _translation(transform: str) -> tuple[float, float]:
    """The offset of the package's root group, the only transform its map uses."""
    if not transform:
        return 0.0, 0.0
    match = TRANSLATE.fullmatch(transform.strip())
    if match is None:
        raise ValueError(f"Unexpected transform in pygal-maps-fr's map: {transform!r}")
    return float(match[1]), float(match[2])


@lru_cache(maxsize=1)
def departement_outlines() -> tuple[tuple[Outline, ...], str, str]:
    """The simplified outlines, in the coordinates of the package's root group moved by its
    transform, and the viewBoxes of the main map and of the inset."""
    source = files("pygal_maps_fr").joinpath("fr.departments.svg").read_text(encoding="utf-8")
    root = ET.fromstring(source)
    dx, dy = _translation(
        next((g.get("transform", "") for g in root.iter(f"{SVG_NS}g") if g.get("transform")), "")
    )
    inset_codes = set()
    for group in root.iter(f"{SVG_NS}g"):
        if group.get("id") == INSET_GROUP:
            inset_codes = {id(child) for child in group.iter(f"{SVG_NS}g")}
    outlines = []
    corners: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for group in root.iter(f"{SVG_NS}g"):
        classes = group.get("class", "").split()
        if "departement" not in classes:
            continue
        code = classes[0].removeprefix("z")
        if code in NOT_DEPARTEMENTS:
            continue
        in_inset = id(group) in inset_codes
        pieces = []
        for path in group.iter(f"{SVG_NS}path"):
            for ring in _rings(path.get("d", "")):
                polygon = Polygon([(point.real + dx, point.imag + dy) for point in ring])
                simplified = polygon.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
                if simplified.is_empty or not isinstance(simplified, Polygon):
                    continue
                points = [(x, y) for x, y in list(simplified.exterior.coords)[:-1]]
                if piece := _compact_path(points):
                    pieces.append(piece)
                    corners[in_inset].extend(points)
        # Digits, spaces and the letters M, l and z only: marked safe, the hundred outlines
        # of every page's map skip escaping.
        outlines.append(Outline(code, mark_safe("".join(pieces)), in_inset))
    return tuple(outlines), _view_box(corners[False]), _view_box(corners[True])


def shade_level(count: int, highest: int) -> int:
    """0 for no example, then 1..SHADES on a logarithmic scale: a few départements hold most
    examples, and a linear scale would leave every other one in the palest shade."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, math.ceil(SHADES * math.log1p(count) / math.log1p(highest) - 1e-9))


def legend_steps(highest: int) -> tuple[LegendStep, ...]:
    """The range of counts behind each shade, from the inverse of shade_level."""
    steps = [LegendStep(0, 0, 0)]
    low = 1
    for level in range(1, SHADES + 1):
        if low > highest:
            break
        high = min(highest, math.floor((1 + highest) ** (level / SHADES) - 1 + 1e-9))
        while high < highest and shade_level(high + 1, highest) <= level:
            high += 1
        while high >= low and shade_level(high, highest) > level:
            high -= 1
        if high >= low:
            steps.append(LegendStep(level, low, high))
            low = high + 1
    return tuple(steps)


def france_map(
    counts: Mapping[str, int],
    names: Mapping[str, str],
    url_for: Callable[[str], str],
) -> FranceMap:
    """Shade every département by its count; `names` maps codes to names, `url_for` gives the
    link of a département code."""
    outlines, view_box, inset_view_box = departement_outlines()
    highest = max(counts.values(), default=0)
    areas = tuple(
        MapArea(
            code=outline.code,
            name=names.get(outline.code, outline.code),
            path=outline.path,
            in_inset=outline.in_inset,
            count=counts.get(outline.code, 0),
            level=shade_level(counts.get(outline.code, 0), highest),
            url=url_for(outline.code),
        )
        for outline in outlines
    )
    return FranceMap(
        areas=areas,
        legend=legend_steps(highest),
        view_box=view_box,
        inset_view_box=inset_view_box,
        total=sum(counts.values()),
    )


def departement_link(code: str) -> str:
    return reverse("territories:departement", args=[code])


def directory_map(index, mask=None, url_for: Callable[[str], str] = departement_link) -> FranceMap:
    """The map of the published examples (or of `mask`), from the directory index."""
    counts, names = index.departement_counts(index.everything() if mask is None else mask)
    return france_map(counts=counts, names=names, url_for=url_for)
