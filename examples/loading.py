"""What `load_fiche` does: bring the reference data, the fiche's examples and the editorial
content (fixtures/contenu/) into the database, row by row, without ever overwriting what staff
changed.

A row is left alone once someone edited it: the admin's log (every model) or the example's
history (an edit made by a signed-in user) says so. Other rows are brought to the files'
content, and only when they differ from it: a second run writes nothing.
"""

import datetime
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from django.core import serializers
from django.db import models

from config.staff_edits import changed_in_admin
from territories.content import load_territory_content

from .french import slug_from_title
from .models import (
    Category,
    Example,
    ExampleCategory,
    ExampleFigure,
    ExamplePartner,
    ExampleSource,
    Origin,
    Partner,
)
from .provenance import FICHE_PUBLISHER

REFERENCE_FILES = (
    "regions.json",
    "departements.json",
    "fonctions-territoires.json",
    "fiche.json",
)
EXAMPLES_FILE = "exemples.json"
TERRITORY_FILE = "territoire.json"
CONTENT_DIR = "contenu"
#: The day the sources of fixtures/contenu/ were read and their facts checked.
CHECKED_ON = datetime.date(2026, 12, 4)
FICHE_URL = "https://partenariats-strategiques.plateformecapitalisation.org"
FICHE_TITLE = (
    "Fiche «\u00a0Exemples inspirants\u00a0» du kit «\u00a0L’ODD\u00a017 en pratique\u00a0»"
)
LOADER_REASON = "Chargement de la fiche et du contenu éditorial (load_fiche)"
# What an example's own columns take from a content record.
CONTENT_FIELDS = (
    "summary",
    "description",
    "commune",
    "place_note",
    "year_started",
    "website",
    "is_national",
    "needs_verification",
    "verification_note",
)


@dataclass
class Report:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        lines = [
            f"{label} : {self.created[label]} créé(s), {self.updated[label]} mis à jour, "
            f"{self.unchanged[label]} inchangé(s)"
            for label in labels
        ]
        lines += [f"Conservé (modifié par l’équipe) : {kept}" for kept in self.kept]
        return lines


def edited_by_staff(instance: models.Model) -> bool:
    """Whether someone changed the row in the admin, or (for an example) signed in: an
    import or a publishing action keeps the user in the example's history."""
    if changed_in_admin(instance) or not isinstance(instance, Example):
        return changed_in_admin(instance)
    return instance.history.filter(history_user__isnull=False).exists()


