"""The palette a partnership category takes its colour from.

A colour is a value, not a hex code: each value has its class `.colour--<value>` in
static/css/site.css (tests/test_category_colours.py checks that every one exists and reads at
WCAG AA contrast on white), so that templates name a class and the CSP can keep forbidding
inline styles. A category added in the admin gets the default until an editor picks another.
"""

from django.db import models


class CategoryColour(models.TextChoices):
    # The site's own accent: a new category looks like the rest of the site until it gets one
    # of its own.
    BLEU_CANARD = "bleu-canard", "Bleu canard"
    BLEU = "bleu", "Bleu"
    VERT = "vert", "Vert"
    FRAMBOISE = "framboise", "Framboise"
    OCRE = "ocre", "Ocre"
    VIOLET = "violet", "Violet"
    ROUGE = "rouge", "Rouge"
    ARDOISE = "ardoise", "Gris ardoise"
