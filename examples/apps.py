from django.apps import AppConfig


class ExamplesConfig(AppConfig):
    name = "examples"
    verbose_name = "Exemples inspirants"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the search document receivers)
