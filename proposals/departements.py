"""Naming the départements of a proposal by typing them: « Rhône », « 69 », « Rhône (69) »,
several separated by commas. The browser suggests names from a <datalist> as the visitor
types; the server reads what was typed, so nothing needs JavaScript."""

import re

from django import forms
from django.core.exceptions import ValidationError

from examples.french import french_order, french_sort_key
from territories.models import Departement

SEPARATORS = re.compile(r"[,;\n]+")
WITH_CODE = re.compile(r"\((\w{2,3})\)\s*$")


def unknown_message(typed: str) -> str:
    return (
        f"«\u00a0{typed}\u00a0» ne correspond à aucun département\u00a0: tapez son nom ou son "
        "numéro, par exemple Rhône ou 69."
    )


class DepartementsInput(forms.TextInput):
    """A text input with the list of départements as suggestions."""

    template_name = "proposals/widgets/departements_input.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        # One value per entry (checkboxes, older forms, scripts) or one typed list alike.
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
        return ", ".join(value for value in values if value)

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-liste"
        context["widget"]["suggestions"] = Departement.objects.order_by(french_order("name"))
        return context


class DepartementsField(forms.Field):
    """The codes of the départements named, in the order typed, each once."""

    widget = DepartementsInput

    def to_python(self, value) -> list[str]:
        typed = [entry.strip() for entry in SEPARATORS.split(value or "") if entry.strip()]
        if not typed:
            return []
        by_key: dict[str, str] = {}
        for code, name in Departement.objects.values_list("code", "name"):
            by_key[french_sort_key(code)] = by_key[french_sort_key(name)] = code
        codes: list[str] = []
        unknown: list[str] = []
        for entry in typed:
            with_code = WITH_CODE.search(entry)
            key = french_sort_key(with_code.group(1) if with_code else entry)
            found = by_key.get(key.zfill(2) if key.isdigit() else key)
            if found is None:
                unknown.append(entry)
            elif found not in codes:
                codes.append(found)
        if unknown:
            raise ValidationError([unknown_message(entry) for entry in unknown])
        return codes