def read_json(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def load_fixture(path: Path, report: Report) -> None:
    """Create the missing rows of a Django fixture; bring the others to the fixture's values
    for the fields it names, unless staff edited them."""
    records = read_json(path)
    objects = serializers.deserialize("json", json.dumps(records))
    for record, deserialized in zip(records, objects, strict=True):
        save_from_fixture(deserialized, list(record["fields"]), report)


def save_from_fixture(deserialized, names: list[str], report: Report) -> models.Model:
    instance = deserialized.object
    label = str(instance._meta.verbose_name_plural)
    if instance.pk is None:
        instance.save()
        for name, values in deserialized.m2m_data.items():
            getattr(instance, name).set(values)
        report.created[label] += 1
        return instance
    stored = type(instance)._default_manager.get(pk=instance.pk)
    columns = [name for name in names if name not in deserialized.m2m_data]
    changed = [name for name in columns if getattr(stored, name) != getattr(instance, name)]
    changed_links = [
        name
        for name, values in deserialized.m2m_data.items()
        if {item.pk for item in getattr(stored, name).all()} != {int(pk) for pk in values}
    ]
    if not changed and not changed_links:
        report.unchanged[label] += 1
    elif edited_by_staff(stored):
        report.kept.append(f"{stored._meta.verbose_name} «\u00a0{stored}\u00a0»")
    else:
        for name in changed:
            setattr(stored, name, getattr(instance, name))
        stored._change_reason = LOADER_REASON
        stored.save()
        for name in changed_links:
            getattr(stored, name).set(deserialized.m2m_data[name])
        report.updated[label] += 1
    return stored


class ContentLoader:
    """The fiche's examples (exemples.json: the fiche's own words) and the editorial content
    of fixtures/contenu/ (facts from sources), merged into one state per example."""

    def __init__(self, fixture_dir: Path, report: Report):
        self.fixture_dir = fixture_dir
        self.report = report
        self.categories = {category.slug: category for category in Category.objects.all()}
        # Partners already brought up to date in this run: a partner several records name
        # with different kinds keeps the first one, or each run would flip it back and forth.
        self.partners: dict[str, Partner] = {}

    def content_records(self) -> dict[str, dict]:
        records: dict[str, dict] = {}
        for path in sorted((self.fixture_dir / CONTENT_DIR).glob("*.json")):
            if path.name.startswith(("fiche-", "ajouts-")):
                for record in read_json(path):
                    records[record["slug"]] = record
        return records

    def load(self) -> None:
        content = self.content_records()
        fiche_records = read_json(self.fixture_dir / EXAMPLES_FILE)
        fiche_slugs = {record["fields"]["slug"] for record in fiche_records}
        objects = serializers.deserialize("json", json.dumps(fiche_records))
        for record, deserialized in zip(fiche_records, objects, strict=True):
            self.apply(deserialized, list(record["fields"]), content.get(record["fields"]["slug"]))
        for slug, record in content.items():
            if slug in fiche_slugs or record["origin"] != Origin.AJOUT:
                continue
            added = Example(slug=slug, title=record["title"], origin=Origin.AJOUT, status="publie")
            added.pk = Example.objects.filter(slug=slug).values_list("pk", flat=True).first()
            deserialized = serializers.base.DeserializedObject(added, m2m_data={})
            self.apply(deserialized, ["title", "origin", "status"], record)

    def apply(self, deserialized, names: list[str], record: dict | None) -> None:
        example: Example = deserialized.object
        if record is not None:
            for name in CONTENT_FIELDS:
                setattr(example, name, record[name] if record[name] is not None else None)
            example.year_started = record["year_started"]
            example.last_verified_at = CHECKED_ON
            names = [*names, *CONTENT_FIELDS, "last_verified_at"]
            codes = record["departements"]
            if codes or record["is_national"]:
                deserialized.m2m_data["departements"] = self.departement_pks(codes)
        before = self.report.kept[:]
        stored = save_from_fixture(deserialized, names, self.report)
        if self.report.kept != before or record is None:
            return
        assert isinstance(stored, Example)
        if self.replace_provenance(stored, record):
            stored.refresh_search_document()
            self.report.updated["provenances (sources, partenaires, catégories)"] += 1

    @staticmethod
    def departement_pks(codes: Iterable[str]) -> list[int]:
        from territories.models import Departement

        return list(Departement.objects.filter(code__in=codes).values_list("pk", flat=True))

    def replace_provenance(self, example: Example, record: dict) -> bool:
        """Sources, figures, partners and categories as the record has them; True when
        anything was written."""
        sources = [
            (source["url"], source["publisher"], source.get("title", ""), source["supports"])
            for source in record["sources"]
        ]
        if example.origin == Origin.FICHE:
            fiche = (FICHE_URL, FICHE_PUBLISHER, FICHE_TITLE, "L’exemple tel que la fiche le cite.")
            sources.insert(0, fiche)
        wanted: dict[str, list[tuple[Any, ...]]] = {
            "sources": [
                (url, publisher[:200], title[:300], supports, CHECKED_ON, order == 0 and is_fiche)
                for order, (url, publisher, title, supports) in enumerate(sources)
                for is_fiche in [example.origin == Origin.FICHE]
            ],
            "figures": [
                (figure["text"], figure["date"], figure["source_url"])
                for figure in record["figures"]
            ],
            # A partner named twice (carrier and partner) keeps its first role.
            "partners": list(
                {
                    self.partner(partner).pk: partner["role"][:200]
                    for partner in reversed(record["partners"])
                }.items()
            )[::-1],
            "categories": [
                (self.categories[category["slug"]].pk, category["reason"])
                for category in record["categories"]
            ],
        }
        stored = {
            "sources": list(
                example.sources.values_list(
                    "url", "publisher", "title", "supports", "consulted_on", "is_fiche"
                )
            ),
            "figures": list(example.figures.values_list("text", "date", "source_url")),
            "partners": list(
                ExamplePartner.objects.filter(example=example).values_list("partner", "role")
            ),
            "categories": sorted(
                ExampleCategory.objects.filter(example=example).values_list("category", "reason")
            ),
        }
        wanted["categories"].sort()
        if wanted == stored:
            return False
        example.sources.all().delete()
        example.figures.all().delete()
        ExamplePartner.objects.filter(example=example).delete()
        ExampleCategory.objects.filter(example=example).delete()
        ExampleSource.objects.bulk_create(
            ExampleSource(
                example=example,
                url=url,
                publisher=publisher,
                title=title,
                supports=supports,
                consulted_on=consulted_on,
                is_fiche=is_fiche,
                order=order,
            )
            for order, (url, publisher, title, supports, consulted_on, is_fiche) in enumerate(
                wanted["sources"]
            )
        )
        ExampleFigure.objects.bulk_create(
            ExampleFigure(example=example, text=text, date=date, source_url=url, order=order)
            for order, (text, date, url) in enumerate(wanted["figures"])
        )
        ExamplePartner.objects.bulk_create(
            ExamplePartner(example=example, partner_id=pk, role=role, order=order)
            for order, (pk, role) in enumerate(wanted["partners"])
        )
        ExampleCategory.objects.bulk_create(
            ExampleCategory(example=example, category_id=pk, reason=reason)
            for pk, reason in wanted["categories"]
        )
        return True

    def partner(self, data: dict) -> Partner:
        slug = slug_from_title(data["name"])[:200]
        if slug in self.partners:
            return self.partners[slug]
        partner = Partner.objects.filter(slug=slug).first()
        if partner is None:
            self.report.created["partenaires"] += 1
            partner = Partner.objects.create(slug=slug, name=data["name"], kind=data["kind"])
        elif partner.kind != data["kind"] and data["kind"] and not edited_by_staff(partner):
            partner.kind = data["kind"]
            partner.save()
            self.report.updated["partenaires"] += 1
        self.partners[slug] = partner
        return partner


def load_everything(fixture_dir: Path) -> Report:
    report = Report()
    for filename in REFERENCE_FILES:
        load_fixture(fixture_dir / filename, report)
    ContentLoader(fixture_dir, report).load()
    said = StringIO()
    updated, unchanged, kept = load_territory_content(
        said, fixture_dir / CONTENT_DIR / TERRITORY_FILE
    )
    report.updated["territoires (contenu éditorial)"] += updated
    report.unchanged["territoires (contenu éditorial)"] += unchanged
    if kept:
        report.kept += [line for line in said.getvalue().splitlines() if "conservé" in line]
    return report
