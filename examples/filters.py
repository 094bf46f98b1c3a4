"""The directory's filters (GET parameters of /exemples/), their facet counts and the active
filters shown as removable chips.

A page of the directory is counted, filtered and ordered through the directory index
(examples/directory_index.py): PostgreSQL only runs the search, if any, and fetches the page's
examples. Exports, which stream every result, apply the same filters as a QuerySet (`qs`).
"""

from dataclasses import dataclass, field
from functools import cached_property

import django_filters
import numpy as np
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters.fields import MultipleChoiceField

from .directory_index import DirectoryIndex, IndexedResults
from .facets import FACETS, FILTERS, PLACE_FILTERS, Facet, FacetValue
from .models import Example
from .querysets import ExampleQuerySet, SortOrder
from .search import SEARCH_MAX_LENGTH, clean_search_text
from .search_words import corrected_search

# Control characters mean nothing in a search, nor in the page title and the search box that
# repeat it: each becomes a space. The null character is left to CharField, which explains
# that it is refused.
CONTROL_CHARACTERS = {code: " " for code in (*range(0x01, 0x20), 0x7F)}
# The quotation marks a search may hold, as websearch reads them (examples/search.py).
QUOTATION_MARKS = str.maketrans({"«": '"', "»": '"', "\u201c": '"', "\u201d": '"'})


def is_blank_search(text: str) -> bool:
    """What SearchField reads as no search at all."""
    return not text.translate(CONTROL_CHARACTERS).strip()


def search_as_shown(text: str) -> str:
    """A search as the page shows it inside its own guillemets: a search that is one quoted
    expression without its marks (« tiers lieu », never « « tiers lieu » »), the expressions
    of a longer one between “ ”, the French quotation marks inside guillemets."""
    pieces = text.translate(QUOTATION_MARKS).split('"')
    if len(pieces) == 3 and not pieces[0].strip() and not pieces[2].strip():
        return pieces[1].strip()
    # Odd pieces are quoted; an unclosed mark quotes to the end.
    shown = "".join(
        f"“{piece.strip()}”" if index % 2 else piece for index, piece in enumerate(pieces)
    )
    return " ".join(shown.split())


class SearchField(forms.CharField):
    """An over-long query is cut, never refused; control characters become spaces."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return text.translate(CONTROL_CHARACTERS).strip()[:SEARCH_MAX_LENGTH]


class SearchFilter(django_filters.CharFilter):
    """The search as corrected (ExampleFilter.searched_text), unless `exact=1` asks for it as
    typed."""

    field_class = SearchField
    parent: "ExampleFilter"

    # Narrower than django-filter's QuerySet: ExampleFilter's filters only see examples.
    def filter(self, queryset: ExampleQuerySet, value: str) -> ExampleQuerySet:  # type: ignore[override]
        text = self.parent.searched_text
        return queryset.text_matches(text) if text else queryset


class ExactFilter(django_filters.Filter):
    """`exact=1`: the search runs as typed, without correcting its words. It filters nothing
    itself: SearchFilter reads it."""

    field_class = forms.BooleanField

    def filter(self, queryset: QuerySet, value) -> QuerySet:
        return queryset


class FacetField(MultipleChoiceField):
    def __deepcopy__(self, memo):
        # The choices are the directory index's values, set once per request and never changed
        # afterwards: the form's copy of its fields shares them rather than copying the 250
        # (key, name) pairs of the facets on every list page.
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices  # type: ignore[attr-defined]  # private to Django
        return result


class FacetFilter(django_filters.MultipleChoiceFilter):
    """Several values of one parameter are OR-ed. The values allowed are those the directory
    index knows (no query to check them); on a QuerySet the filter goes through a named
    ExampleQuerySet method."""

    field_class = FacetField
    parent: "ExampleFilter"

    def __init__(self, *args, queryset_method: str, by_key: bool = False, **kwargs):
        self.queryset_method = queryset_method
        self.by_key = by_key
        super().__init__(*args, **kwargs)

    def filter(self, queryset: ExampleQuerySet, value) -> ExampleQuerySet:  # type: ignore[override]
        if not value:
            return queryset
        assert self.field_name  # the FilterSet names each of its filters
        chosen = [
            option.key if self.by_key else option.pk
            for option in self.parent.selected(Facet(self.field_name))
        ]
        return getattr(queryset, self.queryset_method)(chosen)


@dataclass
class FacetOption:
    param: Facet
    value: str
    label: str
    count: int
    checked: bool

    @property
    def input_id(self) -> str:
        return f"filtre-{self.param}-{self.value}"


@dataclass
class FacetGroup:
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def has_checked(self) -> bool:
        return any(option.checked for option in self.options)


@dataclass
class FacetFieldset:
    """A facet's checkboxes, grouped when its values are (départements by région)."""

    param: Facet
    legend: str
    options: list[FacetOption]
    groups: list[FacetGroup] = field(default_factory=list)


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_params: dict[str, list[str] | None]


