"""What a French public website has beside its content (issue 18, items 4 to 6): legal notice,
accessibility statement, personal data, contact and site map, linked from every page's footer;
a search box in the header; French plurals; production refuses to start without its publisher,
host and contact."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import Resolver404, resolve, reverse

from territories.models import Departement, Region

pytestmark = pytest.mark.django_db

PAGES = {
    "pages:legal_notice": ["Mentions légales", "Éditeur", "Hébergement", "Licence Ouverte"],
    "pages:accessibility": [
        "Déclaration d’accessibilité",
        "non conforme avec le RGAA&nbsp;4.1",
        "axe-core",
        "Défenseur des droits",
        "Voies de recours",
    ],
    "pages:personal_data": [
        "adresse e-mail",
        "jamais publiée",
        "Durée de conservation",
        "effacement",
        "CNIL",
    ],
    "pages:contact": ["Contact", "proposer un exemple"],
    "pages:site_map": ["Plan du site", "Mécénat", "Accompagnements", "Rhône (69)"],
}


@pytest.mark.parametrize(("name", "expected"), PAGES.items())
def test_each_information_page_says_what_it_must(client, name, expected):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text
    if name != "pages:site_map":
        assert f'href="mailto:{settings.CONTACT_EMAIL}"' in html


def test_the_legal_notice_names_the_publisher_and_the_host_from_the_settings(client):
    html = client.get(reverse("pages:legal_notice")).content.decode()
    assert settings.PUBLISHER in html and settings.HOSTING_PROVIDER in html


def test_every_page_links_to_the_information_pages_from_its_footer(client):
    for url in ("/", "/exemples/", "/departements/69/", "/proposer/"):
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        for name in PAGES:
            assert f'href="{reverse(name)}"' in footer, (url, name)


def test_the_site_map_links_only_to_pages_that_exist(client):
    html = client.get(reverse("pages:site_map")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    links = [part.split('"', 1)[0] for part in main.split('href="')[1:]]
    # Every région and département, besides the categories, functions and territories.
    assert len(links) > Departement.objects.count() + Region.objects.count()
    for link in links:
        try:
            resolve(link)
        except Resolver404:
            pytest.fail(f"the site map links to {link}, which is no page")


def test_the_header_search_box_searches_the_list_without_javascript(client):
    html = client.get("/departements/69/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert f'action="{reverse("examples:list")}"' in header
    assert 'name="q"' in header and 'role="search"' in header
    assert "Rechercher dans l’annuaire" in header
    # The list and the home page have their own search box, at the top of their content.
    for url in ("/", "/exemples/"):
        assert "recherche-entete" not in client.get(url).content.decode()


def test_an_empty_place_says_aucun_exemple_publie(client):
    html = client.get("/departements/16/").content.decode()
    assert "Aucun exemple publié." in html
    assert "publiés" not in html


@pytest.mark.parametrize(("count", "expected"), [(0, ""), (1, ""), (2, "s"), (1200, "s")])
def test_french_plural(count, expected):
    template = Template("{% load annuaire %}{{ count|pluriel }}")
    assert template.render(Context({"count": count})) == expected


@pytest.mark.parametrize("missing", ["PUBLISHER", "HOSTING_PROVIDER", "CONTACT_EMAIL"])
def test_production_refuses_to_start_without_publisher_host_and_contact(missing):
    env = {key: value for key, value in os.environ.items() if key != missing}
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="config.settings")
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    assert f"{missing} is not set" in started.stderr


def test_the_list_states_the_licence_where_it_offers_the_exports(client):
    html = client.get("/exemples/?categorie=mecenat").content.decode()
    offer = html[html.index("Emporter cette sélection") :]
    offer = offer[: offer.index("</p>")]
    assert 'rel="license"' in offer and "Licence Ouverte" in offer
