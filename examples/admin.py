from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Category, Era, Example, KeyFigure, Partner, Resource, Theme


@admin.register(Example)
class ExampleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "updated_at"]
    list_filter = ["status", "categories", "functions"]
    search_fields = ["title", "summary", "description", "partners__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["departements", "territory", "themes", "partners"]
    filter_horizontal = ["categories", "functions"]
    readonly_fields = ["created_at", "updated_at", "published_at"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "era", "share_percent", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Era)
class EraAdmin(admin.ModelAdmin):
    list_display = ["name", "period", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["value", "label", "source", "order"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "url", "order"]
    list_filter = ["kind"]
