"""CSV and XLSX import and export of examples (django-import-export).

One vocabulary for the public export (/exemples/export.csv, examples/exports.py), the admin's
export and its import: the same French column names, values written the same way (lists
separated by « | », départements by their code, partners as « Nom (Type) », the territory by its
name, the origin and the status by their labels). The admin's export adds two columns the public
one has not: `statut` and `envergure_nationale`.

The import reads a column by its name whatever its case and accents, or by its field's label
(« Résumé », « Année de lancement »), and still reads the English names of the admin's older
files (`title`, `is_national`…). It reads the public export as it is downloaded: its derived
columns (names of départements, URL, dates of publication…) are read and left aside; it has no
status: an example keeps its own, a new one arrives as a draft.

Rows match existing examples by slug; related rows are named by their slug (départements by
their code). A row breaking any rule is reported with its reason, and the admin imports the file
only when every row is valid. An unchanged row changes nothing: it is skipped, so the reasons of
the categories and the roles of the partners stay as they are.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Field
from import_export import fields, resources, widgets
from import_export.results import RowResult

from territories.models import Departement, Function

from .french import french_sort_key, slug_from_title
from .import_widgets import (
    DepartementCodesWidget,
    FrenchDateWidget,
    KnownKeysWidget,
    LabelWidget,
    PartnersWidget,
    TerritoryWidget,
    YearWidget,
    YesNoWidget,
)
from .models import Category, Example, Theme
from .provenance import Origin
from .status import ExampleStatus
from .validation import classification_errors, quoted_duplicates
from .workflow import User, can_publish, may_set_status

#: Field of the example → its column, in the files' order.
FIELD_COLUMNS = {
    "slug": "slug",
    "title": "titre",
    "summary": "resume",
    "description": "description",
    "status": "statut",
    "categories": "categories",
    "functions": "fonctions",
    "themes": "themes",
    "departements": "departements",
    "is_national": "envergure_nationale",
    "territory": "territoire",
    "partners": "partenaires",
    "website": "site_web",
    "commune": "commune",
    "year_started": "annee_lancement",
    "last_verified_at": "derniere_verification",
    "origin": "origine",
    "needs_verification": "a_verifier",
}
COLUMNS = tuple(FIELD_COLUMNS.values())
REQUIRED_COLUMNS = ("slug", "titre")
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
CHANGE_REASON = "Import d’un fichier"


def header_key(header: str) -> str:
    """A column name as the import compares it: « Dernière vérification » and
    `derniere_verification` are one."""
    return re.sub(r"[^a-z0-9]+", "_", french_sort_key(header)).strip("_")


def field_label(name: str) -> str:
    """The label of an example's field, as its form shows it."""
    field = Example._meta.get_field(name)
    assert isinstance(field, Field), name  # FIELD_COLUMNS names the example's own fields
    return str(field.verbose_name)


def column_aliases() -> dict[str, str]:
    """Each name the import reads a column by → the column: its own name, its field's label,
    and its field's name (the English of the admin's older files)."""
    aliases = {}
    for field, column in FIELD_COLUMNS.items():
        label = field_label(field)
        for name in (column, label, field):
            aliases[header_key(name)] = column
    return aliases


def file_line(row_number: int) -> int:
    """The line of the file a data row comes from: the header is line 1."""
    return row_number + 1


def column_field(field: str, widget=None, **kwargs) -> fields.Field:
    """The field's column; text by default, an empty cell being an empty text."""
    return fields.Field(
        attribute=field,
        column_name=FIELD_COLUMNS[field],
        widget=widget or widgets.CharWidget(allow_blank=True),
        **kwargs,
    )


