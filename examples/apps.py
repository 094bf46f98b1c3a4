from django.apps import AppConfig


class ExamplesConfig(AppConfig):
    name = "examples"
    verbose_name = "Exemples inspirants"

    def ready(self) -> None:
        from . import cache_invalidation, signals  # noqa: F401  (connects the search receivers)

        cache_invalidation.connect_receivers()
