"""One vocabulary for the public export, the admin export and the admin import: French column
names, « ; » and a byte order mark, dates a spreadsheet reads, and the open data licence stated
on every export. A file French Excel writes imports as it is."""

import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from examples import exports
from examples.models import Example, Partner
from examples.resources import COLUMNS, ExampleResource
from examples.status import ExampleStatus
from tests.curation import make_example

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:examples_example_import")
PROCESS_IMPORT = reverse("admin:examples_example_process_import")
EXPORT = reverse("admin:examples_example_export")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def preview(client, upload, file_format=CSV_FORMAT):
    return client.post(IMPORT, {"resource": "0", "format": file_format, "import_file": upload})


def confirm(client, preview_response):
    assert preview_response.context["confirm_form"] is not None, preview_response.content.decode()
    form = preview_response.context["confirm_form"]
    return client.post(PROCESS_IMPORT, {**form.initial, "resource": "0"}, follow=True)


def public_export(client, path="/exemples/export.csv") -> tuple:
    response = client.get(path)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def admin_export(client, file_format):
    data = {"format": file_format, "resource": "0"}
    data.update({f"exampleresource_{field}": "on" for field in ExampleResource().fields})
    return client.post(EXPORT, data)


def test_the_public_export_imports_unchanged_and_restores_what_changed(client, moderator):
    _, data = public_export(client)
    edited = Example.objects.get(slug="silver-geek")
    summary = edited.summary
    Example.objects.filter(pk=edited.pk).update(summary="Résumé abîmé depuis l’export.")
    removed = Example.objects.get(slug="le-catalyseur")
    removed_title = removed.title
    removed.delete()
    client.force_login(moderator)

    response = confirm(client, preview(client, SimpleUploadedFile("export.csv", data)))

    text = response.content.decode()
    assert "Import terminé\u00a0: 1 exemple créé, 1 mis à jour" in text
    edited.refresh_from_db()
    assert edited.summary == summary
    recreated = Example.objects.get(slug="le-catalyseur")
    assert recreated.title == removed_title
    assert recreated.status == ExampleStatus.BROUILLON


def french_excel_file(rows: list[list[str]]) -> SimpleUploadedFile:
    """What French Excel's « CSV (séparateur : point-virgule) » writes: « ; », Windows-1252,
    no byte order mark, headers as the user typed them."""
    stream = io.StringIO()
    csv.writer(stream, delimiter=";", lineterminator="\r\n").writerows(rows)
    return SimpleUploadedFile("exemples.csv", stream.getvalue().encode("cp1252"), "text/csv")


def test_a_french_excel_file_with_french_headers_imports(client, moderator):
    upload = french_excel_file(
        [
            [
                "Slug",
                "Titre",
                "Résumé",
                "Statut",
                "Catégories",
                "Fonctions",
                "Départements",
                "Envergure nationale",
                "Site web",
                "Dernière vérification",
                "À vérifier",
                "Année de lancement",
                "Origine",
            ],
            [
                "",
                "Épicerie solidaire de l’Ain",
                "Une épicerie et une entreprise locale s’associent.",
                "Publié",
                "mecenat",
                "accompagnements",
                "1",
                "non",
                "https://epicerie.example.org",
                "12/03/2026",
                "oui",
                "2019",
                "Ajout éditorial",
            ],
            [""] * 13,
        ]
    )
    client.force_login(moderator)

    response = preview(client, upload)

    assert "n’a pas pu être lu" not in response.content.decode()
    response = confirm(client, response)
    assert "Import terminé\u00a0: 1 exemple créé" in response.content.decode()
    created = Example.objects.get(title="Épicerie solidaire de l’Ain")
    assert created.status == ExampleStatus.PUBLIE
    assert [d.code for d in created.departements.all()] == ["01"]
    assert created.last_verified_at == date(2026, 3, 12)
    assert created.needs_verification
    assert created.year_started == 2019


def test_the_admin_csv_export_speaks_the_public_exports_vocabulary(client, moderator):
    partner = Partner.objects.create(
        name="Vélos du Rhône", slug="velos-du-rhone", kind="entreprise"
    )
    example = make_example(
        "Alliance exportée", status=ExampleStatus.A_RELIRE, departements=("2A", "69")
    )
    example.partners.add(partner)
    client.force_login(moderator)

    response = admin_export(client, CSV_FORMAT)

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert list(rows[0]) == list(COLUMNS)
    public_columns = set(exports.COLUMNS)
    assert {"slug", "titre", "resume", "partenaires", "derniere_verification"} <= set(COLUMNS)
    assert set(COLUMNS) - public_columns == {"statut", "envergure_nationale"}
    row = next(row for row in rows if row["slug"] == example.slug)
    assert row["statut"] == "À relire"
    assert row["departements"] == "2A | 69"
    assert row["partenaires"] == "Vélos du Rhône (Entreprise)"
    assert row["envergure_nationale"] == "non"


def test_the_admin_csv_export_reimports_unchanged(client, moderator):
    client.force_login(moderator)
    data = admin_export(client, CSV_FORMAT).content
    response = preview(client, SimpleUploadedFile("exemples.csv", data, "text/csv"))
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == Example.objects.count()


def test_the_export_page_is_in_french_and_states_the_licence(client, editor):
    client.force_login(editor)
    html = client.get(EXPORT).content.decode()
    assert "Tout sélectionner" in html
    assert "Select all" not in html
    assert "onchange" not in html and "style=" not in html
    assert ">Année de lancement (annee_lancement)<" in html
    assert "Licence Ouverte" in html and LICENCE_URL in html


def test_public_exports_carry_the_licence(client):
    for path in ["/exemples/export.csv", "/exemples/export.json"]:
        response, _ = public_export(client, path)
        assert f'<{LICENCE_URL}>; rel="license"' in response["Link"]
    _, data = public_export(client, "/exemples/export.json")
    licence = json.loads(data)["licence"]
    assert licence["nom"] == "Licence Ouverte / Open Licence version 2.0"
    assert licence["url"] == LICENCE_URL


def test_admin_exports_carry_the_licence(client, moderator):
    client.force_login(moderator)
    response = admin_export(client, CSV_FORMAT)
    assert f'<{LICENCE_URL}>; rel="license"' in response["Link"]
    response = admin_export(client, XLSX_FORMAT)
    assert f'<{LICENCE_URL}>; rel="license"' in response["Link"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Exemples"
    assert "Licence Ouverte" in workbook.properties.description
    notice = " ".join(str(cell) for row in workbook["Licence"].values for cell in row if cell)
    assert "Licence Ouverte / Open Licence version 2.0" in notice and LICENCE_URL in notice
    header = next(workbook.active.values)
    assert list(header) == list(COLUMNS)


def test_csv_dates_are_iso_calendar_dates(client):
    Example.objects.filter(slug="silver-geek").update(last_verified_at=date(2026, 3, 12))
    _, data = public_export(client)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    for row in rows:
        for column in ("publie_le", "mis_a_jour_le", "derniere_verification"):
            if row[column]:
                assert len(row[column]) == 10, (column, row[column])
                date.fromisoformat(row[column])
    silver = next(row for row in rows if row["slug"] == "silver-geek")
    assert silver["derniere_verification"] == "2026-03-12"
