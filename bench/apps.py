from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development tools only (config/settings.py: DEV_TOOLS; bench/settings.py): production
    never installs this app, so its command and its tables never reach a production server."""

    name = "bench"
    verbose_name = "Outils de développement et banc d’essai"
