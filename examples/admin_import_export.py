"""The example admin's import and export pages (django-import-export): who may use them, the
formats, the export form's French labels, the licence on each exported file, and the messages
that close an import."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult

from .admin_actions import agree
from .exports import LICENCE_LINK, LICENCE_NAME, LICENCE_URL
from .import_formats import LicensedXLSX, SniffedCSV
from .resources import ExampleResource, field_label
from .templatetags.annuaire import example_count


class FrenchExportForm(SelectableFieldsExportForm):
    """Each column offered by its field's label and its name in the file:
    « Année de lancement (annee_lancement) »."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        for resource in resources:
            for name, field in resource().fields.items():
                label = capfirst(field_label(field.attribute))
                form_field = self.fields[self.create_boolean_field_name(resource, name)]
                form_field.label = f"{label} ({field.column_name})"


class ExampleImportExportMixin(ImportExportMixin):
    resource_classes = [ExampleResource]
    formats = [SniffedCSV, LicensedXLSX]
    export_form_class = FrenchExportForm
    import_template_name = "admin/examples/example/import.html"
    export_template_name = "admin/examples/example/export.html"

    def has_import_permission(self, request) -> bool:
        return request.user.has_perms(["examples.add_example", "examples.change_example"])

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)  # type: ignore[attr-defined]  # a ModelAdmin's

    def get_export_queryset(self, request):
        return (
            super()
            .get_export_queryset(request)
            .select_related("territory")
            .prefetch_related("categories", "functions", "themes", "departements", "partners")
        )

    def get_export_context_data(self, **kwargs):
        return {
            **super().get_export_context_data(**kwargs),
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
        }

    def export_action(self, request):
        response = super().export_action(request)
        if response.has_header("Content-Disposition"):
            response["Link"] = LICENCE_LINK
        return response

    def get_import_data_kwargs(self, **kwargs):
        # The confirmation step imports again: if the data changed since the preview and a
        # row became invalid, nothing is imported.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(  # type: ignore[attr-defined]  # a ModelAdmin's
                request,
                "Aucune ligne n’a été importée\u00a0: le fichier contient des erreurs. "
                "Déposez-le à nouveau pour les voir dans l’aperçu.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:examples_example_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        new = result.totals[RowResult.IMPORT_TYPE_NEW]
        updated = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        skipped = result.totals[RowResult.IMPORT_TYPE_SKIP]
        self.message_user(  # type: ignore[attr-defined]  # a ModelAdmin's
            request,
            f"Import terminé\u00a0: {example_count(new)} {agree(new, 'créé', 'créés')}, "
            f"{updated or 'aucun'} mis à jour, "
            f"{skipped or 'aucun'} {agree(skipped, 'inchangé', 'inchangés')}.",
            messages.SUCCESS,
        )
