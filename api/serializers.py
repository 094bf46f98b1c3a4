"""The examples in the API: a list item, and the detail with the facts' sources.

Field names follow the exports' columns (examples/exports.py: `titre`, `resume`, `categories`,
`publie_le`…) and are part of the public contract: a field may be added, never renamed. JSON
keeps each value's type: relations are objects with their key and name, dates ISO 8601, a
blank text null. An example's categories, functions, themes and places are named by the
directory index (api/queries.py), its partners, sources and figures read with it.
"""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from examples.partner_kinds import PartnerKind

from .fields import ApiUrlField, OptionalCharField, PageUrlField


# A category, function or theme as an example names it.
@extend_schema_serializer(component_name="Valeur")
class KeyNameSerializer(serializers.Serializer):
    slug = serializers.CharField(source="key", help_text="Son slug, la valeur de son filtre.")
    nom = serializers.CharField(source="name")


# A département or région as an example names it.
@extend_schema_serializer(component_name="Lieu")
class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField(source="key", help_text="Code INSEE, la valeur de son filtre.")
    nom = serializers.CharField(source="name")


@extend_schema_serializer(component_name="TerritoireNomme")
class TerritoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Son slug, la valeur du filtre `territoire`.")
    nom = serializers.CharField(source="name")


class PartnerKindField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=PartnerKind.choices, allow_null=True, read_only=True, **kwargs)

    # null for a partner of no kind; the stubs type a ChoiceField's output as text.
    def to_representation(self, value: str) -> str | None:  # type: ignore[override]
        return value or None


# A partner's part in an alliance (an ExamplePartner).
@extend_schema_serializer(component_name="PartenaireEtRole")
class PartnerRoleSerializer(serializers.Serializer):
    slug = serializers.CharField(source="partner.slug")
    nom = serializers.CharField(source="partner.name")
    type = PartnerKindField(source="partner.kind", help_text="Type d’acteur, ou null.")
    role = OptionalCharField(help_text="Son rôle dans l’alliance (mécène, co-pilote…), ou null.")
    url_api = ApiUrlField("api:partner-detail", source="partner")


@extend_schema_serializer(component_name="Exemple")
class ExampleSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Identifiant stable de l’exemple, dans ses adresses.")
    titre = serializers.CharField(source="title", help_text="Titre de l’exemple.")
    resume = serializers.CharField(
        source="summary", help_text="Résumé en une ou deux phrases\u202f; vide s’il n’y en a pas."
    )
    url = PageUrlField(help_text="Adresse de sa page sur le site.")
    url_api = ApiUrlField("api:example-detail", help_text="Adresse de son détail dans l’API.")
    categories = KeyNameSerializer(
        source="api_relations.categorie", many=True, help_text="Catégories de partenariat."
    )
    fonctions = KeyNameSerializer(
        source="api_relations.fonction",
        many=True,
        help_text="Fonctions de la co-construction territoriale.",
    )
    themes = KeyNameSerializer(source="api_relations.theme", many=True, help_text="Thèmes.")
    departements = PlaceSerializer(
        source="api_relations.departement", many=True, help_text="Départements, par code."
    )
    regions = PlaceSerializer(
        source="api_relations.region", many=True, help_text="Régions de ses départements."
    )
    territoire = TerritoryRefSerializer(
        source="territory", allow_null=True, help_text="Territoire nommé, ou null."
    )
    national = serializers.BooleanField(
        source="is_national",
        help_text="Action d’envergure nationale, sans département particulier.",
    )
    commune = OptionalCharField(help_text="Commune où l’alliance agit, ou null.")
    partenaires = PartnerRoleSerializer(
        source="examplepartner_set.all",
        many=True,
        help_text="Les organisations alliées, dans l’ordre donné par l’équipe.",
    )
    site_web = OptionalCharField(source="website", help_text="Site de l’alliance, ou null.")
    annee_lancement = serializers.IntegerField(
        source="year_started", allow_null=True, help_text="Quand les sources s’accordent."
    )
    origine = serializers.CharField(
        source="get_origin_display",
        help_text="«\u00a0Cité par la fiche\u00a0» ou «\u00a0Ajout éditorial\u00a0», comme "
        "dans les exports.",
    )
    a_verifier = serializers.BooleanField(
        source="needs_verification",
        help_text="Les sources ne suffisent pas à le décrire\u00a0: l’équipe doit le vérifier.",
    )
    publie_le = serializers.DateTimeField(
        source="published_at", allow_null=True, help_text="Date de sa publication dans l’annuaire."
    )
    mis_a_jour_le = serializers.DateTimeField(
        source="updated_at", help_text="Date de sa dernière modification."
    )
    derniere_verification = serializers.DateField(
        source="last_verified_at", allow_null=True, help_text="Dernière relecture des sources."
    )


# A category of the example, with why the editors put it there (an ExampleCategory).
@extend_schema_serializer(component_name="Classement")
class ClassificationSerializer(serializers.Serializer):
    slug = serializers.CharField(source="category.slug")
    nom = serializers.CharField(source="category.name")
    raison = OptionalCharField(
        source="reason", help_text="Le fait, tiré des sources, qui justifie ce classement."
    )


@extend_schema_serializer(component_name="Source")
class SourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    editeur = serializers.CharField(source="publisher")
    titre = OptionalCharField(source="title")
    etablit = OptionalCharField(source="supports", help_text="Les faits que la source appuie.")
    consultee_le = serializers.DateField(source="consulted_on", allow_null=True)
    fiche = serializers.BooleanField(
        source="is_fiche", help_text="La fiche «\u00a0Exemples inspirants\u00a0» elle-même."
    )


@extend_schema_serializer(component_name="Chiffre")
class FigureSerializer(serializers.Serializer):
    texte = serializers.CharField(source="text", help_text="Le chiffre et ce qu’il compte.")
    date = OptionalCharField(help_text="Par exemple «\u00a0mars 2018\u00a0».")
    lien_source = OptionalCharField(
        source="source_url", help_text="Adresse de sa source, comme la colonne des exports."
    )


@extend_schema_serializer(component_name="ExempleDetail")
class ExampleDetailSerializer(ExampleSerializer):
    description = serializers.CharField(help_text="Présentation rédigée par l’équipe.")
    ce_que_dit_la_fiche = OptionalCharField(
        source="fiche_text", help_text="Les mots mêmes de la fiche, quand elle le cite."
    )
    precision_lieu = OptionalCharField(
        source="place_note",
        help_text="Quand les sources situent l’exemple autrement que la fiche, ou pas du tout.",
    )
    categories = ClassificationSerializer(  # type: ignore[assignment]  # with the reasons
        source="examplecategory_set.all",
        many=True,
        help_text="Catégories de partenariat, avec la raison de chaque classement.",
    )
    sources = SourceSerializer(
        source="sources.all", many=True, help_text="Les sources des faits, la fiche d’abord."
    )
    chiffres = FigureSerializer(source="figures.all", many=True, help_text="Chiffres datés.")
