"""The rows generate_examples created, recorded in the bench app's own tables: --delete removes
exactly these, whatever their slugs or texts became, and never a real entry, while the product's
tables carry no load-test marker.

Deleting a generated example or partner through Django (the admin, a shell) deletes its record
too (CASCADE); generate_examples --delete, which deletes with SQL statements, deletes the records
in the same statements. (DB_CASCADE would leave that to PostgreSQL, but Django refuses it towards
models whose own relations cascade in Python.)"""

from django.db import models
from django.db.models import QuerySet

from examples.models import Example, Partner


class GeneratedExample(models.Model):
    # No reverse accessor: Example keeps the same API whether this app is installed or not.
    example = models.OneToOneField(
        Example, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = "exemple généré"
        verbose_name_plural = "exemples générés"

    def __str__(self) -> str:
        return f"exemple généré n° {self.example_id}"


class GeneratedPartner(models.Model):
    partner = models.OneToOneField(
        Partner, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = "partenaire généré"
        verbose_name_plural = "partenaires générés"

    def __str__(self) -> str:
        return f"partenaire généré n° {self.partner_id}"


def generated_examples() -> QuerySet[Example]:
    return Example.objects.filter(pk__in=GeneratedExample.objects.values("example"))


def generated_partners() -> QuerySet[Partner]:
    return Partner.objects.filter(pk__in=GeneratedPartner.objects.values("partner"))
