"""Fields every resource of the API shares: its addresses, and text that is null when empty.

Addresses are absolute and start with SITE_URL, as the exports' `url` column does.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The address of the object's page on the site."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Adresse de sa page sur le site.")
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return settings.SITE_URL + value.get_absolute_url()


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The address of the object in the API, by the route's name and the object's key."""

    def __init__(self, route: str, key: str = "slug", **kwargs: Any) -> None:
        self.route = route
        self.key = key
        kwargs.setdefault("help_text", "Adresse de sa description dans l’API.")
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return settings.SITE_URL + reverse(self.route, args=[getattr(value, self.key)])


@extend_schema_field(OpenApiTypes.URI)
class ExamplesUrlField(serializers.Field):
    """The address of the examples filtered on the object, in the API."""

    def __init__(self, parameter: str, key: str = "slug", **kwargs: Any) -> None:
        self.parameter = parameter
        self.key = key
        kwargs.setdefault(
            "help_text", f"Adresse de ses exemples dans l’API (filtre `{parameter}`)."
        )
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        key = getattr(value, self.key)
        return f"{settings.SITE_URL}{reverse('api:example-list')}?{self.parameter}={key}"


class OptionalCharField(serializers.CharField):
    """Text that the editors may leave blank: null rather than ""."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    # null is the point; the stubs type a CharField's output as text.
    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        return str(value) if value else None


@extend_schema_field({"type": "integer", "minimum": 0})
class CountField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Nombre de ses exemples publiés.")
        super().__init__(source="published_count", read_only=True, **kwargs)
