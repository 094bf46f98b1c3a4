"""Load the fiche « Exemples inspirants », the reference data and the editorial content from
fixtures/ (see examples/loading.py): missing rows are created, rows no one edited are brought up
to date, rows staff changed are kept and listed. A second run changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from examples.loading import load_everything


class Command(BaseCommand):
    help = "Charge la fiche « Exemples inspirants » sans jamais écraser ce que l'équipe a modifié."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        report = load_everything(settings.BASE_DIR / "fixtures")
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Total : {sum(report.created.values())} créé(s), "
                f"{sum(report.updated.values())} mis à jour, "
                f"{sum(report.unchanged.values())} inchangé(s), "
                f"{len(report.kept)} conservé(s) car modifié(s) par l’équipe."
            )
        )
