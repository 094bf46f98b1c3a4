"""A category's colour is data: a palette entry (examples/colours.py) whose class site.css
defines, so that a category added in the admin is coloured too, without an inline style."""

import importlib
import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from examples.colours import CategoryColour
from examples.models import Category, Era

from .curation import log_admin_change
from .example_builders import make_example

pytestmark = pytest.mark.django_db

SITE_CSS = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
FICHE_COLOURS = {
    "mecenat": "framboise",
    "pratiques-responsables": "vert",
    "cooperation-economique": "bleu",
    "innovation-societale": "ocre",
}


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


@pytest.mark.parametrize("colour", CategoryColour.values)
def test_every_palette_entry_has_its_class_and_reads_at_wcag_aa(colour):
    rule = re.search(
        rf"\.colour--{colour} \{{ --category-colour: var\(--colour-{colour}\); \}}", SITE_CSS
    )
    assert rule, f".colour--{colour} missing from site.css"
    value = re.search(rf"--colour-{colour}: (#[0-9a-f]{{6}});", SITE_CSS)
    assert value, f"--colour-{colour} missing from site.css"
    # Labels are small text (0.8rem, semi-bold) on white: AA asks for 4.5:1.
    assert contrast_on_white(value.group(1)) >= 4.5


def test_no_class_is_left_for_a_category_slug():
    # A colour chosen by slug would leave a category added in the admin uncoloured.
    for slug in FICHE_COLOURS:
        assert f"--{slug}" not in SITE_CSS


def test_the_fiche_categories_keep_their_colours():
    assert dict(Category.objects.values_list("slug", "colour")) == FICHE_COLOURS
    fixture = json.loads((settings.BASE_DIR / "fixtures" / "fiche.json").read_text("utf-8"))
    assert {
        record["fields"]["slug"]: record["fields"]["colour"]
        for record in fixture
        if record["model"] == "examples.category"
    } == FICHE_COLOURS


def test_the_migration_colours_a_database_loaded_before_the_field():
    migration = importlib.import_module("examples.migrations.0012_category_colour")
    assert migration.FICHE_COLOURS == FICHE_COLOURS
    Category.objects.update(colour=CategoryColour.BLEU_CANARD)
    migration.colour_the_fiche_categories(apps, None)
    assert dict(Category.objects.values_list("slug", "colour")) == FICHE_COLOURS


def test_a_new_category_gets_the_default_colour():
    category = Category.objects.create(
        slug="nouvelle", name="Nouvelle", definition="…", era=Era.objects.first()
    )
    assert category.colour == CategoryColour.BLEU_CANARD


def test_load_keeps_a_colour_staff_chose_in_the_admin():
    mecenat = Category.objects.get(slug="mecenat")
    Category.objects.filter(pk=mecenat.pk).update(colour=CategoryColour.VIOLET)
    # Changed outside the admin: the fixture's colour comes back.
    Category.objects.filter(slug="pratiques-responsables").update(colour=CategoryColour.ROUGE)
    log_admin_change(mecenat)
    call_command("load_fiche", stdout=StringIO())
    colours = dict(Category.objects.values_list("slug", "colour"))
    assert colours == {**FICHE_COLOURS, "mecenat": "violet"}


def test_a_category_added_in_the_admin_is_coloured_on_every_page(client, moderator):
    client.force_login(moderator)
    response = client.get(reverse("admin:examples_category_add"))
    assert 'name="colour" value="violet"' in response.content.decode()
    assert "Gris ardoise" in response.content.decode()
    response = client.post(
        reverse("admin:examples_category_add"),
        {
            "slug": "alliances-citoyennes",
            "name": "Alliances citoyennes",
            "definition": "Des habitants, une entreprise et une association.",
            "forms": "",
            "trends": "",
            "era": Era.objects.get(slug="co-construction").pk,
            "share_percent": "",
            "order": 5,
            "colour": CategoryColour.VIOLET,
        },
    )
    assert response.status_code == 302, response.content.decode()
    category = Category.objects.get(slug="alliances-citoyennes")
    assert category.colour == "violet"
    client.logout()
    example = make_example(
        "Quartier solidaire", categories=("alliances-citoyennes",), departements=("69",)
    )

    pages = {
        reverse("examples:list") + "?categorie=alliances-citoyennes": (
            '<article class="card result-card colour--violet">',
            '<li class="label colour--violet">Alliances citoyennes</li>',
        ),
        example.get_absolute_url(): (
            f'<a class="label colour--violet" href="{category.get_absolute_url()}">'
            "Alliances citoyennes</a>",
        ),
        reverse("examples:home"): ('<li class="card colour--violet">',),
        reverse("examples:category_index"): ('<li class="card colour--violet">',),
        category.get_absolute_url(): ('<header class="page-header colour--violet">',),
    }
    for url, fragments in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for fragment in fragments:
            assert fragment in html, (url, fragment)
        assert " style=" not in html, url


def test_the_fiche_categories_are_coloured_by_their_palette_entry(client):
    html = client.get(reverse("examples:category_index")).content.decode()
    for colour in FICHE_COLOURS.values():
        assert f'<li class="card colour--{colour}">' in html
    html = client.get(reverse("examples:list") + "?categorie=mecenat").content.decode()
    assert '<li class="label colour--framboise">Mécénat</li>' in html
