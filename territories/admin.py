from django.contrib import admin

from .models import Activity, Departement, Function, Region, Territory


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    autocomplete_fields = ["departements"]
    prepopulated_fields = {"slug": ["name"]}


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    inlines = [ActivityInline]
    prepopulated_fields = {"slug": ["name"]}
