from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from examples.models import Category, Example
from examples.status import ExampleStatus
from examples.validation import INVALID_WEBSITE, classification_errors
from territories.models import Departement, Function

from .departements import DepartementsField

TRAP_FILLED = (
    "Le champ «\u00a0Fax\u00a0», normalement invisible, doit rester vide\u00a0: il sert à écarter "
    "les envois automatiques. Videz-le puis envoyez à nouveau votre proposition."
)
CHANGE_REASON = "Proposé via le formulaire public"


class ProposalForm(forms.Form):
    """What the public may tell us about an example; staff complete the rest."""

    title = forms.CharField(
        label="Nom de l’exemple",
        max_length=Example._meta.get_field("title").max_length,
        help_text="Le nom du projet, du dispositif ou du lieu.",
    )
    description = forms.CharField(
        label="Description",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Qui fait quoi, avec qui, depuis quand, et ce que l’alliance a changé "
        "(5\u00a0000 caractères au plus).",
    )
    partners = forms.CharField(
        label="Partenaires",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Les associations, entreprises et acteurs publics engagés, un par ligne.",
    )
    departements = DepartementsField(
        label="Département(s) concerné(s)",
        required=False,
        help_text="Tapez son nom ou son numéro, par exemple Rhône ou 69 ; séparez-en "
        "plusieurs par des virgules.",
    )
    is_national = forms.BooleanField(
        label="Action d’envergure nationale, sans département particulier",
        required=False,
    )
    category = forms.ModelChoiceField(
        label="Catégorie de partenariat (facultatif)",
        queryset=Category.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        blank=True,
        empty_label="Je ne sais pas",
        to_field_name="slug",
    )
    function = forms.ModelChoiceField(
        label="Fonction de co-construction territoriale (facultatif)",
        queryset=Function.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        blank=True,
        empty_label="Je ne sais pas",
        to_field_name="slug",
        help_text="Si vous ne savez pas, l’équipe éditoriale la choisira.",
    )
    website = forms.URLField(
        label="Site web (facultatif)",
        required=False,
        # « jardin-breche.fr » is an address to a visitor: no browser check of type="url"
        # refuses it, and https:// is added.
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text="Par exemple jardin-breche.fr",
        max_length=Example._meta.get_field("website").max_length,
        error_messages={"invalid": INVALID_WEBSITE},
    )
    contact_email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
        },
        help_text="Pour vous poser une question sur votre proposition\u00a0; elle n’est jamais "
        "publiée.",
    )
    fax = forms.CharField(
        label="Fax (laissez ce champ vide)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        assert cleaned_data is not None  # Form.clean() returns cleaned_data
        if cleaned_data.get("fax"):
            raise ValidationError(TRAP_FILLED)
        # Category and function are left to the editors when the visitor does not know them
        # (categories=None): they are required only to publish.
        errors = classification_errors(
            categories=None,
            functions=[],
            departements=cleaned_data.get("departements") or [],
            is_national=cleaned_data.get("is_national", False),
        )
        if "departements" in errors and "departements" not in self.errors:
            self.add_error("departements", errors["departements"])
        return cleaned_data

    @transaction.atomic
    def save(self) -> Example:
        data = self.cleaned_data
        example = Example(
            title=data["title"],
            slug=Example.objects.available_slug(data["title"]),
            description=data["description"],
            proposed_partners=data["partners"],
            is_national=data["is_national"],
            website=data["website"],
            contact_email=data["contact_email"],
            status=ExampleStatus.PROPOSE,
        )
        example._change_reason = CHANGE_REASON  # type: ignore[attr-defined]  # simple-history's way
        example.save()
        example.departements.set(Departement.objects.filter(code__in=data["departements"]))
        if data["category"]:
            example.categories.set([data["category"]])
        if data["function"]:
            example.functions.set([data["function"]])
        return example
