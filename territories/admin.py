from django.contrib import admin

from examples.admin_french import FrenchTitlesMixin
from examples.french import french_order

from .models import (
    Activity,
    Departement,
    Function,
    Region,
    Territory,
    TerritoryFunctionCarrier,
    TerritoryPartner,
    TerritorySource,
)


@admin.register(Region)
class RegionAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    feminine = True
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    ordering = [french_order("name")]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Departement)
class DepartementAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}


class TerritoryPartInline:
    """A part of the territory's page: whoever may change the territory may change it, as the
    staff roles (examples/roles.py) only name the territory."""

    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("territories.view_territory") or self.may_edit(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.may_edit(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.may_edit(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.may_edit(request)

    @staticmethod
    def may_edit(request) -> bool:
        return request.user.has_perm("territories.change_territory")


class TerritoryFunctionCarrierInline(TerritoryPartInline, admin.StackedInline):
    model = TerritoryFunctionCarrier
    fields = [("function", "example_slug"), "carried_by", "note"]
    max_num = 4
    verbose_name_plural = "Qui porte chaque fonction sur ce territoire (d’après les sources)"


class TerritoryPartnerInline(TerritoryPartInline, admin.TabularInline):
    model = TerritoryPartner
    fields = ["name", "kind", "role", "order"]
    verbose_name_plural = "Partenaires du territoire et leur rôle"


class TerritorySourceInline(TerritoryPartInline, admin.StackedInline):
    model = TerritorySource
    fields = [("url", "publisher"), "title", "supports", ("consulted_on", "order")]
    verbose_name_plural = "Sources de la présentation"


@admin.register(Territory)
class TerritoryAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["name", "last_verified_at"]
    search_fields = ["name"]
    ordering = [french_order("name")]
    autocomplete_fields = ["departements"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "departements",
        "summary",
        "description",
        "website",
        "last_verified_at",
    ]
    inlines = [TerritoryFunctionCarrierInline, TerritoryPartnerInline, TerritorySourceInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0


@admin.register(Function)
class FunctionAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    feminine = True
    list_display = ["name", "order"]
    ordering = ["order", french_order("name")]
    inlines = [ActivityInline]
    prepopulated_fields = {"slug": ["name"]}
