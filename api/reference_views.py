"""What the examples are filtered on, in the API: each list whole (none is long), partners by
pages; each row with its number of published examples, counted by the directory index."""

from django.db.models import Model
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from examples.directory_index import DirectoryIndex
from examples.facets import Facet
from examples.french import french_order
from examples.models import Category, Partner, Theme
from territories.models import Departement, Function, Region, Territory

from . import reference_serializers as serializers
from .pagination import PageNumbers
from .parameters import PAGINATION, check_parameters
from .schema import documented


# Every row, each with its `published_count` among the directory's examples. (Comments, not
# docstrings: the schema would show a view's docstring to the API's users.)
class CountedList(generics.ListAPIView):
    facet: Facet
    pagination_class = None

    def get(self, request: Request, *args, **kwargs) -> Response:
        check_parameters(request, [])
        rows = DirectoryIndex.current().with_counts(self.facet, self.get_queryset())
        return Response(self.get_serializer(rows, many=True).data)


# One row by its key (`lookup_field`), with its `published_count`.
class CountedDetail(generics.RetrieveAPIView):
    facet: Facet
    missing: str  # the 404's message, given the key

    def get(self, request: Request, *args, **kwargs) -> Response:
        check_parameters(request, [])
        key = kwargs[self.lookup_field]
        row: Model | None = self.get_queryset().filter(**{self.lookup_field: key}).first()
        if row is None:
            raise NotFound(self.missing.format(key))
        DirectoryIndex.current().with_counts(self.facet, [row])
        return Response(self.get_serializer(row).data)


class CategoryMixin(generics.GenericAPIView):
    facet = Facet.CATEGORIE
    queryset = Category.objects.select_related("era")
    serializer_class = serializers.CategorySerializer
    lookup_field = "slug"
    missing = "Aucune catégorie n’a le slug «\u00a0{}\u00a0»."


@documented("Les catégories de partenariat", serializers.CategorySerializer(many=True))
class CategoryList(CategoryMixin, CountedList):
    pass


@documented("Une catégorie de partenariat", serializers.CategorySerializer)
class CategoryDetail(CategoryMixin, CountedDetail):
    pass


class FunctionMixin(generics.GenericAPIView):
    facet = Facet.FONCTION
    queryset = Function.objects.prefetch_related("activities")
    serializer_class = serializers.FunctionSerializer
    lookup_field = "slug"
    missing = "Aucune fonction n’a le slug «\u00a0{}\u00a0»."


@documented(
    "Les fonctions de la co-construction territoriale et leurs activités",
    serializers.FunctionSerializer(many=True),
)
class FunctionList(FunctionMixin, CountedList):
    pass


@documented(
    "Une fonction de la co-construction territoriale et ses activités",
    serializers.FunctionSerializer,
)
class FunctionDetail(FunctionMixin, CountedDetail):
    pass


class ThemeMixin(generics.GenericAPIView):
    facet = Facet.THEME
    queryset = Theme.objects.order_by(french_order("name"))
    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"
    missing = "Aucun thème n’a le slug «\u00a0{}\u00a0»."


@documented("Les thèmes des exemples", serializers.ThemeSerializer(many=True))
class ThemeList(ThemeMixin, CountedList):
    pass


@documented("Un thème", serializers.ThemeSerializer)
class ThemeDetail(ThemeMixin, CountedDetail):
    pass


class RegionMixin(generics.GenericAPIView):
    facet = Facet.REGION
    queryset = Region.objects.prefetch_related("departements").order_by(french_order("name"))
    serializer_class = serializers.RegionSerializer
    lookup_field = "code"
    missing = "Aucune région n’a le code «\u00a0{}\u00a0»."


@documented("Les régions et leurs départements", serializers.RegionSerializer(many=True))
class RegionList(RegionMixin, CountedList):
    pass


@documented("Une région et ses départements", serializers.RegionSerializer)
class RegionDetail(RegionMixin, CountedDetail):
    pass


class DepartementMixin(generics.GenericAPIView):
    facet = Facet.DEPARTEMENT
    queryset = Departement.objects.select_related("region").order_by("code")
    serializer_class = serializers.DepartementSerializer
    lookup_field = "code"
    missing = "Aucun département n’a le code «\u00a0{}\u00a0»."


@documented("Les départements et leur région", serializers.DepartementSerializer(many=True))
class DepartementList(DepartementMixin, CountedList):
    pass


@documented("Un département et sa région", serializers.DepartementSerializer)
class DepartementDetail(DepartementMixin, CountedDetail):
    pass


class TerritoryMixin(generics.GenericAPIView):
    facet = Facet.TERRITOIRE
    queryset = Territory.objects.prefetch_related("departements").order_by(french_order("name"))
    serializer_class = serializers.TerritorySerializer
    lookup_field = "slug"
    missing = "Aucun territoire n’a le slug «\u00a0{}\u00a0»."


@documented("Les territoires nommés", serializers.TerritorySerializer(many=True))
class TerritoryList(TerritoryMixin, CountedList):
    pass


@documented("Un territoire nommé", serializers.TerritorySerializer)
class TerritoryDetail(TerritoryMixin, CountedDetail):
    pass


# Only partners of a published example: the others come from proposals not yet moderated.
PARTNERS = Partner.objects.with_published_examples().order_by(french_order("name"), "pk")


@documented("Les partenaires des exemples publiés", serializers.PartnerSerializer(many=True))
class PartnerList(generics.ListAPIView):
    queryset = PARTNERS
    serializer_class = serializers.PartnerSerializer
    pagination_class = PageNumbers

    def get(self, request: Request, *args, **kwargs) -> Response:
        check_parameters(request, PAGINATION)
        return self.list(request)


@documented("Un partenaire et ses alliances publiées", serializers.PartnerDetailSerializer)
class PartnerDetail(generics.RetrieveAPIView):
    queryset = PARTNERS
    serializer_class = serializers.PartnerDetailSerializer

    def get(self, request: Request, slug: str) -> Response:
        check_parameters(request, [])
        partner = self.get_queryset().filter(slug=slug).first()
        if partner is None:
            raise NotFound(
                f"Aucun partenaire d’un exemple publié n’a le slug «\u00a0{slug}\u00a0»."
            )
        partner.api_links = partner.published_links()
        return Response(self.get_serializer(partner).data)
