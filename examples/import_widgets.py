"""The widgets of the example import and export (examples/resources.py): how a cell of a CSV or
XLSX file names related rows (départements by code, partners by slug, name or « Nom (Type) », a
territory by slug or name), a status or an origin, a year, a yes/no and a date, each with a clear
French error. Cells are written as the public export writes them (examples/exports.py)."""

import re
from collections import defaultdict

from django.db.models import Q, TextChoices
from import_export import widgets

from territories.models import Territory

from .exports import LIST_SEPARATOR, partner_label
from .models import Partner
from .partner_kinds import PartnerKind

#: Lists are separated by commas in the admin's files, by « | » in the public export.
LIST_SEPARATORS = re.compile(r"\s*[|,]\s*")
#: « Nom (Type) »: how the public export names a partner of a known kind.
NAME_AND_KIND = re.compile(r"(?P<name>.*\S)\s*\((?P<kind>[^()]+)\)")
KINDS_BY_LABEL = {label.lower(): kind for kind, label in PartnerKind.choices}


class KnownKeysWidget(widgets.ManyToManyWidget):
    """Related rows named by a key, separated by commas or « | »; an unknown key is an error,
    reported after `unknown_message`."""

    def __init__(self, model, field: str, unknown_message: str):
        # The separator the export writes; the import reads commas too.
        super().__init__(model, separator=LIST_SEPARATOR, field=field)
        self.unknown_message = unknown_message

    def keys(self, value) -> list[str]:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return [key for key in LIST_SEPARATORS.split(str(value or "").strip()) if key]

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


class PartnersWidget(KnownKeysWidget):
    """Partners named by their slug (the admin's files) or their name, followed by their type
    in brackets when they have one (the public export: « Fondation Castorama (Fondation) »).

    The public export separates them with « | »: a name may hold a comma, so a piece between
    two « | » is split on its commas only when it names no partner as a whole."""

    def __init__(self):
        super().__init__(Partner, "slug", "Partenaire(s) inconnu(s)")

    def clean(self, value, row=None, **kwargs):
        pieces = [piece.strip() for piece in str(value or "").split("|") if piece.strip()]
        candidates = {*pieces, *(key for piece in pieces for key in self.keys(piece))}
        names = {self.name_and_kind(key)[0] for key in candidates}
        known = list(Partner.objects.filter(Q(slug__in=candidates) | Q(name__in=names)))
        by_slug = {partner.slug: partner for partner in known}
        by_name = defaultdict(list)
        for partner in known:
            by_name[partner.name].append(partner)
        found, missing, ambiguous = [], [], []
        for piece in pieces:
            keys = [piece]
            if self.match(piece, by_slug, by_name) is None and "," in piece:
                keys = self.keys(piece)
            for key in keys:
                partner = self.match(key, by_slug, by_name)
                if partner is None:
                    missing.append(key)
                elif isinstance(partner, list):
                    ambiguous.append(key)
                elif partner not in found:
                    found.append(partner)
        errors = []
        if missing:
            errors.append(
                f"{self.unknown_message}\u00a0: {', '.join(missing)}. Créez-les d’abord dans "
                "Partenaires, ou nommez-les comme ils y sont nommés."
            )
        if ambiguous:
            errors.append(
                f"Plusieurs partenaires portent le nom de {', '.join(ambiguous)}\u00a0: "
                "indiquez leur slug."
            )
        if errors:
            raise ValueError(" ".join(errors))
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(partner_label(p.name, p.kind) for p in value.all())

    @staticmethod
    def name_and_kind(key: str) -> tuple[str, str | None]:
        match = NAME_AND_KIND.fullmatch(key)
        if match and match["kind"].strip().lower() in KINDS_BY_LABEL:
            return match["name"], KINDS_BY_LABEL[match["kind"].strip().lower()]
        return key, None

    def match(self, key: str, by_slug: dict, by_name: dict) -> Partner | list[Partner] | None:
        """The partner `key` names; a list of them when several share its name."""
        if key in by_slug:
            return by_slug[key]
        # A name may end in brackets of its own: « Groupe PSA (aujourd’hui Stellantis) ».
        same_name = by_name.get(key, [])
        if not same_name:
            # The type tells apart partners of the same name; the name alone finds a partner
            # whose type changed since the export.
            name, kind = self.name_and_kind(key)
            same_name = [
                partner for partner in by_name.get(name, []) if partner.kind == kind
            ] or by_name.get(name, [])
        if len(same_name) > 1:
            return same_name
        return same_name[0] if same_name else None


class KnownSlugWidget(widgets.ForeignKeyWidget):
    def __init__(self, model, label: str):
        super().__init__(model, field="slug")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            raise ValueError(f"{self.label} inconnu\u00a0: {value}.") from error


class TerritoryWidget(KnownSlugWidget):
    """A territory by its slug, or by its name as the public export gives it."""

    def __init__(self):
        super().__init__(Territory, "Territoire")

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        text = str(value).strip()
        by_slug = Territory.objects.filter(slug=text).first()
        if by_slug is not None:
            return by_slug
        named = list(Territory.objects.filter(name__iexact=text)[:2])
        if len(named) > 1:
            raise ValueError(
                f"Plusieurs territoires s’appellent «\u00a0{text}\u00a0»\u00a0: indiquez son slug."
            )
        if not named:
            raise Territory.DoesNotExist
        return named[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class LabelWidget(widgets.Widget):
    """A choice by its label (« Publié », « Cité par la fiche »), as the exports write it, or by
    its stored value (`publie`, `fiche`)."""

    def __init__(self, choices: type[TextChoices], name: str, feminine: bool = False):
        super().__init__()
        self.choices = choices
        self.name = name
        self.unknown = "inconnue" if feminine else "inconnu"
        self.values = {
            **{value: value for value in choices.values},
            **{str(label).lower(): value for value, label in choices.choices},
        }

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None  # the field does not save it: an example keeps its own
        try:
            return self.values[text.lower()]
        except KeyError:
            raise ValueError(
                f"{self.name} «\u00a0{value}\u00a0» {self.unknown}\u00a0: indiquez "
                + " ou ".join(f"«\u00a0{label}\u00a0»" for label in self.choices.labels)
                + "."
            ) from None

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return str(self.choices(value).label)


class YearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        if not text.isdigit() or len(text) != 4:
            raise ValueError(f"Année «\u00a0{value}\u00a0» illisible\u00a0: écrivez-la 2016.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    TRUE = {"1", "oui", "vrai", "true", "x"}
    FALSE = {"", "0", "non", "faux", "false"}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.TRUE or value is True:
            return True
        if text in self.FALSE or value is False:
            return False
        raise ValueError(f"«\u00a0{value}\u00a0» n’est pas reconnu\u00a0: indiquez oui ou non.")

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
                f"Date «\u00a0{value}\u00a0» illisible\u00a0: écrivez-la 2026-03-12 ou 12/03/2026."
            ) from error
