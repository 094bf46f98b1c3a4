"""The Atom feed of recently published examples, filtered like the list (/exemples/flux/)."""

from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .filters import ExampleFilter
from .models import Example

if TYPE_CHECKING:
    from .directory_index import CardExample

FEED_LENGTH = 50
# The control characters XML 1.0 forbids (tab, line feed and carriage return are allowed).
XML_FORBIDDEN = {code: " " for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}


def xml_safe(value):
    if isinstance(value, str):
        return value.translate(XML_FORBIDDEN)
    if isinstance(value, list | tuple):
        return [xml_safe(item) for item in value]
    return value


class XmlSafeAtomFeed(Atom1Feed):
    """Atom whose texts hold no character XML 1.0 forbids: one example whose title or summary
    carries one (a vertical tab pasted from a word processor, a proposal typed with a stray
    backspace) would otherwise fail the whole feed for every reader. Each becomes a space."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})


class LatestExamplesFeed(Feed):
    feed_type = XmlSafeAtomFeed
    author_name = "Faire alliance"

    def get_object(self, request: HttpRequest) -> ExampleFilter:
        return ExampleFilter(request.GET)

    def title(self, filterset: ExampleFilter) -> str:
        chosen = ", ".join(
            f"{chip.label.lower()} {chip.value}" for chip in filterset.active_filters()
        )
        base = "Faire alliance — derniers exemples inspirants publiés"
        return f"{base} ({chosen})" if chosen else base

    def subtitle(self, filterset: ExampleFilter) -> str:
        return (
            "Exemples d’alliances entre associations, entreprises et acteurs publics, "
            "du plus récemment publié au plus ancien."
        )

    def link(self, filterset: ExampleFilter) -> str:
        query = filterset.data.urlencode()
        return reverse("examples:list") + (f"?{query}" if query else "")

    def items(self, filterset: ExampleFilter) -> list[Example]:
        return filterset.latest(FEED_LENGTH)

    def item_title(self, example: Example) -> str:
        return example.title

    def item_description(self, example: Example) -> str:
        return example.summary

    def item_pubdate(self, example: Example):
        return example.published_at

    def item_updateddate(self, example: Example):
        return example.updated_at

    def item_categories(self, example: "CardExample") -> list[str]:
        return [
            *(category.name for category in example.card_categories),
            *(function.name for function in example.card_functions),
            *(str(departement) for departement in example.card_departements),
        ]
