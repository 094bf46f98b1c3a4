"""Whether staff changed a row in the admin: loaders of editorial content (load_fiche) bring
rows up to date only where no one did."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models


def changed_in_admin(instance: models.Model) -> bool:
    """The admin logs every change it saves, inlines included, against the edited row."""
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        action_flag=CHANGE,
    ).exists()
