from django.db import migrations, models

# The colours site.css gave the fiche's four categories by slug, as palette entries; the same
# values as fixtures/fiche.json, for databases loaded before the field existed.
FICHE_COLOURS = {
    "mecenat": "framboise",
    "pratiques-responsables": "vert",
    "cooperation-economique": "bleu",
    "innovation-societale": "ocre",
}


def colour_the_fiche_categories(apps, schema_editor):
    Category = apps.get_model("examples", "Category")
    for slug, colour in FICHE_COLOURS.items():
        Category.objects.filter(slug=slug).update(colour=colour)


class Migration(migrations.Migration):
    """A category's colour as data: a palette entry, each with its class in site.css."""

    dependencies = [
        ('examples', '0011_remove_generated_marker'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='colour',
            field=models.CharField(choices=[('bleu-canard', 'Bleu canard'), ('bleu', 'Bleu'), ('vert', 'Vert'), ('framboise', 'Framboise'), ('ocre', 'Ocre'), ('violet', 'Violet'), ('rouge', 'Rouge'), ('ardoise', 'Gris ardoise')], default='bleu-canard', help_text='Couleur de ses étiquettes, de ses cartes et du titre de sa page, choisie dans une palette lisible sur fond blanc.', max_length=20, verbose_name='couleur'),
        ),
        migrations.RunPython(colour_the_fiche_categories, migrations.RunPython.noop),
    ]
