"""Bring a named territory to its editorial content (fixtures/contenu/territoire.json): summary,
description, website, sources, partners and who carries each co-construction function there,
all written from sources consulted on 4 December 2026.

The territory itself comes from fixtures/fonctions-territoires.json (loaded first, by its natural
key). Its content is only written where it differs from the file's, so that a second run writes
nothing; a territory that someone changed in the admin is left as it is, and said so.
"""

import datetime
import json
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models, transaction

from config.staff_edits import changed_in_admin

from .models import (
    Function,
    Territory,
    TerritoryFunctionCarrier,
    TerritoryPartner,
    TerritorySource,
)

CONTENT_FILE = Path("fixtures") / "contenu" / "territoire.json"
#: The day the sources of the file were read and its facts checked.
CHECKED_ON = datetime.date(2026, 12, 4)
COLUMNS = ("summary", "description", "website", "last_verified_at")
SOURCE_FIELDS = ("url", "publisher", "title", "supports", "consulted_on", "order")
CARRIER_FIELDS = ("function_id", "example_slug", "carried_by", "note")
PARTNER_FIELDS = ("name", "kind", "role", "order")
UPDATED = "mis à jour"
UNCHANGED = "inchangé"
KEPT = "conservé (modifié dans l’administration)"


def load_territory_content(stdout: TextIO, path: Path | None = None) -> tuple[int, int, int]:
    """Load the file (one territory, or a list of them); return how many territories were
    updated, were already up to date, and were kept because staff changed them."""
    path = path or settings.BASE_DIR / CONTENT_FILE
    with open(path, encoding="utf-8") as stream:
        data = json.load(stream)
    counts = {UPDATED: 0, UNCHANGED: 0, KEPT: 0}
    with transaction.atomic():
        functions = Function.objects.in_bulk(field_name="slug")
        for record in data if isinstance(data, list) else [data]:
            territory = territory_of(record)
            outcome = apply(territory, wanted_state(record, territory, functions))
            counts[outcome] += 1
            stdout.write(f"Territoire «\u00a0{territory}\u00a0» : {outcome}\n")
    return counts[UPDATED], counts[UNCHANGED], counts[KEPT]


def territory_of(record: dict) -> Territory:
    try:
        return Territory.objects.get_by_natural_key(record["slug"])
    except Territory.DoesNotExist:
        raise CommandError(
            f"Territoire «\u00a0{record['slug']}\u00a0» introuvable : chargez d’abord "
            "fixtures/fonctions-territoires.json (load_fiche)."
        ) from None


def wanted_state(record: dict, territory: Territory, functions: dict[str, Function]) -> dict:
    """What the territory should hold, as plain values comparable with `stored_state`; every
    value is checked against its field first, so that a bad file fails before any write."""
    columns = {
        "summary": record["summary"],
        "description": record["description"],
        "website": record["website"],
        "last_verified_at": CHECKED_ON,
    }
    check(Territory(name=territory.name, slug=territory.slug, **columns))
    sources = [
        {
            "url": source["url"],
            "publisher": source["publisher"],
            "title": source.get("title", ""),
            "supports": source.get("supports", ""),
            "consulted_on": CHECKED_ON,
            "order": order,
        }
        for order, source in enumerate(record["sources"])
    ]
    carriers = [
        {
            "function_id": function_pk(functions, carrier["function"]),
            "example_slug": carrier.get("example_slug", ""),
            "carried_by": carrier.get("carried_by", ""),
            "note": carrier.get("note", ""),
        }
        for carrier in record["function_carriers"]
    ]
    if len({carrier["function_id"] for carrier in carriers}) != len(carriers):
        raise CommandError(f"{territory} : une fonction y a deux porteurs.")
    partners = [
        {
            "name": partner["name"],
            "kind": partner.get("kind", ""),
            "role": partner.get("role", ""),
            "order": order,
        }
        for order, partner in enumerate(record["partners"])
    ]
    for row in sources:
        check(TerritorySource(territory=territory, **row))
    for row in carriers:
        check(TerritoryFunctionCarrier(territory=territory, **row))
    for row in partners:
        check(TerritoryPartner(territory=territory, **row))
    return {
        "columns": columns,
        "sources": sources,
        "carriers": sorted(carriers, key=by_function),
        "partners": partners,
    }


def function_pk(functions: dict[str, Function], slug: str) -> int:
    if slug not in functions:
        raise CommandError(f"Fonction «\u00a0{slug}\u00a0» inconnue.")
    return functions[slug].pk


def by_function(carrier: dict) -> int:
    return carrier["function_id"]


def check(instance: models.Model) -> None:
    try:
        instance.clean_fields(exclude=["territory", "function", "slug"])
    except ValidationError as error:
        raise CommandError(
            f"{instance._meta.verbose_name} «\u00a0{instance}\u00a0» : {error}"
        ) from error


def stored_state(territory: Territory) -> dict:
    return {
        "columns": {name: getattr(territory, name) for name in COLUMNS},
        "sources": list(territory.sources.order_by("order", "pk").values(*SOURCE_FIELDS)),
        "carriers": sorted(territory.function_carriers.values(*CARRIER_FIELDS), key=by_function),
        "partners": list(territory.partners.order_by("order", "pk").values(*PARTNER_FIELDS)),
    }


def apply(territory: Territory, wanted: dict) -> str:
    if changed_in_admin(territory):
        return KEPT
    stored = stored_state(territory)
    if stored == wanted:
        return UNCHANGED
    if changed := [name for name in COLUMNS if stored["columns"][name] != wanted["columns"][name]]:
        for name in changed:
            setattr(territory, name, wanted["columns"][name])
        territory.save(update_fields=changed)
    related_models: tuple[tuple[str, type[models.Model]], ...] = (
        ("sources", TerritorySource),
        ("carriers", TerritoryFunctionCarrier),
        ("partners", TerritoryPartner),
    )
    for related, model in related_models:
        if stored[related] == wanted[related]:
            continue
        model._default_manager.filter(territory=territory).delete()
        model._default_manager.bulk_create(
            model(territory=territory, **row) for row in wanted[related]
        )
    return UPDATED
