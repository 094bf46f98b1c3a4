"""The directory's filters (GET parameters of /exemples/), their facet counts and the active
filters shown as removable chips."""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib.postgres.lookups import Unaccent
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from territories.models import Departement, Function, Region

from .models import SEARCH_MAX_LENGTH, Category, ExampleQuerySet, SortOrder, Theme


class SearchField(forms.CharField):
    """An over-long query is cut, never refused."""

    def to_python(self, value):
        return super().to_python(value)[:SEARCH_MAX_LENGTH]


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField

    def filter(self, queryset: ExampleQuerySet, value: str) -> ExampleQuerySet:
        return queryset.search(value) if value else queryset


class LinkedFilter(django_filters.ModelMultipleChoiceFilter):
    """Several values of one parameter are OR-ed, through a named ExampleQuerySet method."""

    def __init__(self, *args, queryset_method: str, **kwargs):
        self.queryset_method = queryset_method
        super().__init__(*args, **kwargs)

    def filter(self, queryset: ExampleQuerySet, value) -> ExampleQuerySet:
        if not value:
            return queryset
        return getattr(queryset, self.queryset_method)(value)


@dataclass
class FacetOption:
    param: str
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
class Facet:
    param: str
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
    q = SearchFilter(label="Recherche")
    categorie = LinkedFilter(
        label="Catégorie",
        queryset=Category.objects.all(),
        to_field_name="slug",
        queryset_method="in_categories",
    )
    fonction = LinkedFilter(
        label="Fonction",
        queryset=Function.objects.all(),
        to_field_name="slug",
        queryset_method="with_functions",
    )
    theme = LinkedFilter(
        label="Thème",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        queryset_method="with_themes",
    )
    region = LinkedFilter(
        label="Région",
        queryset=Region.objects.all(),
        to_field_name="code",
        queryset_method="in_regions",
    )
    departement = LinkedFilter(
        label="Département",
        queryset=Departement.objects.all(),
        to_field_name="code",
        queryset_method="in_departements",
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par", choices=SortOrder.choices, method="sort_results"
    )

    FACET_PARAMS = ("categorie", "fonction", "theme", "region", "departement")
    PLACE_PARAMS = ("region", "departement")

    def sort_results(self, queryset: ExampleQuerySet, name: str, value: str) -> ExampleQuerySet:
        return queryset.sorted_by(self.sort_order)

    def filter_queryset(self, queryset: ExampleQuerySet) -> ExampleQuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("tri"):
            queryset = queryset.sorted_by(self.sort_order)
        return queryset

    @property
    def search_text(self) -> str:
        return self.form.cleaned_data.get("q", "") if self.is_valid_field("q") else ""

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
        return [(value, label) for value, label in SortOrder.choices if value != "pertinence"]

    def is_valid_field(self, name: str) -> bool:
        self.form.is_valid()
        return name in self.form.cleaned_data

    def selected(self, name: str) -> list:
        """The valid chosen objects of a facet, or of none if its value was refused."""
        return list(self.form.cleaned_data.get(name) or []) if self.is_valid_field(name) else []

    @property
    def has_facet_filters(self) -> bool:
        return any(self.selected(name) for name in self.FACET_PARAMS)

    def results_without(self, *names: str) -> ExampleQuerySet:
        """The results with every active filter except `names` (and unsorted): what a facet's
        counts are computed on."""
        self.form.is_valid()
        queryset = self.queryset.all()
        for filter_name, value in self.form.cleaned_data.items():
            if filter_name not in {*names, "tri"}:
                queryset = self.filters[filter_name].filter(queryset, value)
        return queryset.order_by()

    def facets(self) -> list[Facet]:
        """Every option of every facet with the number of results it would give, zero
        included: one query per facet."""
        self.form.is_valid()
        return [
            self._facet("categorie", Category.objects.all(), "slug", "examples"),
            self._facet("fonction", Function.objects.all(), "slug", "examples"),
            self._facet("theme", Theme.objects.all(), "slug", "examples"),
            self._facet(
                "region",
                Region.objects.order_by(Unaccent(Lower("name"))),
                "code",
                "departements__examples",
            ),
            self._departement_facet(),
        ]

    def _counted(self, name: str, options: QuerySet, path: str) -> QuerySet:
        results = self.results_without(name).values("pk")
        return options.annotate(
            result_count=Count(path, filter=Q(**{f"{path}__in": results}), distinct=True)
        )

    def _facet(self, name: str, options: QuerySet, key: str, path: str) -> Facet:
        checked = {getattr(obj, key) for obj in self.selected(name)}
        return Facet(
            param=name,
            legend=self.filters[name].label,
            options=[
                FacetOption(
                    param=name,
                    value=getattr(option, key),
                    label=option.name,
                    count=option.result_count,
                    checked=getattr(option, key) in checked,
                )
                for option in self._counted(name, options, path)
            ],
        )

    def _departement_facet(self) -> Facet:
        name = "departement"
        checked = {departement.code for departement in self.selected(name)}
        departements = Departement.objects.select_related("region").order_by(
            Unaccent(Lower("region__name")), "code"
        )
        facet = Facet(param=name, legend=self.filters[name].label, options=[])
        for departement in self._counted(name, departements, "examples"):
            option = FacetOption(
                param=name,
                value=departement.code,
                label=str(departement),
                count=departement.result_count,
                checked=departement.code in checked,
            )
            facet.options.append(option)
            if not facet.groups or facet.groups[-1].label != departement.region.name:
                facet.groups.append(FacetGroup(label=departement.region.name))
            facet.groups[-1].options.append(option)
        return facet

    def results_anywhere(self) -> ExampleQuerySet:
        """The results without their place filters: what the map of France shades."""
        return self.results_without(*self.PLACE_PARAMS)

    def active_filters(self) -> list[ActiveFilter]:
        """Each valid chosen value, with the parameters that remove it from the URL."""
        active = []
        if self.search_text:
            active.append(
                ActiveFilter(
                    "Recherche", f"«\u00a0{self.search_text}\u00a0»", {"q": None, "page": None}
                )
            )
        for name in self.FACET_PARAMS:
            raw_values = self.data.getlist(name)
            for obj in self.selected(name):
                key = obj.code if name in {"region", "departement"} else obj.slug
                remaining = [value for value in raw_values if value != key]
                active.append(
                    ActiveFilter(
                        self.filters[name].label, str(obj), {name: remaining, "page": None}
                    )
                )
        return active

    def problems(self) -> list[FilterProblem]:
        """The refused parameters, with their French messages and a way to drop them."""
        return [
            FilterProblem(
                label=self.filters[name].label if name in self.filters else name,
                messages=list(messages),
                remove_params={name: None, "page": None},
            )
            for name, messages in self.errors.items()
        ]
