"""The examples the API shows, fetched in a fixed number of queries however many: a page of the
list in two (the examples with their relations' ids and territory, then their partners), one
example with its sources, figures and reasons in five.

Their categories, functions, themes, départements and régions are named by the directory index
from those ids (DirectoryIndex.relations_of), as the example's page names them.
"""

from django.db.models import Prefetch

from examples.directory_index import DirectoryIndex, fetch_examples
from examples.facets import PAGE_RELATIONS
from examples.models import Example, ExampleCategory, ExamplePartner
from examples.querysets import ExampleQuerySet


def with_partners() -> ExampleQuerySet:
    return (
        Example.objects.published()
        .select_related("territory")
        .with_relation_ids(*PAGE_RELATIONS)
        .prefetch_related(
            Prefetch("examplepartner_set", ExamplePartner.objects.select_related("partner"))
        )
    )


def named(examples: list[Example], index: DirectoryIndex) -> list[Example]:
    for example in examples:
        example.api_relations = index.relations_of(example)  # type: ignore[attr-defined]
    return examples


def listed_examples(ids: list[int], index: DirectoryIndex) -> list[Example]:
    """The published examples with these ids, in this order, for the list."""
    return named(fetch_examples(ids, with_partners().for_cards()), index)


def published_example(slug: str, index: DirectoryIndex) -> Example | None:
    """The published example with this slug, with all its detail shows."""
    examples = with_partners().prefetch_related(
        Prefetch(
            "examplecategory_set",
            ExampleCategory.objects.select_related("category").order_by(
                "category__order", "category__name"
            ),
        ),
        "sources",
        "figures",
    )
    example = examples.filter(slug=slug).first()
    return named([example], index)[0] if example else None
