"""CSV and XLSX import and export of examples (django-import-export).

Rows match existing examples by slug; related rows are named by their slug (départements by
their code). A row breaking any rule is reported with its reason, and the admin imports the file
only when every row is valid.

The import also reads the public export (/exemples/export.csv, examples/exports.py) as it is
downloaded: its French column names stand for the resource's fields, its partners are named
« Nom (Type) », its territory by name, its origin by label, and its derived columns (names of
départements, URL, dates of publication…) are read and left aside. It has no status: an example
keeps its own, a new one arrives as a draft. An unchanged row changes nothing: it is skipped, so
the reasons of the categories and the roles of the partners stay as they are.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.results import RowResult

from territories.models import Departement, Function

from .french import slug_from_title
from .import_widgets import (
    DepartementCodesWidget,
    FrenchDateWidget,
    KnownKeysWidget,
    OriginWidget,
    PartnersWidget,
    TerritoryWidget,
    YearWidget,
    YesNoWidget,
)
from .models import Category, Example, Theme
from .status import ExampleStatus
from .validation import classification_errors
from .workflow import User, can_publish, may_set_status

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
    "commune",
    "year_started",
    "last_verified_at",
    "origin",
    "needs_verification",
)
REQUIRED_COLUMNS = ("slug", "title")
#: Columns of the public export that stand for a column of the import.
PUBLIC_EXPORT_COLUMNS = {
    "slug": "slug",
    "titre": "title",
    "resume": "summary",
    "description": "description",
    "categories": "categories",
    "fonctions": "functions",
    "themes": "themes",
    "departements": "departements",
    "territoire": "territory",
    "partenaires": "partners",
    "site_web": "website",
    "derniere_verification": "last_verified_at",
    "origine": "origin",
    "a_verifier": "needs_verification",
    "commune": "commune",
    "annee_lancement": "year_started",
}
#: Columns of the public export computed from other data (or from the sources, which the
#: import does not write): read and left aside.
DERIVED_COLUMNS = (
    "noms_departements",
    "regions",
    "source",
    "lien_source",
    "url",
    "publie_le",
    "mis_a_jour_le",
    "sources",
)
#: The column names that only the public export uses: a file with one of them is one.
PUBLIC_EXPORT_MARKERS = frozenset(
    {name for name, column in PUBLIC_EXPORT_COLUMNS.items() if name != column}
    | set(DERIVED_COLUMNS)
)
CHANGE_REASON = "Import d’un fichier"


def file_line(row_number: int) -> int:
    """The line of the file a data row comes from: the header is line 1."""
    return row_number + 1


class ExampleResource(resources.ModelResource):
    is_national = fields.Field(
        attribute="is_national", column_name="is_national", widget=YesNoWidget()
    )
    last_verified_at = fields.Field(
        attribute="last_verified_at", column_name="last_verified_at", widget=FrenchDateWidget()
    )
    territory = fields.Field(
        attribute="territory", column_name="territory", widget=TerritoryWidget()
    )
    origin = fields.Field(
        attribute="origin", column_name="origin", widget=OriginWidget(), saves_null_values=False
    )
    needs_verification = fields.Field(
        attribute="needs_verification", column_name="needs_verification", widget=YesNoWidget()
    )
    year_started = fields.Field(
        attribute="year_started", column_name="year_started", widget=YearWidget()
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
    partners = fields.Field(attribute="partners", column_name="partners", widget=PartnersWidget())

    class Meta:
        model = Example
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("slug",)
        clean_model_instances = True
        use_transactions = True
        # A row that changes nothing is reported « inchangé » and left alone: its example is not
        # saved again, and no version is added to its history.
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user: User | None = None
        self.duplicate_warnings: list[dict] = []
        self.lines_by_slug: dict[str, int] = {}
        self.from_public_export = False

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        headers = [str(header or "").strip() for header in dataset.headers or []]
        dataset.headers = headers
        self.from_public_export = bool(PUBLIC_EXPORT_MARKERS.intersection(headers))
        for derived in DERIVED_COLUMNS:
            if derived in headers:
                del dataset[derived]
        headers = [PUBLIC_EXPORT_COLUMNS.get(header, header) for header in dataset.headers]
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        unknown = [header for header in headers if header not in COLUMNS]
        repeated = sorted({header for header in headers if headers.count(header) > 1})
        problems = []
        if missing:
            problems.append(f"colonne(s) manquante(s)\u00a0: {', '.join(missing)}")
        if unknown:
            problems.append(f"colonne(s) inconnue(s)\u00a0: {', '.join(unknown)}")
        if repeated:
            problems.append(f"colonne(s) en double\u00a0: {', '.join(repeated)}")
        if problems:
            raise ValueError(
                "La première ligne du fichier doit nommer les colonnes ("
                + "\u00a0; ".join(problems)
                + f"). Colonnes possibles\u00a0: {', '.join(COLUMNS)}, ou celles de l’export "
                "public du site."
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
            if not isinstance(field.widget, widgets.ManyToManyWidget) or not field.attribute:
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
        if (
            self.from_public_export
            and instance.pk is None
            and "is_national" not in row
            and not related.get("departements")
        ):
            # The public export has no is_national column: a published example placed in no
            # département is a national one.
            instance.is_national = True
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
        if self.user is None or not can_publish(self.user):
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
