"""The editorial content of a named territory (fixtures/contenu/territoire.json): what the
territory is, from its sources, and who carries each co-construction function there."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from examples.models import Example, ExampleStatus
from territories.content import CONTENT_FILE, load_territory_content
from territories.models import (
    Territory,
    TerritoryFunctionCarrier,
    TerritoryPartner,
    TerritorySource,
)

from .curation import log_admin_change
from .example_builders import make_many_examples

pytestmark = pytest.mark.django_db

SLUG = "paris-est-marne-et-bois"
URL = f"/territoires/{SLUG}/"
CONSULTED = 'consultée le <time datetime="2026-12-04">4 décembre 2026</time>'
KEPT = "conservé (modifié dans l’administration)"


@pytest.fixture
def territory() -> Territory:
    """The territory as fonctions-territoires.json leaves it, whether or not the content was
    already loaded with the fiche."""
    territory = Territory.objects.get(slug=SLUG)
    Territory.objects.filter(pk=territory.pk).update(summary="", website="", last_verified_at=None)
    for model in (TerritorySource, TerritoryFunctionCarrier, TerritoryPartner):
        model.objects.filter(territory=territory).delete()
    territory.refresh_from_db()
    return territory


def load() -> tuple[tuple[int, int, int], str]:
    stdout = StringIO()
    counts = load_territory_content(stdout)
    return counts, stdout.getvalue()


def carrier_html(html: str, function_slug: str) -> str:
    start = html.index(f'<a href="/fonctions/{function_slug}/">', html.index('id="titre-porteurs"'))
    return html[start : html.index("</li>", start)]


def test_loading_fills_the_territory_page(client, territory):
    assert load()[0] == (1, 0, 0)

    territory.refresh_from_db()
    assert territory.summary.startswith("Établissement public territorial")
    assert territory.website == "https://parisestmarnebois.fr"
    assert territory.last_verified_at == datetime.date(2026, 12, 4)
    sources = list(territory.sources.all())
    assert len(sources) == 7
    assert sources[0].publisher == "Wikipédia (copie miroir)"
    assert sources[-1].publisher == "94 Citoyens"  # in the file's order
    assert {source.consulted_on for source in sources} == {datetime.date(2026, 12, 4)}

    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # The summary as the page's introduction, marked as the editorial team's.
    start = html.index('<header class="page-header">')
    header = html[start : html.index("</header>", start)]
    assert "Ajout éditorial, d’après les sources" in header
    assert "réunit treize communes de l’est du Val-de-Marne" in header
    # The description's paragraphs, the website and the partners.
    assert "<p>Il regroupe treize communes\u00a0: Bry-sur-Marne" in html
    assert '<a href="https://parisestmarnebois.fr" rel="external">' in html
    assert '<strong>CRESS Île-de-France</strong> <span class="muted">(association)</span>' in html
    assert 'CCI du Val-de-Marne</strong> <span class="muted">(acteur public)</span>' in html

    # Who carries each function, with the fiche's example that illustrates it.
    assert '<h2 id="titre-porteurs">Qui porte chaque fonction sur ce territoire</h2>' in html
    carriers = {row.function_slug: row for row in response.context["editorial"].carriers}
    assert list(carriers) == [
        "dialogue-territorial",
        "experimentations-collectives",
        "accompagnements",
        "gestion-d-un-lieu",
    ]
    assert carriers["experimentations-collectives"].carried_by == "Paris Est Marne & Bois"
    assert carriers["accompagnements"].carried_by == "Club Gravelle Entreprendre"
    vitawin = carrier_html(html, "experimentations-collectives")
    assert "<dd>Paris Est Marne &amp; Bois</dd>" in vitawin
    assert '<a href="/exemples/vitawin/">Vitawin</a>' in vitawin
    assert "pilote Vitawin" in vitawin
    dialogue = carrier_html(html, "dialogue-territorial")
    assert "Communauté de communes Charenton-le-Pont – Saint-Maurice" in dialogue
    assert (
        '<a href="/exemples/agir-ensemble-a-charenton/">Agir Ensemble à Charenton</a>' in dialogue
    )
    place = carrier_html(html, "gestion-d-un-lieu")
    assert "non documenté par les sources" in place
    assert 'href="/exemples/complementarite-des-8-tiers-lieux/"' in place
    assert "Aucune source ne décrit ces huit tiers-lieux" in place

    # Every source, with what it supports and when it was read; the last check.
    start = html.index('id="titre-sources"')
    sources_html = html[start : html.index("</section>", start)]
    assert sources_html.count("<li>") == 7
    assert sources_html.count(CONSULTED) == 7
    assert "Création de l’établissement par un décret du 11 décembre 2015." in sources_html
    assert 'href="https://94.citoyens.com/2022/' in sources_html
    assert re.search(
        r"<dt>Dernière vérification</dt>\s*<dd><time datetime=\"2026-12-04\">"
        "4 décembre 2026</time></dd>",
        sources_html,
    )


def test_a_second_load_changes_nothing(territory):
    assert load()[0] == (1, 0, 0)
    source_pks = list(territory.sources.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        counts, stdout = load()
    assert counts == (0, 1, 0)
    assert "Territoire «\u00a0Paris Est Marne & Bois\u00a0» : inchangé" in stdout
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert list(territory.sources.values_list("pk", flat=True)) == source_pks


def test_a_territory_changed_in_the_admin_is_kept(client, territory):
    assert load()[0] == (1, 0, 0)
    # Someone rewrites the summary and drops a source in the admin.
    territory.refresh_from_db()
    territory.summary = "Le résumé de l’équipe."
    territory.save()
    territory.sources.filter(publisher="94 Citoyens").delete()
    staff = User.objects.create_user("redaction", is_staff=True)
    log_admin_change(territory, staff)

    counts, stdout = load()

    assert counts == (0, 0, 1)
    assert f"Territoire «\u00a0Paris Est Marne & Bois\u00a0» : {KEPT}" in stdout
    territory.refresh_from_db()
    assert territory.summary == "Le résumé de l’équipe."
    assert territory.sources.count() == 6
    assert "Le résumé de l’équipe." in client.get(URL).content.decode()


def admin_form_data(response) -> dict:
    """What the browser would post back: the change form and its inlines as rendered."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            else:
                data[form.add_prefix(name)] = str(value)
    return data


