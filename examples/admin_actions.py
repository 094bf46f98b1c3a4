"""The publishing workflow's bulk actions of the example lists (submit for review, publish,
archive), each telling the user what happened to every selected example."""

from django.contrib import admin, messages
from django.http import HttpRequest

from .models import Example
from .status import ExampleStatus
from .validation import classification_errors
from .workflow import SUBMITTABLE, may_set_status


def agree(count: int, singular: str, plural: str) -> str:
    """French puts 0 and 1 in the singular: « aucun exemple créé », « 1 exemple créé »."""
    return singular if count <= 1 else plural


def quoted_titles(examples: list[Example]) -> str:
    return ", ".join(f"«\u00a0{example.title}\u00a0»" for example in examples)


def change_status(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset,
    target: ExampleStatus,
    done: tuple[str, str],
    movable_from: tuple[str, ...] = tuple(ExampleStatus),
) -> None:
    """Move each selected example to `target` when the user may, one save at a time so that
    history and `published_at` follow; tell the user what happened to each."""
    moved, unchanged, not_movable, forbidden, incomplete = [], [], [], [], []
    for example in Example.objects.filter(pk__in=queryset.values("pk")).for_admin_list():
        if example.status == target:
            unchanged.append(example)
        elif example.status not in movable_from:
            not_movable.append(example)
        elif not may_set_status(request.user, example.status, target):
            forbidden.append(example)
        elif target == ExampleStatus.PUBLIE and (problems := publication_problems(example)):
            incomplete.append((example, problems))
        else:
            example.status = target
            example._change_reason = f"Action groupée\u00a0: {target.label.lower()}"
            example.save()
            modeladmin.log_change(request, example, example._change_reason)
            moved.append(example)
    if moved:
        count = len(moved)
        modeladmin.message_user(
            request,
            f"{count} {agree(count, 'exemple', 'exemples')} {agree(count, *done)}.",
            messages.SUCCESS,
        )
    if unchanged:
        modeladmin.message_user(
            request,
            f"Déjà au statut «\u00a0{target.label}\u00a0»\u00a0: {quoted_titles(unchanged)}.",
            messages.INFO,
        )
    if not_movable:
        allowed = " ou ".join(
            f"«\u00a0{ExampleStatus(status).label}\u00a0»" for status in movable_from
        )
        left = agree(len(not_movable), "laissé tel quel", "laissés tels quels")
        modeladmin.message_user(
            request,
            f"Seul un exemple au statut {allowed} peut passer à «\u00a0{target.label}\u00a0»"
            f"\u00a0; {left}\u00a0: {quoted_titles(not_movable)}.",
            messages.WARNING,
        )
    if forbidden:
        modeladmin.message_user(
            request,
            f"Seuls les modérateurs peuvent donner le statut «\u00a0{target.label}\u00a0»\u00a0: "
            f"{quoted_titles(forbidden)} {agree(len(forbidden), 'reste', 'restent')} inchangé"
            f"{agree(len(forbidden), '', 's')}.",
            messages.ERROR,
        )
    for example, problems in incomplete:
        modeladmin.message_user(
            request,
            f"«\u00a0{example.title}\u00a0» n’a pas été publié\u00a0: {' '.join(problems)}",
            messages.ERROR,
        )


def publication_problems(example: Example) -> list[str]:
    return list(
        classification_errors(
            categories=example.categories.all(),
            functions=example.functions.all(),
            departements=example.departements.all(),
            is_national=example.is_national,
        ).values()
    )


@admin.action(description="Soumettre pour relecture", permissions=["change"])
def submit_for_review(modeladmin, request, queryset) -> None:
    change_status(
        modeladmin,
        request,
        queryset,
        ExampleStatus.A_RELIRE,
        ("soumis pour relecture", "soumis pour relecture"),
        movable_from=SUBMITTABLE,
    )


@admin.action(description="Publier", permissions=["publish"])
def publish(modeladmin, request, queryset) -> None:
    change_status(modeladmin, request, queryset, ExampleStatus.PUBLIE, ("publié", "publiés"))


@admin.action(description="Archiver", permissions=["publish"])
def archive(modeladmin, request, queryset) -> None:
    change_status(modeladmin, request, queryset, ExampleStatus.ARCHIVE, ("archivé", "archivés"))
