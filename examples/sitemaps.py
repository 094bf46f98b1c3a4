"""/sitemap.xml: an index of one sitemap per kind of public page, each paginated by Django
past 50 000 addresses, as the sitemap protocol asks."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from territories.models import Departement, Function, Region, Territory

from .models import Category, Example


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "examples:home",
            "examples:list",
            "examples:category_index",
            "examples:function_index",
            "territories:index",
            "territories:region_index",
            "territories:departement_index",
            "examples:about",
            "api:documentation",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


class ExamplesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Example.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, example: Example):
        return example.updated_at


class ReferenceSitemap(Sitemap):
    """Pages of reference rows (categories, functions, places), ordered by their key."""

    changefreq = "weekly"

    def __init__(self, model, order: str) -> None:
        self.model = model
        self.order = order

    def items(self):
        return self.model.objects.order_by(self.order)


SITEMAPS = {
    "pages": PagesSitemap(),
    "exemples": ExamplesSitemap(),
    "categories": ReferenceSitemap(Category, "order"),
    "fonctions": ReferenceSitemap(Function, "order"),
    "regions": ReferenceSitemap(Region, "code"),
    "departements": ReferenceSitemap(Departement, "code"),
    "territoires": ReferenceSitemap(Territory, "slug"),
}
