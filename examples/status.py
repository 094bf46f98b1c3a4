"""The publishing workflow's statuses, kept free of model imports so that every app can use them
without an import cycle."""

from django.db import models


class ExampleStatus(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PROPOSE = "propose", "Proposé par le public"
    A_RELIRE = "a_relire", "À relire"
    PUBLIE = "publie", "Publié"
    ARCHIVE = "archive", "Archivé"
