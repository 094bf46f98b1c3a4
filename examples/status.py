"""The publishing workflow's statuses, kept free of model imports so that every app can count
published examples without an import cycle."""

from django.db import models
from django.db.models import Count, Q


class ExampleStatus(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PROPOSE = "propose", "Proposé par le public"
    A_RELIRE = "a_relire", "À relire"
    PUBLIE = "publie", "Publié"
    ARCHIVE = "archive", "Archivé"


class PublishedCountQuerySet(models.QuerySet):
    """For any model that examples point to through a relation named `examples`."""

    examples_path = "examples"

    def with_published_counts(self):
        path = self.examples_path
        return self.annotate(
            published_count=Count(
                path, filter=Q(**{f"{path}__status": ExampleStatus.PUBLIE}), distinct=True
            )
        )
