"""The options of an embedded selection: the frame's size and how many examples it lists."""

from django import forms
from django.http import QueryDict

from examples.filters import ExampleFilter

FULL_WIDTH = "100%"


class EmbedOptions(forms.Form):
    nombre = forms.TypedChoiceField(
        label="Nombre d’exemples affichés",
        choices=[(5, "5"), (10, "10"), (20, "20")],
        coerce=int,
        required=False,
    )
    hauteur = forms.TypedChoiceField(
        label="Hauteur du cadre sans script",
        choices=[(400, "400 pixels"), (600, "600 pixels"), (800, "800 pixels")],
        coerce=int,
        required=False,
    )
    largeur = forms.ChoiceField(
        label="Largeur du cadre",
        choices=[
            (FULL_WIDTH, "toute la largeur disponible"),
            ("320", "320 pixels"),
            ("480", "480 pixels"),
            ("640", "640 pixels"),
        ],
        required=False,
    )
    DEFAULTS = {"nombre": 10, "hauteur": 600, "largeur": FULL_WIDTH}

    def value(self, name: str):
        """The option chosen, or its default when none or a wrong one was given."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name) or self.DEFAULTS[name]

    def chosen(self) -> dict:
        return {name: self.value(name) for name in self.DEFAULTS}

    def choices(self) -> list[tuple[forms.BoundField, list[tuple[str, str, bool]]]]:
        """Each option with its (value, label, checked) choices, for radio buttons."""
        return [
            (
                self[name],
                [
                    (str(value), str(label), str(value) == str(self.value(name)))
                    for value, label in self.fields[name].choices  # type: ignore[attr-defined]
                ],
            )
            for name in self.DEFAULTS
        ]


def selection_filters(query: QueryDict) -> QueryDict:
    """The list's filters among the parameters, and nothing else (no page, no option)."""
    kept = QueryDict(mutable=True)
    for name in ExampleFilter.base_filters:
        if values := query.getlist(name):
            kept.setlist(name, values)
    return kept