def test_a_moderator_edits_a_carrier_in_the_admin_and_the_load_keeps_it(
    client, territory, moderator
):
    load()
    client.force_login(moderator)
    url = f"/admin/territories/territory/{territory.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for prefix in ("function_carriers", "partners", "sources"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    data = admin_form_data(response)
    place = TerritoryFunctionCarrier.objects.get(
        territory=territory, function__slug="gestion-d-un-lieu"
    )
    position = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("function_carriers-") and key.endswith("-id") and value == str(place.pk)
    )
    data[f"function_carriers-{position}-carried_by"] = "Réseau des tiers-lieux du territoire"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [inline.formset.errors for inline in response.context["inline_admin_formsets"]],
    ]
    assert LogEntry.objects.filter(object_id=str(territory.pk), action_flag=CHANGE).exists()

    counts, stdout = load()

    assert counts == (0, 0, 1)
    assert KEPT in stdout
    place.refresh_from_db()
    assert place.carried_by == "Réseau des tiers-lieux du territoire"


def test_a_change_logged_on_another_territory_does_not_count(territory):
    other = Territory.objects.create(name="Autre territoire", slug="autre-territoire")
    log_admin_change(other, User.objects.create_user("redaction", is_staff=True))
    assert load()[0] == (1, 0, 0)


def test_an_unpublished_example_is_not_linked(client, territory):
    load()
    Example.objects.filter(slug="vitawin").update(status=ExampleStatus.BROUILLON)
    html = carrier_html(client.get(URL).content.decode(), "experimentations-collectives")
    assert "/exemples/vitawin/" not in html
    assert "aucun exemple publié" in html
    assert "<dd>Paris Est Marne &amp; Bois</dd>" in html


def test_without_editorial_content_the_page_shows_only_the_fiche(client, territory):
    html = client.get(URL).content.decode()
    assert "Qui porte chaque fonction" not in html
    assert 'id="titre-sources"' not in html
    assert "Ajout éditorial" not in html


def test_a_bad_file_fails_before_any_write(tmp_path, territory):
    record = json.loads((settings.BASE_DIR / CONTENT_FILE).read_text(encoding="utf-8"))
    record["partners"].append({"name": "Inconnu", "kind": "extraterrestre", "role": ""})
    bad = tmp_path / "territoire.json"
    bad.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(CommandError, match="extraterrestre"):
        load_territory_content(StringIO(), bad)
    territory.refresh_from_db()
    assert territory.summary == ""
    assert not territory.sources.exists()

    record["slug"] = "territoire-inconnu"
    bad.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(CommandError, match="introuvable"):
        load_territory_content(StringIO(), bad)


def test_query_budget_stays_fixed(client, territory, django_assert_max_num_queries):
    load()
    # The territory page's budget, as before it had editorial content, plus one read of the
    # directory's version (examples/directory_version.py).
    with django_assert_max_num_queries(7):
        assert client.get(URL).status_code == 200
    TerritorySource.objects.bulk_create(
        TerritorySource(
            territory=territory,
            url=f"https://example.org/{number}",
            publisher=f"Source {number}",
            order=10 + number,
        )
        for number in range(20)
    )
    TerritoryPartner.objects.bulk_create(
        TerritoryPartner(territory=territory, name=f"Partenaire {number}") for number in range(20)
    )
    make_many_examples(
        30, functions=("accompagnements", "gestion-d-un-lieu"), departements=("94",), territory=SLUG
    )
    with django_assert_max_num_queries(7):
        response = client.get(URL)
    html = response.content.decode()
    assert html.count(CONSULTED) == 7
    assert "Source 19" in html and "Partenaire 19" in html


@pytest.mark.browser
def test_the_page_with_its_content_is_accessible_under_the_policy(page, live_server, fiche):
    from playwright.sync_api import expect

    from .test_browser_accessibility import DESKTOP, PHONE, assert_no_problem, check
    from .test_browser_csp import RECORD_VIOLATIONS

    load()
    page.add_init_script(RECORD_VIOLATIONS)
    problems = []
    for name, viewport in (("bureau", DESKTOP), ("téléphone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + URL)
        expect(
            page.get_by_role("heading", name="Qui porte chaque fonction sur ce territoire")
        ).to_be_visible()
        expect(page.get_by_role("heading", name="Sources")).to_be_visible()
        problems += check(page, f"territoire avec son contenu ({name})")
        assert page.evaluate("window.cspViolations") == []
    assert_no_problem(problems)
