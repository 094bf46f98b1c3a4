from django import forms
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name

from .models import Example
from .status import ExampleStatus
from .validation import INVALID_WEBSITE, SLUG_TAKEN, classification_errors

STATUS_NOT_ALLOWED = (
    "Vous ne pouvez pas donner ce statut à l’exemple\u00a0: seuls les modérateurs publient "
    "et archivent."
)
EDITOR_STATUS_HELP = (
    "Enregistrez en brouillon, ou passez à «\u00a0À relire\u00a0» quand l’exemple est prêt\u00a0: "
    "un modérateur le publiera."
)


class ExampleAdminForm(forms.ModelForm):
    """The admin form; ExampleAdmin.get_form() sets `status_choices` for the current user."""

    status_choices: list[ExampleStatus] = list(ExampleStatus)
    status_help: str = ""

    class Meta:
        model = Example
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "functions",
            "themes",
            "departements",
            "is_national",
            "territory",
            "proposed_partners",
            "website",
            "commune",
            "place_note",
            "year_started",
            "origin",
            "fiche_text",
            "needs_verification",
            "verification_note",
            "last_verified_at",
            "status",
            "contact_email",
        ]
        error_messages = {
            "slug": {"unique": SLUG_TAKEN},
            "website": {"invalid": INVALID_WEBSITE},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if status := self.fields.get("status"):
            assert isinstance(status, forms.ChoiceField)
            status.choices = [(choice.value, choice.label) for choice in self.status_choices]
            status.error_messages["invalid_choice"] = STATUS_NOT_ALLOWED
            status.help_text = self.status_help
        self.show_historical_relations()

    def show_historical_relations(self) -> None:
        """simple-history restores an old version's own fields, not its many-to-many
        relations: when reverting, start from the relations that version had."""
        version = getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is None or self.is_bound:
            return
        for field in version._history_m2m_fields:
            if field.name in self.fields:
                target = f"{get_m2m_reverse_field_name(field)}_id"
                self.initial[field.name] = [
                    getattr(row, target) for row in getattr(version, field.name).all()
                ]

    def _save_m2m(self) -> None:
        super()._save_m2m()  # type: ignore[misc]  # private to Django: not in the stubs
        version = getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is not None:
            self.restore_historical_links(version)

    def restore_historical_links(self, version) -> None:
        """Categories and partners are edited inline, outside this form: reverting to a
        version restores them as that version had them, reasons and roles included."""
        for field in version._history_m2m_fields:
            if field.name in self.fields:
                continue
            through = field.remote_field.through
            kept = [
                name
                for name in (f.attname for f in through._meta.concrete_fields)
                if name not in ("id", "example_id")
            ]
            rows = getattr(version, field.name).all()
            through.objects.filter(example=self.instance).delete()
            through.objects.bulk_create(
                through(example=self.instance, **{name: getattr(row, name) for name in kept})
                for row in rows
            )
        self.instance.refresh_search_document()

    def clean(self):
        cleaned_data = super().clean()
        assert cleaned_data is not None  # ModelForm.clean() returns cleaned_data
        names = ("functions", "departements")
        if all(name in cleaned_data for name in names):
            errors = classification_errors(
                categories=None,
                functions=cleaned_data["functions"],
                departements=cleaned_data["departements"],
                is_national=cleaned_data.get("is_national", self.instance.is_national),
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned_data
