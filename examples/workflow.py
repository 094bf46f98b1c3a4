"""Who may move an example to which status.

Rédacteurs write and submit for review (`brouillon` → `a_relire`); only holders of
`examples.publish_example` (the Modérateurs) publish and archive. Every path that changes a
status — the admin form, the bulk actions, the import — asks this module.
"""

from django.contrib.auth.models import AbstractUser, AnonymousUser

from .status import ExampleStatus

PUBLISH_PERMISSION = "examples.publish_example"

#: Statuses a writer without the publish permission may set.
EDITOR_STATUSES = (ExampleStatus.BROUILLON, ExampleStatus.A_RELIRE)
#: Statuses a writer without the publish permission may move an example away from.
EDITABLE_BY_EDITORS = (ExampleStatus.PROPOSE, ExampleStatus.BROUILLON, ExampleStatus.A_RELIRE)
#: Statuses that can be submitted for review.
SUBMITTABLE = (ExampleStatus.PROPOSE, ExampleStatus.BROUILLON)
#: Statuses waiting for a moderator.
AWAITING_MODERATION = (ExampleStatus.PROPOSE, ExampleStatus.A_RELIRE)

User = AbstractUser | AnonymousUser


def can_publish(user: User) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def can_change_status(user: User, current: str | None) -> bool:
    """Whether `user` may change the status of an example now in `current` (None: new)."""
    return can_publish(user) or current is None or current in EDITABLE_BY_EDITORS


def allowed_statuses(user: User, current: str | None) -> list[ExampleStatus]:
    """The statuses `user` may choose for an example now in `current` (None: a new one).

    `propose` belongs to the public form: staff can keep it but never choose it.
    """
    targets: list[ExampleStatus]
    if can_publish(user):
        targets = [status for status in ExampleStatus if status != ExampleStatus.PROPOSE]
    elif can_change_status(user, current):
        targets = list(EDITOR_STATUSES)
    else:
        targets = []
    if current is not None and current not in targets:
        targets.insert(0, ExampleStatus(current))
    return targets


def may_set_status(user: User, current: str | None, target: str) -> bool:
    return target == current or (
        target != ExampleStatus.PROPOSE and target in allowed_statuses(user, current)
    )
