"""The départements of a map of France, written by Python rather than by a template loop.

A map links 105 areas (the 101 départements and the four of the Paris inset), and the list
draws one on every page: through the template language that loop cost 2.5 ms of each list page
at 100,000 examples, an f-string with the same escaping a seventh of it (docs/performance.md).
The escaping is the standard library's, which django.utils.html.escape() calls for the same
result: that one also wraps each of the 210 strings in a SafeString nobody reads.
The figure around it, its caption and its legend stay in territories/_france_map.html.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from territories.map import FranceMap

register = template.Library()


@register.simple_tag
def map_areas(france_map: FranceMap, decorative: bool = False) -> SafeString:
    """Each area as a link named by its count. The inset repeats four départements, so its
    links stay out of the tab order and the accessibility tree; on a `decorative` map every
    link stays out of the tab order."""
    links = []
    for area in france_map.areas:
        label = escape(area.label)
        tab_order = ' tabindex="-1"' if area.in_inset or decorative else ""
        name = ' aria-hidden="true"' if area.in_inset else f' aria-label="{label}"'
        links.append(
            f'<a href="{escape(area.url)}" class="france-map__area france-map__area--{area.level}"'
            f'{tab_order}{name}><title>{label}</title><path d="{area.path}"/></a>'
        )
    return mark_safe("\n".join(links))
