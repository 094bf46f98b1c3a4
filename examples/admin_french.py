"""Page titles of the admin in French that agree with their noun.

Django's French titles paste a model's name into one sentence for every model: « Sélectionnez
l’objet exemple à changer », « Ajout de exemple », « Modification de ère partenariale ». Here a
list is titled by its plural (« Exemples »), and a form by a verb with the article the noun takes
(« Ajouter une catégorie de partenariat », « Modifier l’exemple »). Django keeps no gender:
each admin says whether its model's name is feminine.
"""

import unicodedata

from django.contrib import admin
from django.utils.text import capfirst

VOWELS = set("aeiouy")


def elides(noun: str) -> bool:
    """Whether « le » and « la » become « l’ » before `noun` (« l’exemple », « l’ère »)."""
    first = unicodedata.normalize("NFKD", noun[:1].lower())[:1]
    return first in VOWELS


def indefinite(noun: str, feminine: bool) -> str:
    return f"{'une' if feminine else 'un'} {noun}"


def definite(noun: str, feminine: bool) -> str:
    if elides(noun):
        return f"l’{noun}"
    return f"{'la' if feminine else 'le'} {noun}"


class FrenchTitlesMixin(admin.ModelAdmin):
    """Titles of the list and form pages, and the label of the list's « add » link."""

    #: Whether the model's verbose name is feminine (« une catégorie », « la région »).
    feminine = False
    #: The list's title, when the plural alone does not say what the list is.
    list_title = ""

    def noun(self) -> str:
        return str(self.opts.verbose_name)

    def add_title(self) -> str:
        return f"Ajouter {indefinite(self.noun(), self.feminine)}"

    def changelist_view(self, request, extra_context=None):
        titles = {
            "title": self.list_title or capfirst(str(self.opts.verbose_name_plural)),
            "add_label": self.add_title(),
        }
        return super().changelist_view(request, {**titles, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            title = self.add_title()
        else:
            obj = self.get_object(request, object_id)
            verb = "Modifier" if self.has_change_permission(request, obj) else "Consulter"
            title = f"{verb} {definite(self.noun(), self.feminine)}"
        return super().changeform_view(
            request, object_id, form_url, {"title": title, **(extra_context or {})}
        )
