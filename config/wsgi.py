"""The WSGI application gunicorn serves (config/gunicorn.py) and runserver loads.

With DEBUG off, static files come from the manifest `collectstatic` writes: without it every
page would fail on its first {% static %}. Refuse to start instead, saying what to run.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def require_collected_static() -> None:
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not staticfiles_storage.exists(manifest):
        raise ImproperlyConfigured(
            f"Fichiers statiques non rassemblés : {settings.STATIC_ROOT / manifest} manque. "
            "Lancez `python manage.py collectstatic --no-input` avant de servir le site avec "
            "DEBUG=0 (voir le README, « Essayer les réglages de production »)."
        )


require_collected_static()
