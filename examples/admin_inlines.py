"""What the editors add to an example in its admin form: categories with their reasons,
partners with their roles, sources and dated figures."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import QueryDict

from .models import ExampleCategory, ExampleFigure, ExamplePartner, ExampleSource
from .validation import NEEDS_CATEGORY_OR_FUNCTION


class PartOfTheExample(admin.options.InlineModelAdmin):
    """Rows that belong to the example they are edited with: whoever may add or change the
    example may edit them, as Django allows for an automatic many-to-many table. Without this,
    the editors, who hold no permission on these models, would not see the inlines, and an
    example they save would silently keep no category."""

    def example_admin(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def may_edit(self, request, obj) -> bool:
        example_admin = self.example_admin()
        if obj is None:
            return example_admin.has_add_permission(request)
        return example_admin.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.example_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj) -> bool:  # type: ignore[override]  # as Django's own
        return self.may_edit(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.may_edit(request, obj)


class CategoryFormSet(forms.BaseInlineFormSet):
    """An example needs a category or a function: the functions come from the main form,
    whose values are in the same POST."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("category") and not form.cleaned_data.get("DELETE")
        ]
        assert isinstance(self.data, QueryDict)  # the admin's request.POST
        if not kept and not self.data.getlist("functions"):
            raise ValidationError(NEEDS_CATEGORY_OR_FUNCTION)


class ExampleCategoryInline(PartOfTheExample, admin.TabularInline):
    model = ExampleCategory
    formset = CategoryFormSet
    fields = ["category", "reason"]
    extra = 0
    verbose_name = "classement éditorial"
    verbose_name_plural = "Classement éditorial (catégories et raisons, tirées des sources)"
    formfield_overrides = {
        ExampleCategory._meta.get_field("reason").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 80})
        }
    }


class ExamplePartnerInline(PartOfTheExample, admin.TabularInline):
    model = ExamplePartner
    fields = ["partner", "role", "order"]
    autocomplete_fields = ["partner"]
    extra = 0
    verbose_name = "partenaire"
    verbose_name_plural = "Partenaires et leur rôle dans l’alliance"


class ExampleSourceInline(PartOfTheExample, admin.StackedInline):
    model = ExampleSource
    fields = [("url", "publisher"), "title", "supports", ("consulted_on", "is_fiche", "order")]
    extra = 0
    verbose_name_plural = "Sources (la fiche d’abord)"


class ExampleFigureInline(PartOfTheExample, admin.TabularInline):
    model = ExampleFigure
    fields = ["text", "date", "source_url", "order"]
    extra = 0
    verbose_name_plural = "Chiffres, avec leur date et leur source"


EXAMPLE_INLINES: list[type[admin.options.InlineModelAdmin]] = [
    ExampleCategoryInline,
    ExamplePartnerInline,
    ExampleSourceInline,
    ExampleFigureInline,
]
