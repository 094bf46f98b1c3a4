from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ExamplesConfig(AppConfig):
    name = "examples"
    verbose_name = "Exemples inspirants"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the search receivers)
        from .directory_version import install_missing_triggers

        # A content table created after the version's migration gets its trigger too.
        post_migrate.connect(
            install_missing_triggers, sender=self, dispatch_uid="directory-version-triggers"
        )
