from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from examples.french import french_order
from examples.models import Category, Example
from examples.status import ExampleStatus
from examples.validation import INVALID_WEBSITE, classification_errors
from territories.models import Departement, Function, Region

TRAP_FILLED = (
    "Le champ «\u00a0Fax\u00a0», normalement invisible, doit rester vide\u00a0: il sert à écarter "
    "les envois automatiques. Videz-le puis envoyez à nouveau votre proposition."
)
CHANGE_REASON = "Proposé via le formulaire public"


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in one disclosure per group, opened where something is ticked."""

    template_name = "proposals/widgets/grouped_checkboxes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["open_groups"] = [
            group
            for group, options, _index in context["widget"]["optgroups"]
            if any(option["selected"] for option in options)
        ]
        return context


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
    departements = forms.MultipleChoiceField(
        label="Département(s) concerné(s)",
        required=False,
        widget=GroupedCheckboxSelectMultiple,
        help_text="Ouvrez une région pour cocher ses départements.",
    )
    is_national = forms.BooleanField(
        label="Action d’envergure nationale, sans département particulier",
        required=False,
    )
    category = forms.ModelChoiceField(
        label="Catégorie de partenariat",
        queryset=Category.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        blank=True,
        empty_label="Je ne sais pas",
        to_field_name="slug",
    )
    function = forms.ModelChoiceField(
        label="Fonction de co-construction territoriale",
        queryset=Function.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        blank=True,
        empty_label="Je ne sais pas",
        to_field_name="slug",
        help_text="Indiquez au moins une catégorie ou une fonction.",
    )
    website = forms.URLField(
        label="Site web (facultatif)",
        required=False,
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
        regions = Region.objects.order_by(french_order("name")).prefetch_related("departements")
        departements = self.fields["departements"]
        assert isinstance(departements, forms.ChoiceField)
        departements.choices = [
            (region.name, [(d.code, str(d)) for d in region.departements.all()])
            for region in regions
        ]

    def clean(self):
        cleaned_data = super().clean()
        assert cleaned_data is not None  # Form.clean() returns cleaned_data
        if cleaned_data.get("fax"):
            raise ValidationError(TRAP_FILLED)
        errors = classification_errors(
            categories=[cleaned_data["category"]] if cleaned_data.get("category") else [],
            functions=[cleaned_data["function"]] if cleaned_data.get("function") else [],
            departements=cleaned_data.get("departements") or [],
            is_national=cleaned_data.get("is_national", False),
        )
        # The function comes right after the category: its error covers both.
        if "categories" in errors:
            self.add_error("function", errors["categories"])
        if "departements" in errors:
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
