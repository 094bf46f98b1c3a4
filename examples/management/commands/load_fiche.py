"""Load the fiche « Exemples inspirants » and the reference data from fixtures/.

Each row is matched on its natural key: a row already in the database is kept as it is (staff
may have edited it in the admin), a missing one is created. A second run creates nothing.
"""

from collections import Counter

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

FIXTURE_FILES = (
    "regions.json",
    "departements.json",
    "fonctions-territoires.json",
    "fiche.json",
    "exemples.json",
)


class Command(BaseCommand):
    help = "Charge la fiche « Exemples inspirants » sans jamais écraser ce que l'équipe a modifié."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        created: Counter[str] = Counter()
        kept: Counter[str] = Counter()
        fixture_dir = settings.BASE_DIR / "fixtures"
        for filename in FIXTURE_FILES:
            with open(fixture_dir / filename, encoding="utf-8") as stream:
                for deserialized in serializers.deserialize("json", stream):
                    instance = deserialized.object
                    label = instance._meta.verbose_name_plural
                    if instance.pk is not None:
                        kept[label] += 1
                        continue
                    instance.save()
                    for field_name, values in deserialized.m2m_data.items():
                        getattr(instance, field_name).set(values)
                    created[label] += 1
        for label in sorted(set(created) | set(kept)):
            self.stdout.write(f"{label} : {created[label]} créé(s), {kept[label]} conservé(s)")
        total_created, total_kept = sum(created.values()), sum(kept.values())
        self.stdout.write(
            self.style.SUCCESS(f"Total : {total_created} créé(s), {total_kept} conservé(s).")
        )
