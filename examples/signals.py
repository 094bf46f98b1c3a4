"""Keep Example.search_document in step with the names of related rows, so that the stored
search vector finds an example by its partners, themes, functions, categories and places."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Example, ExampleCategory, ExamplePartner

RELATIONS_IN_SEARCH = ("partners", "themes", "functions", "categories", "departements")


def refresh_after_m2m_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        examples = Example.objects.filter(pk__in=pk_set) if pk_set else []
        for example in examples:
            example.refresh_search_document()
    else:
        instance.refresh_search_document()


for relation in RELATIONS_IN_SEARCH:
    m2m_changed.connect(
        refresh_after_m2m_change,
        sender=getattr(Example, relation).through,
        dispatch_uid=f"example-search-{relation}",
    )


@receiver(post_save, sender=Example, dispatch_uid="example-search-save")
def refresh_after_save(sender, instance: Example, raw: bool, **kwargs) -> None:
    if not raw:
        instance.refresh_search_document()


@receiver(post_save, sender=ExamplePartner, dispatch_uid="example-search-partner-saved")
@receiver(post_delete, sender=ExamplePartner, dispatch_uid="example-search-partner-deleted")
@receiver(post_save, sender=ExampleCategory, dispatch_uid="example-search-category-saved")
@receiver(post_delete, sender=ExampleCategory, dispatch_uid="example-search-category-deleted")
def refresh_after_link_change(sender, instance, raw: bool = False, **kwargs) -> None:
    """The admin edits partners and categories as rows of their own (with a role or a
    reason), which sends no m2m_changed."""
    if raw:
        return
    example = Example.objects.filter(pk=instance.example_id).first()
    if example is not None:
        example.refresh_search_document()
