from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from territories.models import Region

from .admin_actions import archive, publish, submit_for_review
from .admin_french import FrenchTitlesMixin
from .admin_history import OneVersionPerSaveAdmin
from .admin_import_export import ExampleImportExportMixin
from .admin_inlines import EXAMPLE_INLINES
from .fiche import Era, KeyFigure, Resource
from .forms import EDITOR_STATUS_HELP, ExampleAdminForm
from .french import french_order
from .models import (
    EXAMPLE_HISTORY,
    Category,
    Example,
    ExampleAwaitingModeration,
    Partner,
    Theme,
)
from .validation import duplicate_reasons, quoted_duplicates
from .workflow import allowed_statuses, can_change_status, can_publish, may_set_status


class RegionFilter(admin.SimpleListFilter):
    title = "région"
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return Region.objects.order_by(french_order("name")).values_list("code", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.in_regions(Region.objects.filter(code=self.value()))
        return queryset


class ExampleListMixin(FrenchTitlesMixin, admin.ModelAdmin):
    """What the example list and the moderation queue share: columns, filters, actions,
    and a changelist whose query count does not grow with the number of rows."""

    list_filter = [
        "status",
        "needs_verification",
        "origin",
        "categories",
        "functions",
        RegionFilter,
        ("departements", admin.RelatedOnlyFieldListFilter),
        ("themes", admin.RelatedOnlyFieldListFilter),
        "is_national",
    ]
    search_fields = ["title", "summary", "description", "partners__name", "proposed_partners"]
    search_help_text = "Recherche dans le titre, le résumé, la description et les partenaires."
    actions = [submit_for_review, publish, archive]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()  # type: ignore[attr-defined]  # an ExampleQuerySet

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Everyone else archives: nothing staff write is ever lost.
        return request.user.is_superuser

    @admin.display(description="catégories")
    def category_names(self, obj: Example) -> str:
        return ", ".join(category.name for category in obj.categories.all())

    @admin.display(description="fonctions")
    def function_names(self, obj: Example) -> str:
        return ", ".join(function.name for function in obj.functions.all())

    @admin.display(description="départements")
    def departement_codes(self, obj: Example) -> str:
        if obj.is_national:
            return "national"
        return ", ".join(departement.code for departement in obj.departements.all())

    @admin.display(description="sur le site")
    def public_link(self, obj: Example) -> str:
        if obj.pk is None:
            return "—"
        content_type = ContentType.objects.get_for_model(Example)
        url = reverse("admin:view_on_site", args=[content_type.pk, obj.pk])
        if obj.is_published:
            return format_html('<a href="{}">Voir sur le site</a>', url)
        return format_html('<a href="{}">Aperçu</a> (réservé à l’équipe)', url)


# The stubs of django-import-export and of Django disagree on two attributes' types.
@admin.register(Example)
class ExampleAdmin(ExampleListMixin, ExampleImportExportMixin, OneVersionPerSaveAdmin):  # type: ignore[misc]
    form = ExampleAdminForm
    history = EXAMPLE_HISTORY
    list_display = [
        "title",
        "status",
        "needs_verification",
        "origin",
        "category_names",
        "function_names",
        "departement_codes",
        "updated_at",
        "public_link",
    ]
    ordering = ["-updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["departements", "territory", "themes"]
    filter_horizontal = ["functions"]
    inlines = EXAMPLE_INLINES
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description"]}),
        ("Ce que dit la fiche", {"fields": ["origin", "fiche_text"]}),
        ("Classement", {"fields": ["functions", "themes"]}),
        (
            "Lieu",
            {"fields": ["departements", "is_national", "commune", "place_note", "territory"]},
        ),
        ("Partenaires indiqués par le public", {"fields": ["proposed_partners"]}),
        (
            "Liens et vérification",
            {
                "fields": [
                    "website",
                    "year_started",
                    "last_verified_at",
                    "needs_verification",
                    "verification_note",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "possible_duplicates",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            "Proposition du public",
            {
                "fields": ["contact_email"],
                "description": "Adresse donnée par la personne qui a proposé l’exemple\u00a0: "
                "elle n’est jamais affichée sur le site.",
            },
        ),
    ]

    # Publishing workflow

    def stored_status(self, obj: Example | None) -> str | None:
        """The status in the database: when reverting, `obj` carries an old version's."""
        if obj is None or obj.pk is None:
            return None
        return Example.objects.filter(pk=obj.pk).values_list("status", flat=True).first()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        current = self.stored_status(obj)
        return type(
            form.__name__,
            (form,),
            {
                "status_choices": allowed_statuses(request.user, current),
                "status_help": "" if can_publish(request.user) else EDITOR_STATUS_HELP,
            },
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["possible_duplicates", "published_at", "created_at", "updated_at"]
        if not can_change_status(request.user, self.stored_status(obj)):
            readonly.append("status")
        return readonly

    def save_model(self, request, obj, form, change):
        current = self.stored_status(obj)
        if "status" not in form.fields:
            obj.status = current
        if not may_set_status(request.user, current, obj.status):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Once the partners and places are saved: they are reasons to flag a duplicate too.
        placing = {"title", "website", "departements", "is_national"}
        if not change or placing & set(form.changed_data) or any(f.has_changed() for f in formsets):
            self.warn_about_duplicates(request, form.instance)

    def warn_about_duplicates(self, request, obj: Example) -> None:
        duplicates = list(Example.objects.possible_duplicates(obj)[:3])
        if duplicates:
            self.message_user(
                request,
                f"Doublon possible\u00a0: «\u00a0{obj.title}\u00a0» ressemble à "
                f"{quoted_duplicates(duplicates)}. Vérifiez qu’il ne s’agit pas du même exemple.",
                messages.WARNING,
            )

    @admin.display(description="doublons possibles")
    def possible_duplicates(self, obj: Example) -> str:
        if obj.pk is None:
            return "—"
        duplicates = Example.objects.possible_duplicates(obj)[:5]
        if not duplicates:
            return "Aucun exemple proche."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {})</li>',
                (
                    (
                        reverse("admin:examples_example_change", args=[quote(example.pk)]),
                        example.title,
                        duplicate_reasons(example),
                        example.get_status_display().lower(),
                    )
                    for example in duplicates
                ),
            ),
        )


class ModerationChangeList(ChangeList):
    def url_for_result(self, result) -> str:
        return reverse(
            "admin:examples_example_change",
            args=[quote(result.pk)],
            current_app=self.model_admin.admin_site.name,
        )


@admin.register(ExampleAwaitingModeration)
class ModerationQueueAdmin(ExampleListMixin, admin.ModelAdmin):
    """Public proposals and examples submitted for review, oldest first. The rows are plain
    Examples, edited in the example form, so that history and search stay complete."""

    list_display = [
        "title",
        "status",
        "needs_verification",
        "category_names",
        "function_names",
        "departement_codes",
        "created_at",
        "public_link",
    ]
    ordering = ["created_at", "pk"]
    list_title = "File de modération"

    def get_queryset(self, request):
        return Example.objects.awaiting_moderation().for_admin_list()

    def get_changelist(self, request, **kwargs):
        return ModerationChangeList

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [
            path("", self.admin_site.admin_view(self.changelist_view), name=name),
            path("<path:object_id>/", self.admin_site.admin_view(self.redirect_to_example)),
        ]

    def redirect_to_example(self, request, object_id):
        return HttpResponseRedirect(reverse("admin:examples_example_change", args=[object_id]))

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("examples.view_example") or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("examples.change_example")

    def has_add_permission(self, request) -> bool:
        return False

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)


@admin.register(Category)
class CategoryAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    feminine = True
    list_display = ["name", "era", "share_percent", "order", "colour"]
    ordering = ["order", french_order("name")]
    prepopulated_fields = {"slug": ["name"]}
    # The whole palette in view, rather than behind a select.
    radio_fields = {"colour": admin.HORIZONTAL}


@admin.register(Theme)
class ThemeAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    search_fields = ["name"]
    ordering = [french_order("name")]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    ordering = [french_order("name")]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Era)
class EraAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    feminine = True
    list_display = ["name", "period", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(KeyFigure)
class KeyFigureAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["value", "label", "source", "order"]


@admin.register(Resource)
class ResourceAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    feminine = True
    list_display = ["name", "kind", "url", "order"]
    list_filter = ["kind"]
