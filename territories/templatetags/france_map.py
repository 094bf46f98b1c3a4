"""The départements of a map of France, written by Python rather than by a template loop.

A map links 105 areas (the 101 départements and the four of the Paris inset), and the list
draws one on every page: through the template language that loop cost 2.5 ms of each list page
at 100,000 examples, an f-string with the same escaping a seventh of it (docs/performance.md).
The escaping is the standard library's, which django.utils.html.escape() calls for the same
result: that one also wraps each of the 210 strings in a SafeString nobody reads.

The outlines are drawn once per page (map_shapes) and each area links a <use> of its outline:
an htmx update of the list redraws the areas, shades and links, without sending the outlines
again. The figure around it, its caption and its legend stay in territories/_france_map.html.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from territories.map import FranceMap, departement_outlines

register = template.Library()


def shape_id(code: str, in_inset: bool) -> str:
    return f"carte-forme-encart-{code}" if in_inset else f"carte-forme-{code}"


@register.simple_tag
def map_shapes() -> SafeString:
    """The outline of each area, for the <use> of map_areas; they hold digits, spaces and the
    letters M, l and z only."""
    outlines, _, _ = departement_outlines()
    return mark_safe(
        "".join(
            f'<path id="{shape_id(outline.code, outline.in_inset)}" d="{outline.path}"/>'
            for outline in outlines
        )
    )


@register.simple_tag
def map_areas(france_map: FranceMap, decorative: bool = False, inset: bool = False) -> SafeString:
    """Each area of the main map (or of the inset) as a link named by its count, which its
    title shows on hover. The inset repeats four départements, so its links stay out of the tab
    order and the accessibility tree; on a `decorative` map, hidden from that tree, every link
    stays out of the tab order and needs no name."""
    links = []
    for area in france_map.areas:
        if area.in_inset != inset:
            continue
        label = escape(area.label)
        tab_order = ' tabindex="-1"' if area.in_inset or decorative else ""
        if area.in_inset:
            name = ' aria-hidden="true"'
        else:
            name = "" if decorative else f' aria-label="{label}"'
        links.append(
            f'<a href="{escape(area.url)}" class="france-map__area france-map__area--{area.level}"'
            f"{tab_order}{name}><title>{label}</title>"
            f'<use href="#{shape_id(area.code, area.in_inset)}"/></a>'
        )
    return mark_safe("\n".join(links))
