"""French wording of counts and dates for the directory's templates, and their JSON-LD."""

import html
import json
import re
import unicodedata
from datetime import date, datetime

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Page
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def example_count(count: int) -> str:
    """« aucun exemple », « 1 exemple », « 1 200 exemples »."""
    if not count:
        return "aucun exemple"
    return f"{intcomma(count)} exemple{'s' if count > 1 else ''}"


@register.filter
def typographie(text: str) -> str:
    """French typography on a text quoted as written (the fiche's own mention): a typographic
    apostrophe between letters and non-breaking spaces inside « ». The words stay the same."""
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    return re.sub(r"«\s*", "«\u00a0", re.sub(r"\s*»", "\u00a0»", text))


@register.filter
def pluriel(count: int, suffix: str = "s") -> str:
    """French plural: none for 0 and 1 (« aucun exemple publié », « 1 exemple »), unlike
    Django's `pluralize`, which gives 0 the plural."""
    return suffix if count > 1 else ""


@register.filter
def french_date(value: date | datetime | None) -> str:
    """« 1er mars 2026 », « 12 mars 2026 »."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {format_date(value, 'F Y')}"


# A sentence and the space after it: up to its final point, exclamation or question mark.
SENTENCE_END = re.compile(r"[^.!?…]*[.!?…](?:\s+|$)")


@register.filter
def excerpt(text: str, length: int) -> str:
    """The text's first sentences that fit in `length` characters, or else the text cut at a
    word boundary, the last character an ellipsis.
    Django's truncatechars cuts inside words, and took 30 to 55 µs per card on the bench
    machine against 1 µs for this: after normalising the text, it still looks at each
    character for combining accents."""
    text = unicodedata.normalize("NFC", text)
    if len(text) <= length:
        return text
    # Whole sentences when they fill at least half the room: a card then never stops mid-way.
    sentences = SENTENCE_END.findall(text[: length + 1])
    if sentences and len(whole := "".join(sentences).rstrip()) >= length // 2:
        return whole
    cut = text[: length - 1]
    if not text[length - 1].isspace():
        cut = cut.rpartition(" ")[0] or cut
    return cut.rstrip(" \u00a0\u202f,;:–-") + "…"


@register.filter
def elided_pages(page: Page) -> list:
    """The page numbers to link to around the current page, with ellipses."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


# What json_script escapes, so that no value can close the <script> element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data: dict) -> str:
    """A schema.org JSON-LD block. It is data, not script: browsers never run it, so the
    Content Security Policy does not need a nonce for it."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def facet_options(options: list) -> SafeString:
    """The checkboxes of a facet (examples.filters.FacetOption), each with the number of
    results it would give. Written here rather than by a template loop: the list's 132 options
    cost 4.7 ms of each page that way, this a fraction of it (docs/performance.md). Django's
    escape() and number_format() would double its cost again: the first wraps each of the 528
    strings in a SafeString, the second reads the locale's formats for each of the 132 counts."""
    escape = html.escape
    separator = get_format("THOUSAND_SEPARATOR") if settings.USE_THOUSAND_SEPARATOR else ""
    items = []
    for option in options:
        input_id = escape(option.input_id)
        empty = "" if option.count else " facet__option--empty"
        checked = " checked" if option.checked else ""
        plural = "s" if option.count > 1 else ""
        count = f"{option.count:,}".replace(",", separator)
        items.append(
            f'<li class="facet__option{empty}">'
            f'<input type="checkbox" id="{input_id}" name="{escape(option.param)}"'
            f' value="{escape(option.value)}"{checked}>'
            f' <label for="{input_id}">{escape(option.label)} <span class="facet__count">{count}'
            f'<span class="visually-hidden"> exemple{plural}</span></span></label></li>'
        )
    return mark_safe("\n".join(items))
