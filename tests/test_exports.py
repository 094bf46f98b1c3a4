"""/exemples/export.csv and /exemples/export.json: every published example of a selection."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from examples.exports import COLUMNS
from examples.models import Example, ExampleStatus
from examples.provenance import Origin
from tests.example_builders import make_example, make_many_examples, make_partner

pytestmark = pytest.mark.django_db


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def json_records(response) -> list[dict]:
    return json.loads(body(response))["exemples"]


def test_csv_export_has_stable_columns_a_bom_and_a_filename(client):
    response = client.get("/exemples/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="exemples-inspirants-')
    assert response["Content-Disposition"].endswith('.csv"')
    text = body(response)
    header = text[1:].splitlines()[0]
    assert header.split(";") == list(COLUMNS)
    assert COLUMNS[:4] == ("slug", "titre", "resume", "description")


def published_slugs() -> set[str]:
    return set(Example.objects.filter(status=ExampleStatus.PUBLIE).values_list("slug", flat=True))


def test_csv_export_lists_every_published_example(client):
    rows = csv_rows(client.get("/exemples/export.csv"))
    assert len(rows) == len(published_slugs())
    assert {row["slug"] for row in rows} == published_slugs()
    # The fiche's 23 examples and the alliances the team added.
    fiche = Example.objects.filter(origin=Origin.FICHE)
    assert fiche.count() == 23
    assert set(fiche.values_list("slug", flat=True)) < published_slugs()
    labo = next(row for row in rows if row["slug"] == "labo-des-partenariats-alsace")
    assert labo["departements"] == "67"
    assert labo["noms_departements"] == "Bas-Rhin"
    assert labo["regions"] == "Grand Est"
    assert labo["fonctions"] == "dialogue-territorial"
    assert labo["url"].endswith("/exemples/labo-des-partenariats-alsace/")
    assert labo["publie_le"]


def test_exports_apply_the_lists_filters(client):
    rows = csv_rows(client.get("/exemples/export.csv?departement=69&fonction=gestion-d-un-lieu"))
    assert [row["titre"] for row in rows] == ["Cent Sept"]
    records = json_records(client.get("/exemples/export.json?region=84"))
    assert {record["titre"] for record in records} == {
        "Ateliers de l’Entrepreneuriat Humaniste",
        "Cent Sept",
        "Le Petit Magasin, boutiques solidaires d’insertion de Kiabi et du groupe Vitamine T",
        "Log’ins, entreprise adaptée de logistique d’Ares et GXO",
        "PIMMS Médiation Lyon Métropole",
        "Ronalpia",
    }
    records = json_records(client.get("/exemples/export.json?q=tiers+lieux"))
    # By relevance: the fiche's tiers-lieux first, then the Infolab, a tiers-lieu of the CRIJ.
    assert [record["slug"] for record in records] == [
        "complementarite-des-8-tiers-lieux",
        "infolab-du-crij",
    ]


def in_nord() -> int:
    published = Example.objects.filter(status=ExampleStatus.PUBLIE)
    return published.filter(departements__code="59").distinct().count()


def test_exports_hold_every_result_not_one_page(client):
    already = in_nord()
    assert already >= 1
    make_many_examples(45, departements=("59",))
    assert len(csv_rows(client.get("/exemples/export.csv?departement=59&page=2"))) == already + 45
    assert len(json_records(client.get("/exemples/export.json?departement=59"))) == already + 45


def test_exports_never_hold_unpublished_examples_or_contact_emails(client):
    for status in [s for s in ExampleStatus.values if s != ExampleStatus.PUBLIE]:
        make_example(f"Brouillon {status}", status=status, departements=("69",))
    make_example("Publié avec contact", departements=("69",), contact_email="secret@example.org")
    for url in ["/exemples/export.csv", "/exemples/export.json"]:
        text = body(client.get(url))
        assert "Brouillon" not in text
        assert "secret@example.org" not in text
        assert "Publié avec contact" in text


def test_json_export_is_utf8_with_lists_and_metadata(client):
    partner = make_partner("Entreprise Solide", kind="entreprise")
    make_example("Alliance à Lyon", departements=("69",), partners=(partner,))
    response = client.get("/exemples/export.json?departement=69")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(body(response))
    assert data["filtres"] == {"departement": ["69"]}
    record = next(r for r in data["exemples"] if r["titre"] == "Alliance à Lyon")
    assert record["partenaires"] == ["Entreprise Solide (Entreprise)"]
    assert record["departements"] == ["69"]
    assert list(record) == list(COLUMNS)


def test_export_streams_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    already = in_nord()
    make_many_examples(300, departements=("59",), functions=("accompagnements",))
    with django_assert_max_num_queries(6):
        response = client.get("/exemples/export.csv?departement=59")
        chunks = iter(response.streaming_content)
        first = next(chunks)
        assert first.decode("utf-8").startswith("\ufeffslug;")
        rows = sum(1 for _ in chunks)
    assert rows == already + 300


def test_bad_filter_values_are_ignored_not_an_error(client):
    response = client.get("/exemples/export.csv?departement=999&categorie=nope&page=abc")
    assert response.status_code == 200
    assert {row["slug"] for row in csv_rows(response)} == published_slugs()


def test_list_page_links_to_the_exports_and_feed_of_its_selection(client):
    html = client.get("/exemples/?fonction=accompagnements&page=1").content.decode()
    assert 'href="/exemples/export.csv?fonction=accompagnements"' in html
    assert 'href="/exemples/export.json?fonction=accompagnements"' in html
    assert 'href="/exemples/flux/?fonction=accompagnements"' in html
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Derniers exemples publiés de '
        'cette sélection (Atom)" href="/exemples/flux/?fonction=accompagnements">'
    ) in html
