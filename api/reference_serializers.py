"""What the examples are filtered on, in the API: categories, functions, themes, places and
partners, each with its number of published examples and the address of those examples.

The key of each (`slug`, or `code` for places) is the value of its filter on /api/v1/exemples/
and /exemples/.
"""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .fields import ApiUrlField, CountField, ExamplesUrlField, OptionalCharField, PageUrlField
from .serializers import PartnerKindField


@extend_schema_serializer(component_name="Ere")
class EraSerializer(serializers.Serializer):
    slug = serializers.CharField()
    nom = serializers.CharField(source="name")
    periode = serializers.CharField(source="period")


@extend_schema_serializer(component_name="Categorie")
class CategorySerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Valeur du filtre `categorie`.")
    nom = serializers.CharField(source="name")
    definition = serializers.CharField(help_text="Sa définition par la fiche.")
    formes = serializers.ListField(
        source="form_list", child=serializers.CharField(), help_text="Ses formes, une par ligne."
    )
    formes_editoriales = serializers.BooleanField(
        source="forms_are_editorial",
        help_text="Vrai quand la fiche ne détaille pas ces formes\u00a0: l’équipe les a "
        "reformulées à partir de sa définition.",
    )
    tendances = serializers.CharField(source="trends")
    ere = EraSerializer(source="era", help_text="L’ère partenariale dont elle relève.")
    part_des_partenariats = serializers.IntegerField(
        source="share_percent",
        allow_null=True,
        help_text="Part (en %) des partenariats des entreprises d’au moins dix salariés qui en "
        "relèvent, d’après la fiche\u202f; un partenariat peut en combiner plusieurs.",
    )
    nombre_exemples = CountField()
    url = PageUrlField()
    url_api = ApiUrlField("api:category-detail")
    url_exemples = ExamplesUrlField("categorie")


@extend_schema_serializer(component_name="Fonction")
class FunctionSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Valeur du filtre `fonction`.")
    nom = serializers.CharField(source="name")
    description = serializers.CharField()
    activites = serializers.ListField(
        source="activities.all",
        child=serializers.CharField(),
        help_text="Ses activités, dans l’ordre du tableau de la fiche.",
    )
    nombre_exemples = CountField()
    url = PageUrlField()
    url_api = ApiUrlField("api:function-detail")
    url_exemples = ExamplesUrlField("fonction")


@extend_schema_serializer(component_name="Theme")
class ThemeSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Valeur du filtre `theme`.")
    nom = serializers.CharField(source="name")
    nombre_exemples = CountField()
    url_api = ApiUrlField("api:theme-detail")
    url_exemples = ExamplesUrlField("theme")


# A région or département row (the examples' places are the index's values).
@extend_schema_serializer(component_name="LieuEtNom")
class NamedPlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField(source="name")


@extend_schema_serializer(component_name="Region")
class RegionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE, valeur du filtre `region`.")
    nom = serializers.CharField(source="name")
    departements = NamedPlaceSerializer(source="departements.all", many=True)
    nombre_exemples = CountField()
    url = PageUrlField()
    url_api = ApiUrlField("api:region-detail", key="code")
    url_exemples = ExamplesUrlField("region", key="code")


@extend_schema_serializer(component_name="Departement")
class DepartementSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE, valeur du filtre `departement`.")
    nom = serializers.CharField(source="name")
    region = NamedPlaceSerializer()
    nombre_exemples = CountField()
    url = PageUrlField()
    url_api = ApiUrlField("api:departement-detail", key="code")
    url_exemples = ExamplesUrlField("departement", key="code")


@extend_schema_serializer(component_name="Territoire")
class TerritorySerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Valeur du filtre `territoire`.")
    nom = serializers.CharField(source="name")
    resume = serializers.CharField(source="summary")
    site_web = OptionalCharField(source="website")
    departements = NamedPlaceSerializer(source="departements.all", many=True)
    nombre_exemples = CountField()
    url = PageUrlField()
    url_api = ApiUrlField("api:territory-detail")
    url_exemples = ExamplesUrlField("territoire")


@extend_schema_serializer(component_name="Partenaire")
class PartnerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    nom = serializers.CharField(source="name")
    type = PartnerKindField(
        source="kind", help_text="Type d’acteur (valeur du filtre `type_partenaire`), ou null."
    )
    site_web = OptionalCharField(source="website")
    nombre_exemples = CountField(help_text="Nombre des exemples publiés où il figure.")
    url = PageUrlField()
    url_api = ApiUrlField("api:partner-detail")


# One of a partner's alliances (an ExamplePartner), with its role in it.
@extend_schema_serializer(component_name="AllianceDuPartenaire")
class PartnerExampleSerializer(serializers.Serializer):
    slug = serializers.CharField(source="example.slug")
    titre = serializers.CharField(source="example.title")
    role = OptionalCharField(help_text="Son rôle dans cette alliance, ou null.")
    url = PageUrlField(source="example")
    url_api = ApiUrlField("api:example-detail", source="example")


@extend_schema_serializer(component_name="PartenaireDetail")
class PartnerDetailSerializer(PartnerSerializer):
    exemples = PartnerExampleSerializer(
        source="api_links", many=True, help_text="Ses alliances publiées, par titre."
    )
