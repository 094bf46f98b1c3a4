"""Open data exports of the examples: CSV and JSON, streamed row by row.

Column names are part of the public contract: scripts and spreadsheets rely on them, so a new
column goes at the end and none is ever renamed. The admin's import and export speak the same
vocabulary (examples/resources.py).

The data are published under the Licence Ouverte 2.0 (Etalab): each export says so, in an HTTP
`Link` header (rel="license", RFC 8288) for every format and in a `licence` field of the JSON.

Dates in the CSV are calendar dates in ISO 8601 (2026-03-12, the day in Paris): a spreadsheet
set to French reads them as dates, and unlike 12/03/2026 they cannot be misread as 3 December.
A full timestamp (2026-03-12T09:30:00+01:00) would be left as text. The JSON keeps timestamps.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.urls import reverse
from django.utils import timezone

from .models import Example
from .partner_kinds import PartnerKind

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

COLUMNS = (
    "slug",
    "titre",
    "resume",
    "description",
    "categories",
    "fonctions",
    "themes",
    "departements",
    "noms_departements",
    "regions",
    "territoire",
    "partenaires",
    "site_web",
    "source",
    "lien_source",
    "url",
    "publie_le",
    "mis_a_jour_le",
    "derniere_verification",
    "origine",
    "a_verifier",
    "commune",
    "annee_lancement",
    "sources",
)
LIST_SEPARATOR = " | "
CSV_DELIMITER = ";"  # what a spreadsheet set to French expects; values never hold a bare ";"
KIND_LABELS = dict(PartnerKind.choices)
SLUG_PLACEHOLDER = "slug-placeholder"
LICENCE_NAME = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE = {"nom": LICENCE_NAME, "url": LICENCE_URL}
LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'
#: Columns holding timestamps, which the CSV gives as calendar dates.
TIMESTAMP_COLUMNS = ("publie_le", "mis_a_jour_le")


def partner_label(name: str, kind: str) -> str:
    """A partner as the exports name it: « Fondation Castorama (Fondation) »."""
    return f"{name} ({KIND_LABELS[kind]})" if kind else name


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


class ExportArrays(TypedDict):
    """The arrays ExampleQuerySet.for_export() annotates each example with."""

    category_slugs: list[str]
    function_slugs: list[str]
    theme_slugs: list[str]
    departement_codes: list[str]
    departement_names: list[str]
    region_names: list[str]
    partner_names: list[str]
    partner_kinds: list[str]
    source_urls: list[str]
    source_publishers: list[str]


def export_record(example: "WithAnnotations[Example, ExportArrays]", detail_url: str) -> dict:
    """One example as plain data; lists stay lists (the CSV joins them)."""
    partners = [
        partner_label(name, kind)
        for name, kind in zip(example.partner_names, example.partner_kinds, strict=True)
    ]
    return {
        "slug": example.slug,
        "titre": example.title,
        "resume": example.summary,
        "description": example.description,
        "categories": example.category_slugs,
        "fonctions": example.function_slugs,
        "themes": example.theme_slugs,
        "departements": example.departement_codes,
        "noms_departements": example.departement_names,
        "regions": example.region_names,
        "territoire": example.territory.name if example.territory else None,
        "partenaires": partners,
        "site_web": example.website or None,
        # The first source, as before sources were many; every source is in `sources`.
        "source": example.source_publishers[0] if example.source_publishers else None,
        "lien_source": example.source_urls[0] if example.source_urls else None,
        "url": detail_url.replace(SLUG_PLACEHOLDER, example.slug),
        "publie_le": _iso(example.published_at),
        "mis_a_jour_le": _iso(example.updated_at),
        "derniere_verification": _iso(example.last_verified_at),
        "origine": example.get_origin_display(),
        "a_verifier": "oui" if example.needs_verification else "non",
        "commune": example.commune or None,
        "annee_lancement": example.year_started,
        "sources": example.source_urls,
    }


def stream_records(queryset, site_url: str, chunk_size: int = 2000) -> Iterator[dict]:
    # One reverse() for the whole export rather than one per row.
    detail_url = site_url + reverse("examples:detail", args=[SLUG_PLACEHOLDER])
    for example in queryset.for_export().iterator(chunk_size=chunk_size):
        yield export_record(example, detail_url)


def calendar_date(timestamp: str | None) -> str | None:
    """The day in Paris of an ISO timestamp, as the CSV gives it."""
    if not timestamp:
        return timestamp
    return timezone.localdate(datetime.fromisoformat(timestamp)).isoformat()


def csv_cell(column: str, value) -> str:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if column in TIMESTAMP_COLUMNS:
        value = calendar_date(value)
    return "" if value is None else value


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    yield "\ufeff" + writer.writerow(COLUMNS)
    for record in records:
        yield writer.writerow([csv_cell(column, record[column]) for column in COLUMNS])


def json_chunks(records: Iterable[dict], metadata: dict) -> Iterator[str]:
    """A JSON object whose `exemples` array is written one element at a time, after the
    metadata and the licence."""
    head = json.dumps({**metadata, "licence": LICENCE}, ensure_ascii=False)[:-1]
    yield head + ', "exemples": ['
    separator = ""
    for record in records:
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"
