from django.db import models


class SlugManager(models.Manager):
    """For the models known by their slug, in fixtures as in URLs."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)
