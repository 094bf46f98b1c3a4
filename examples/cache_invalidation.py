"""Bump the page cache generation whenever the directory's content changes.

Every model of the examples and territories apps counts (examples, categories, functions,
territories, partners, themes, the fiche's texts, and their history rows), so a model added there
later is covered without touching this module. The bump waits for the commit: bumping earlier
would let another server store the old content under the new generation.

Receivers are connected per model rather than for every sender: a post_delete receiver on an
automatically created many-to-many table would stop Django from deleting its rows in one query.

QuerySet.update() and bulk_create() send no signal: code that uses them on these models calls
config.page_cache.invalidate() itself (generate_examples does).
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from config import page_cache

CONTENT_APPS = ("examples", "territories")


def invalidate_after_commit(sender, **kwargs) -> None:
    action = kwargs.get("action")  # only m2m_changed has one: pre_add, post_add…
    if action is None or action.startswith("post_"):
        transaction.on_commit(page_cache.invalidate)


def connect_receivers() -> None:
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            uid = f"page-cache-invalidation-{model._meta.label}"
            # A many-to-many table of its own (a partner's role) changes through .set() too.
            m2m_changed.connect(invalidate_after_commit, sender=model, dispatch_uid=uid)
            if not model._meta.auto_created:
                post_save.connect(invalidate_after_commit, sender=model, dispatch_uid=uid)
                post_delete.connect(invalidate_after_commit, sender=model, dispatch_uid=uid)
