from django.db import models


class SlugManager(models.Manager):
    """For the models known by their slug, in fixtures as in URLs."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


#: The label of a slug field: the word « slug » means nothing to the editors.
SLUG_LABEL = "identifiant dans l’adresse"