class ExampleResource(resources.ModelResource):
    slug = column_field("slug")
    title = column_field("title")
    summary = column_field("summary")
    description = column_field("description")
    status = column_field("status", LabelWidget(ExampleStatus, "Statut"), saves_null_values=False)
    is_national = column_field("is_national", YesNoWidget())
    last_verified_at = column_field("last_verified_at", FrenchDateWidget())
    territory = column_field("territory", TerritoryWidget())
    origin = column_field(
        "origin", LabelWidget(Origin, "Origine", feminine=True), saves_null_values=False
    )
    needs_verification = column_field("needs_verification", YesNoWidget())
    year_started = column_field("year_started", YearWidget())
    website = column_field("website")
    commune = column_field("commune")
    categories = column_field(
        "categories", KnownKeysWidget(Category, "slug", "Catégorie(s) inconnue(s)")
    )
    functions = column_field(
        "functions", KnownKeysWidget(Function, "slug", "Fonction(s) inconnue(s)")
    )
    themes = column_field("themes", KnownKeysWidget(Theme, "slug", "Thème(s) inconnu(s)"))
    departements = column_field(
        "departements",
        DepartementCodesWidget(Departement, "code", "Code(s) de département inconnu(s)"),
    )
    partners = column_field("partners", PartnersWidget())

    class Meta:
        model = Example
        fields = tuple(FIELD_COLUMNS)
        import_order = tuple(FIELD_COLUMNS)
        export_order = tuple(FIELD_COLUMNS)
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
        drop_empty_columns_and_rows(dataset)
        aliases = column_aliases()
        headers = [str(header or "").strip() for header in dataset.headers or []]
        known = [aliases.get(header_key(header), header_key(header)) for header in headers]
        dataset.headers = known
        self.from_public_export = bool(set(DERIVED_COLUMNS).intersection(known))
        for derived in DERIVED_COLUMNS:
            if derived in known:
                del dataset[derived]
        columns = list(dataset.headers)
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        unknown = [
            header
            for header, column in zip(headers, known, strict=True)
            if column not in COLUMNS and column not in DERIVED_COLUMNS
        ]
        repeated = sorted({column for column in columns if columns.count(column) > 1})
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
                + f"). Colonnes possibles\u00a0: {', '.join(COLUMNS)}, et celles de l’export "
                "public du site."
            )

    def before_import_row(self, row, **kwargs):
        slug = str(row.get("slug") or "").strip() or slug_from_title(str(row.get("titre") or ""))
        row["slug"] = slug
        line = file_line(kwargs["row_number"])
        first_line = self.lines_by_slug.setdefault(slug, line)
        if slug and first_line != line:
            raise ValidationError(
                {"slug": f"Le slug «\u00a0{slug}\u00a0» figure déjà ligne {first_line} du fichier."}
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
            and "envergure_nationale" not in row
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

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            # Reported under the names the file gives its columns.
            raise ValidationError(
                {
                    FIELD_COLUMNS.get(name, name): errors
                    for name, errors in error.message_dict.items()
                }
            ) from None

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
            label = ExampleStatus(instance.status).label
            return f"Le statut «\u00a0{label}\u00a0» est réservé au formulaire public."
        return None

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = CHANGE_REASON

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type != RowResult.IMPORT_TYPE_NEW:
            return
        # Saved, relations included, even in the preview (rolled back afterwards).
        example = Example.objects.get(pk=row_result.object_id)
        duplicates = list(Example.objects.possible_duplicates(example)[:3])
        if duplicates:
            self.duplicate_warnings.append(
                {
                    "line": file_line(kwargs["row_number"]),
                    "title": example.title,
                    "similar": quoted_duplicates(duplicates),
                }
            )

    def after_import(self, dataset, result, **kwargs):
        result.duplicate_warnings = self.duplicate_warnings


def blank(value) -> bool:
    return not str(value if value is not None else "").strip()


def drop_empty_columns_and_rows(dataset) -> None:
    """What a spreadsheet may leave around its table: columns with neither a name nor a value,
    and empty rows after the last one (rows before it keep their line numbers)."""
    headers = list(dataset.headers or [])
    rows = [list(row) for row in dataset]
    while rows and all(blank(value) for value in rows[-1]):
        rows.pop()
    kept = [
        index
        for index, header in enumerate(headers)
        if not blank(header) or not all(blank(row[index]) for row in rows)
    ]
    if len(kept) == len(headers) and len(rows) == dataset.height:
        return
    dataset.wipe()
    dataset.headers = [headers[index] for index in kept]
    for row in rows:
        dataset.append([row[index] for index in kept])
