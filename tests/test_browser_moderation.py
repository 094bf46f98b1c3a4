"""In a real browser: a visitor proposes an example, a moderator logs in to the admin and
publishes it from the moderation queue, and the example appears on the public site: on the home
page, in the list, and on its own page."""

import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from examples.models import Example
from examples.roles import sync_roles
from tests.curation import PASSWORD, make_moderator

pytestmark = pytest.mark.browser

TITLE = "Le fournil solidaire de Vénissieux"


@pytest.fixture
def moderator_account(fiche):
    # A live-server test starts from a flushed database: the groups come back with the fiche.
    sync_roles(apps)
    return make_moderator()


def test_moderator_publishes_a_public_proposal(page, live_server, moderator_account):
    published_before = Example.objects.published().count()
    page.goto(f"{live_server.url}/proposer/")
    page.get_by_label("Nom de l’exemple").fill(TITLE)
    page.get_by_label("Description").fill(
        "Une boulangerie d’insertion et une entreprise de restauration forment des apprentis."
    )
    page.get_by_label("Partenaires").fill("Association Pain partagé\nRestauration Rhône SA")
    page.get_by_label("Département(s) concerné(s)").fill("Rhône (69)")
    page.get_by_label("Innovation sociétale").check()
    page.get_by_label("Votre adresse e-mail").fill("contact@fournil.example.org")
    page.get_by_role("button", name="Envoyer la proposition").click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Merci pour votre proposition\u00a0!"
    )

    page.goto(f"{live_server.url}/")
    assert TITLE not in page.content()

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Nom d’utilisateur").fill(moderator_account.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="Exemples à modérer").click()
    row = page.get_by_role("row", name=re.compile(TITLE))
    assert "Proposé par le public" in row.inner_text()
    row.get_by_role("checkbox").check()
    page.locator('select[name="action"]').select_option("publish")
    page.locator('button[name="index"]').click()
    assert "1 exemple publié." in page.locator(".messagelist").inner_text()
    assert page.get_by_role("row", name=re.compile(TITLE)).count() == 0

    page.goto(f"{live_server.url}/")
    latest = page.locator(
        "section", has=page.get_by_role("heading", name="Derniers exemples publiés")
    )
    assert latest.get_by_role("heading", name=TITLE).is_visible()
    assert "contact@fournil.example.org" not in page.content()

    page.goto(f"{live_server.url}/exemples/")
    expect(page.locator("#nombre-resultats")).to_contain_text(f"{published_before + 1} exemples")
    # The list runs over several pages: the newest example comes first in date order.
    page.get_by_role("link", name="Les plus récents").click()
    page.wait_for_url(re.compile(r"tri=recent"))
    expect(page.locator(".result-card__title").first).to_have_text(TITLE)
    page.locator("#resultats").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = page.get_by_role("complementary")
    expect(facts).to_contain_text("Rhône (69)")
    labels = page.get_by_role("list", name="Catégories, fonctions et thèmes")
    expect(labels.get_by_role("link", name="Innovation sociétale")).to_be_visible()
    assert "contact@fournil.example.org" not in page.content()