@dataclass
class FilterProblem:
    label: str
    messages: list[str]
    remove_params: dict[str, None]


class ExampleFilter(django_filters.FilterSet):
    data: QueryDict  # every view builds it from request.GET
    q = SearchFilter(label="Recherche")
    exact = ExactFilter(label="Recherche exacte")
    # Each facet's filter bears its name (Facet), the URL parameter it reads.
    categorie = FacetFilter(label=Facet.CATEGORIE.label, queryset_method="in_categories")
    fonction = FacetFilter(label=Facet.FONCTION.label, queryset_method="with_functions")
    theme = FacetFilter(label=Facet.THEME.label, queryset_method="with_themes")
    type_partenaire = FacetFilter(
        label=Facet.TYPE_PARTENAIRE.label, queryset_method="with_partner_kinds", by_key=True
    )
    region = FacetFilter(label=Facet.REGION.label, queryset_method="in_regions")
    departement = FacetFilter(label=Facet.DEPARTEMENT.label, queryset_method="in_departements")
    territoire = FacetFilter(label=Facet.TERRITOIRE.label, queryset_method="in_territories")
    tri = django_filters.ChoiceFilter(
        label="Trier par", choices=SortOrder.choices, method="sort_results"
    )

    def __init__(self, data=None, queryset=None, *, index: DirectoryIndex | None = None, **kw):
        self.index = index or DirectoryIndex.current()
        if queryset is None:
            queryset = Example.objects.published()
        super().__init__(data, queryset, **kw)
        for name in FILTERS:
            self.filters[name].extra["choices"] = [
                (value.key, str(value)) for value in self.index.values(name)
            ]

    def sort_results(self, queryset: ExampleQuerySet, name: str, value: str) -> ExampleQuerySet:
        return queryset.sorted_by(self.sort_order)

    def filter_queryset(self, queryset: ExampleQuerySet) -> ExampleQuerySet:  # type: ignore[override]
        queryset = super().filter_queryset(queryset)  # type: ignore[assignment]  # the same class
        if not self.form.cleaned_data.get("tri"):
            queryset = queryset.sorted_by(self.sort_order)
        return queryset

    @property
    def search_text(self) -> str:
        return self.form.cleaned_data.get("q", "") if self.is_valid_field("q") else ""

    @property
    def exact_search(self) -> bool:
        """`exact=1`: the search runs as typed."""
        return self.is_valid_field("exact") and bool(self.form.cleaned_data["exact"])

    @cached_property
    def searched_text(self) -> str:
        """The search that runs: as typed (cleaned), or with each word that no example holds
        replaced by the nearest one that does (examples/search_words.py); '' without one."""
        text = clean_search_text(self.search_text)
        if not text or self.exact_search:
            return text
        return corrected_search(text)

    @property
    def shown_search(self) -> str:
        """The search as typed, to be shown inside guillemets (search_as_shown)."""
        return search_as_shown(self.search_text)

    @property
    def shown_correction(self) -> str:
        return search_as_shown(self.correction)

    @property
    def correction(self) -> str:
        """The corrected search when it differs from what was typed, else ''."""
        typed = clean_search_text(self.search_text)
        return self.searched_text if self.searched_text != typed else ""

    @property
    def chosen_sort(self) -> str:
        return self.form.cleaned_data.get("tri", "") if self.is_valid_field("tri") else ""

    @property
    def sort_order(self) -> str:
        """The order chosen, or pertinence when there is a search, else by title."""
        if self.chosen_sort in {"", SortOrder.PERTINENCE}:
            return SortOrder.PERTINENCE if self.search_text else SortOrder.TITRE
        return self.chosen_sort

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        if self.search_text:
            return SortOrder.choices
        return [
            (value, label) for value, label in SortOrder.choices if value != SortOrder.PERTINENCE
        ]

    def is_valid_field(self, name: str) -> bool:
        self.form.is_valid()
        return name in self.form.cleaned_data

    def selected(self, name: Facet) -> list[FacetValue]:
        """The valid chosen values of a facet, each once, or none if one was refused."""
        if not self.is_valid_field(name):
            return []
        keys = dict.fromkeys(self.form.cleaned_data.get(name) or [])
        return [value for key in keys if (value := self.index.value(name, key))]

    @property
    def has_facet_filters(self) -> bool:
        return any(self.selected(name) for name in FILTERS)

    # Through the directory index

    @cached_property
    def searched(self) -> np.ndarray | None:
        """The positions the search finds, best first; None without a search."""
        if not self.searched_text:
            return None
        return self.index.search(self.searched_text)

    def matching(self, *without: Facet) -> np.ndarray:
        """Which examples the search and every chosen facet but `without` keep, as a mask."""
        if self.searched is None:
            mask = self.index.everything()
        else:
            mask = self.index.mask_of(self.searched)
        for name in FILTERS:
            if name not in without and (values := self.selected(name)):
                mask &= self.index.having(name, values)
        return mask

    def results(self) -> IndexedResults:
        """Every result, in the order asked for."""
        mask = self.matching()
        if self.sort_order == SortOrder.PERTINENCE and self.searched is not None:
            positions = self.searched[mask[self.searched]]
        else:
            positions = self.index.ordered(mask, self.sort_order)
        return IndexedResults(self.index.ids[positions], self.index)

    def latest(self, count: int) -> list[Example]:
        """The `count` most recently published results."""
        return self.index.latest(count, self.matching())

    def map_counts(self) -> tuple[dict[str, int], dict[str, str]]:
        """What the map of France shades: the results without their place filters, by
        département."""
        return self.index.departement_counts(self.matching(*PLACE_FILTERS))

    def facets(self) -> list[FacetFieldset]:
        """Every value of every facet with the number of results it would give, zero
        included: the results with every other facet's filter."""
        facets = []
        for name in FACETS:
            checked = {value.key for value in self.selected(name)}
            facet = FacetFieldset(param=name, legend=str(self.filters[name].label), options=[])
            for value, count in self.index.counts(name, self.matching(name)):
                option = FacetOption(
                    param=name,
                    value=value.key,
                    label=str(value),
                    count=count,
                    checked=value.key in checked,
                )
                facet.options.append(option)
                if value.group:
                    if not facet.groups or facet.groups[-1].label != value.group:
                        facet.groups.append(FacetGroup(label=value.group))
                    facet.groups[-1].options.append(option)
            facets.append(facet)
        return facets

    def active_filters(self) -> list[ActiveFilter]:
        """Each valid chosen value, with the parameters that remove it from the URL."""
        active = []
        if self.search_text:
            active.append(
                ActiveFilter(
                    "Recherche", f"«\u00a0{self.shown_search}\u00a0»", {"q": None, "page": None}
                )
            )
        for name in FILTERS:
            raw_values = self.data.getlist(name)
            for value in self.selected(name):
                remaining = [raw for raw in raw_values if raw != value.key]
                active.append(
                    ActiveFilter(
                        str(self.filters[name].label), str(value), {name: remaining, "page": None}
                    )
                )
        return active

    def problems(self) -> list[FilterProblem]:
        """The refused parameters, with their French messages and a way to drop them."""
        return [
            FilterProblem(
                label=str(self.filters[name].label) if name in self.filters else name,
                messages=list(messages),
                remove_params={name: None, "page": None},
            )
            for name, messages in self.errors.items()
        ]
