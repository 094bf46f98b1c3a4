"""CSV and XLSX import and export of examples (django-import-export).

Rows match existing examples by slug; related rows are named by their slug (départements by
their code). A row breaking any rule is reported with its reason, and the admin imports the file
only when every row is valid.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.results import RowResult

from territories.models import Departement, Function, Territory

from .models import Category, Example, Partner, Theme, slug_from_title
from .status import ExampleStatus
from .validation import classification_errors
from .workflow import can_publish, may_set_status

COLUMNS = (
    "slug",
    "title",
    "summary",
    "description",
    "status",
    "categories",
    "functions",
    "themes",
    "departements",
    "is_national",
    "territory",
    "partners",
    "website",
    "source",
    "source_url",
    "last_verified_at",
)
REQUIRED_COLUMNS = ("slug", "title")
CHANGE_REASON = "Import d’un fichier"


def file_line(row_number: int) -> int:
    """The line of the file a data row comes from: the header is line 1."""
    return row_number + 1


class KnownKeysWidget(widgets.ManyToManyWidget):
    """Related rows named by a key, separated by commas; an unknown key is an error, reported
    after `unknown_message`."""

    def __init__(self, model, field: str, unknown_message: str):
        super().__init__(model, separator=",", field=field)
        self.unknown_message = unknown_message

    def keys(self, value) -> list[str]:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return [key.strip() for key in str(value or "").split(self.separator) if key.strip()]

    def clean(self, value, row=None, **kwargs):
        keys = self.keys(value)
        found = list(self.model.objects.filter(**{f"{self.field}__in": keys}))
        missing = sorted(set(keys) - {getattr(instance, self.field) for instance in found})
        if missing:
            raise ValueError(f"{self.unknown_message}\u00a0: {', '.join(missing)}.")
        return found


class DepartementCodesWidget(KnownKeysWidget):
    def keys(self, value) -> list[str]:
        # A spreadsheet turns « 01 » into the number 1.
        return [key.zfill(2) if key.isdigit() else key.upper() for key in super().keys(value)]


class KnownSlugWidget(widgets.ForeignKeyWidget):
    def __init__(self, model, label: str):
        super().__init__(model, field="slug")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            raise ValueError(f"{self.label} inconnu\u00a0: {value}.") from error


class YesNoWidget(widgets.Widget):
    TRUE = {"1", "oui", "vrai", "true", "x"}
    FALSE = {"", "0", "non", "faux", "false"}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.TRUE or value is True:
            return True
        if text in self.FALSE or value is False:
            return False
        raise ValueError(f"« {value} » n’est pas reconnu\u00a0: indiquez oui ou non.")

    def render(self, value, obj=None, **kwargs):
        return "oui" if value else "non"


class FrenchDateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")
        self.formats = ("%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as error:
            raise ValueError(
                f"Date « {value} » illisible\u00a0: écrivez-la 2026-03-12 ou 12/03/2026."
            ) from error


class ExampleResource(resources.ModelResource):
    is_national = fields.Field(
        attribute="is_national", column_name="is_national", widget=YesNoWidget()
    )
    last_verified_at = fields.Field(
        attribute="last_verified_at", column_name="last_verified_at", widget=FrenchDateWidget()
    )
    territory = fields.Field(
        attribute="territory",
        column_name="territory",
        widget=KnownSlugWidget(Territory, "Territoire"),
    )
    categories = fields.Field(
        attribute="categories",
        column_name="categories",
        widget=KnownKeysWidget(Category, "slug", "Catégorie(s) inconnue(s)"),
    )
    functions = fields.Field(
        attribute="functions",
        column_name="functions",
        widget=KnownKeysWidget(Function, "slug", "Fonction(s) inconnue(s)"),
    )
    themes = fields.Field(
        attribute="themes",
        column_name="themes",
        widget=KnownKeysWidget(Theme, "slug", "Thème(s) inconnu(s)"),
    )
    departements = fields.Field(
        attribute="departements",
        column_name="departements",
        widget=DepartementCodesWidget(Departement, "code", "Code(s) de département inconnu(s)"),
    )
    partners = fields.Field(
        attribute="partners",
        column_name="partners",
        widget=KnownKeysWidget(Partner, "slug", "Partenaire(s) inconnu(s)"),
    )

    class Meta:
        model = Example
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("slug",)
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = None
        self.duplicate_warnings: list[dict] = []
        self.lines_by_slug: dict[str, int] = {}

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        headers = [str(header or "").strip() for header in dataset.headers or []]
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        unknown = [header for header in headers if header not in COLUMNS]
        problems = []
        if missing:
            problems.append(f"colonne(s) manquante(s)\u00a0: {', '.join(missing)}")
        if unknown:
            problems.append(f"colonne(s) inconnue(s)\u00a0: {', '.join(unknown)}")
        if problems:
            raise ValueError(
                "La première ligne du fichier doit nommer les colonnes ("
                + "\u00a0; ".join(problems)
                + f"). Colonnes possibles\u00a0: {', '.join(COLUMNS)}."
            )
        dataset.headers = headers

    def before_import_row(self, row, **kwargs):
        slug = str(row.get("slug") or "").strip() or slug_from_title(str(row.get("title") or ""))
        row["slug"] = slug
        line = file_line(kwargs["row_number"])
        first_line = self.lines_by_slug.setdefault(slug, line)
        if slug and first_line != line:
            raise ValidationError(
                {"slug": f"Le slug « {slug} » figure déjà ligne {first_line} du fichier."}
            )

    def import_instance(self, instance, row, **kwargs):
        stored_status = instance.status if instance.pk else None
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        related = {}
        for field in self.get_import_fields():
            if not isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            if field.column_name in row:
                try:
                    related[field.attribute] = field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
            elif instance.pk:
                related[field.attribute] = list(getattr(instance, field.attribute).all())
            else:
                related[field.attribute] = []
        if not errors:
            errors.update(
                classification_errors(
                    categories=related["categories"],
                    functions=related["functions"],
                    departements=related["departements"],
                    is_national=instance.is_national,
                )
            )
        status_error = self.apply_status_rules(instance, stored_status)
        if status_error:
            errors["status"] = [status_error]
        if errors:
            raise ValidationError(errors)

    def apply_status_rules(self, instance: Example, stored_status: str | None) -> str | None:
        """Imported rows arrive as drafts unless the importer may publish; an existing
        example keeps its status then. Returns the error to report, if any."""
        if not can_publish(self.user):
            instance.status = stored_status or ExampleStatus.BROUILLON
            return None
        if not instance.status:
            instance.status = stored_status or ExampleStatus.BROUILLON
        if instance.status in ExampleStatus.values and not may_set_status(
            self.user, stored_status, instance.status
        ):
            return f"Le statut « {instance.status} » est réservé au formulaire public."
        return None

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = CHANGE_REASON

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type != RowResult.IMPORT_TYPE_NEW:
            return
        title = str(row.get("title") or "")
        similar = list(
            Example.objects.similar_titles(title)
            .exclude(pk=row_result.object_id)
            .values_list("title", flat=True)[:3]
        )
        if similar:
            self.duplicate_warnings.append(
                {"line": file_line(kwargs["row_number"]), "title": title, "similar": similar}
            )

    def after_import(self, dataset, result, **kwargs):
        result.duplicate_warnings = self.duplicate_warnings
