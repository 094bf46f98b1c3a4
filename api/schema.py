"""What the OpenAPI schema says of the API's answers: the 200 of each address and its errors,
each a JSON object whose `detail` says what went wrong in French."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="Erreur")
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Ce qui ne va pas, en français.")


@extend_schema_serializer(component_name="ParametresIncorrects")
class BadParametersSerializer(ErrorSerializer):
    parametres = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Pour chaque paramètre refusé, ce qui ne va pas.",
    )


def responses(ok) -> dict:
    """The 200 (a serializer) and the errors any address may give."""
    return {
        200: ok,
        400: OpenApiResponse(
            BadParametersSerializer, "Un paramètre inconnu, ou une valeur incorrecte."
        ),
        404: OpenApiResponse(ErrorSerializer, "Rien à cette adresse, ou une page trop loin."),
        429: OpenApiResponse(
            ErrorSerializer,
            "Trop de requêtes depuis cette adresse IP\u00a0: l’en-tête Retry-After dit combien de "
            "secondes attendre.",
        ),
    }


def documented(summary: str, ok, description: str = "", parameters: list | None = None):
    """The schema of an address: what it gives, and its errors."""
    return extend_schema(
        summary=summary, description=description, parameters=parameters, responses=responses(ok)
    )
