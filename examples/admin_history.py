"""The example history in the admin (django-simple-history): one version per save, whose
changes are shown as the form shows the fields — labels of choices, French dates, « oui » and
« non », names of related rows — rather than as stored codes and timestamps."""

import dataclasses
from datetime import date, datetime

from django.db.models import ManyToManyField, Model
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from .templatetags.annuaire import french_date

EMPTY = "—"
#: Changed at every save: the version's own date already says when.
UNSHOWN_CHANGES = frozenset({"updated_at"})


def french_value(value) -> str:
    """A stored value as the history shows it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return f"{french_date(value)} à {timezone.localtime(value):%H:%M}"
    if isinstance(value, date):
        return french_date(value)
    return str(value)


class FrenchChanges(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta) -> list[dict]:
        shown = [change for change in delta.changes if change.field not in UNSHOWN_CHANGES]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=shown))

    def prepare_delta_change_value(self, change: ModelChange, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, ManyToManyField):
            names = [str(row) for row in super().prepare_delta_change_value(change, value)]
            return ", ".join(names) or EMPTY
        choices = dict(getattr(field, "flatchoices", None) or ())
        if choices and value in choices:
            return str(choices[value])
        return french_value(value)


class OneVersionPerSaveAdmin(SimpleHistoryAdmin):
    """Writes one version for each save in the admin, once the example and all its relations
    are saved: simple_history would add one on the save and another for each many-to-many
    relation the form sets (three or more for one click), and none for the rows the inlines
    edit (categories, partners), so that a version showed the relations as they were before.

    The version is written where the admin logs the change (log_addition, log_change): after
    the relations and the inlines on the change form, after the relations on simple_history's
    revert form, which has no inlines."""

    #: The model's HistoricalRecords, which writes the versions.
    history: HistoricalRecords
    object_history_list_template = "admin/examples/example/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return FrenchChanges(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def write_version(self, obj: Model, history_type: str) -> None:
        if hasattr(obj, "skip_history_when_saving"):
            del obj.skip_history_when_saving
            self.history.create_historical_record(obj, history_type)

    def log_addition(self, request, obj, message):
        self.write_version(obj, "+")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self.write_version(obj, "~")
        return super().log_change(request, obj, message)
