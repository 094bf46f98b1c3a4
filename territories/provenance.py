"""What the editorial team adds to a named territory, each fact from a public source: the sources
themselves, who carries each co-construction function there, and the territory's partners.

The fiche only names the territory (« Exemple d’articulation des complémentarités sur un même
territoire ») and one example per function: everything here is an editorial addition, shown as
such on the territory's page.

The page reads all of it with the territory itself, as JSON built by PostgreSQL (see
`with_editorial_content`), so that it costs no query of its own.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse

from examples.partner_kinds import PartnerKind
from examples.provenance import PublicSource


def partner_kinds() -> list[tuple[str, str]]:
    """The kinds of actors of the examples' partners (a callable: migration 0002 names it)."""
    return PartnerKind.choices


class TerritorySource(PublicSource):
    """A public page that supports some of what the territory's page says."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name="territoire",
    )

    class Meta(PublicSource.Meta):
        constraints = [
            models.UniqueConstraint(fields=["territory", "url"], name="territory_source_unique_url")
        ]


class TerritoryFunctionCarrier(models.Model):
    """Who carries one of the four co-construction functions on a territory, and the fiche's
    example that illustrates it there."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="function_carriers",
        verbose_name="territoire",
    )
    function = models.ForeignKey(
        "territories.Function",
        on_delete=models.CASCADE,
        related_name="territory_carriers",
        verbose_name="fonction",
    )
    example_slug = models.SlugField(
        "exemple qui l’illustre",
        max_length=200,
        blank=True,
        help_text="Le slug de l’exemple (son adresse /exemples/<slug>/)\u00a0: la page n’y "
        "renvoie que s’il est publié.",
    )
    carried_by = models.CharField(
        "portée par",
        max_length=300,
        blank=True,
        help_text="Vide quand les sources ne le disent pas\u00a0: la page affiche alors "
        "«\u00a0non documenté par les sources\u00a0».",
    )
    note = models.TextField("précision", blank=True)

    class Meta:
        ordering = ["function__order", "function__name"]
        verbose_name = "porteur d’une fonction"
        verbose_name_plural = "qui porte chaque fonction"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "function"], name="territory_function_carrier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.function} : {self.carried_by or 'non documenté'}"


class TerritoryPartner(models.Model):
    """An organisation that works with the territory, and its part there."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name="territoire",
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type d’acteur", max_length=20, choices=partner_kinds, blank=True)
    role = models.CharField("rôle", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "partenaire du territoire"
        verbose_name_plural = "partenaires du territoire"

    def __str__(self) -> str:
        return self.name


# The territory's page -------------------------------------------------------------------------


@dataclass
class CarrierRow:
    """One function on a territory: who carries it, and the published example that shows it."""

    function_slug: str
    function_name: str
    carried_by: str = ""
    note: str = ""
    example_title: str = ""
    example_slug: str = ""

    @property
    def function_url(self) -> str:
        return reverse("examples:function", args=[self.function_slug])

    @property
    def example_url(self) -> str:
        return reverse("examples:detail", args=[self.example_slug]) if self.example_title else ""


@dataclass
class TerritoryEditorial:
    sources: list[TerritorySource] = field(default_factory=list)
    partners: list[TerritoryPartner] = field(default_factory=list)
    # Every function, in the fiche's order; empty when the territory has no carrier at all.
    carriers: list[CarrierRow] = field(default_factory=list)

    @classmethod
    def of(cls, territory) -> "TerritoryEditorial":
        """From a territory read `with_editorial_content`."""
        functions = territory.editorial_carriers or []
        return cls(
            sources=[
                TerritorySource(**{**row, "consulted_on": parse_date(row["consulted_on"])})
                for row in territory.editorial_sources or []
            ],
            partners=[TerritoryPartner(**row) for row in territory.editorial_partners or []],
            carriers=[carrier_row(row) for row in functions]
            if any(row["carrier"] for row in functions)
            else [],
        )


def carrier_row(row: dict) -> CarrierRow:
    carrier = row["carrier"] or {}
    return CarrierRow(
        function_slug=row["slug"],
        function_name=row["name"],
        carried_by=carrier.get("carried_by") or "",
        note=carrier.get("note") or "",
        # The example's title only when it is published.
        example_title=carrier.get("example_title") or "",
        example_slug=carrier.get("example_slug") or "",
    )


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def with_editorial_content(queryset: QuerySet) -> QuerySet:
    """The territories with their sources, partners and function carriers, as lists of JSON
    objects in three columns of the same query."""
    from examples.models import Example

    from .models import Function

    published_title = Subquery(
        Example.objects.published().filter(slug=OuterRef("example_slug")).values("title")[:1]
    )
    carrier = TerritoryFunctionCarrier.objects.filter(
        territory=OuterRef(OuterRef("pk")), function=OuterRef("pk")
    ).values(
        row=JSONObject(
            carried_by="carried_by",
            note="note",
            example_slug="example_slug",
            example_title=published_title,
        )
    )
    return queryset.annotate(
        editorial_sources=ArraySubquery(
            TerritorySource.objects.filter(territory=OuterRef("pk"))
            .order_by("order", "pk")
            .values(
                row=JSONObject(
                    url="url",
                    publisher="publisher",
                    title="title",
                    supports="supports",
                    consulted_on="consulted_on",
                )
            )
        ),
        editorial_partners=ArraySubquery(
            TerritoryPartner.objects.filter(territory=OuterRef("pk"))
            .order_by("order", "pk")
            .values(row=JSONObject(name="name", kind="kind", role="role"))
        ),
        editorial_carriers=ArraySubquery(
            Function.objects.order_by("order", "name").values(
                row=JSONObject(slug="slug", name="name", carrier=Subquery(carrier[:1]))
            )
        ),
    )
