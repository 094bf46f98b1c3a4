"""CSV and XLSX import and export of examples in the admin: a dry-run preview, rows matched by
slug, every bad row reported with its line and reason, and nothing imported when one is bad."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from examples import exports
from examples.import_formats import SniffedCSV, sniff_delimiter
from examples.models import Example, ExampleCategory, ExamplePartner, Partner
from examples.partner_kinds import PartnerKind
from examples.provenance import Origin
from examples.resources import COLUMNS, DERIVED_COLUMNS, ExampleResource
from examples.status import ExampleStatus
from territories.models import Territory
from tests.curation import make_example, make_staff

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:examples_example_import")
PROCESS_IMPORT = reverse("admin:examples_example_process_import")
EXPORT = reverse("admin:examples_example_export")
CSV_FORMAT, XLSX_FORMAT = "0", "1"

NEW_ROW = {
    "slug": "fabrique-solidaire-de-lille",
    "titre": "Fabrique solidaire de Lille",
    "resume": "Une entreprise et une association réparent des vélos ensemble.",
    "description": "Atelier partagé ouvert en 2024.",
    "statut": "publie",
    "categories": "cooperation-economique",
    "fonctions": "gestion-d-un-lieu, accompagnements",
    "departements": "59",
    "envergure_nationale": "non",
    "site_web": "https://fabrique.example.org",
    "derniere_verification": "12/03/2026",
}


def csv_upload(rows: list[dict], headers=None) -> SimpleUploadedFile:
    headers = headers or list(dict.fromkeys(key for row in rows for key in row))
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("exemples.csv", stream.getvalue().encode(), "text/csv")


def xlsx_upload(rows: list[list]) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return SimpleUploadedFile(
        "exemples.xlsx",
        stream.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def preview(client, upload, file_format=CSV_FORMAT):
    return client.post(IMPORT, {"resource": "0", "format": file_format, "import_file": upload})


def confirm(client, preview_response):
    form = preview_response.context["confirm_form"]
    return client.post(PROCESS_IMPORT, {**form.initial, "resource": "0"}, follow=True)


def test_import_page_explains_the_columns(client, moderator):
    client.force_login(moderator)
    html = client.get(IMPORT).content.decode()
    assert "reconnues par leur <code>slug</code>" in html
    assert "fabrique" not in html
    for column in COLUMNS:
        assert column in html


def test_csv_import_previews_then_creates_and_updates(client, moderator):
    existing = Example.objects.get(slug="silver-geek")
    update = {**{key: "" for key in NEW_ROW}, "slug": "silver-geek", "titre": existing.title}
    update.update(
        resume="Résumé revu par l’équipe.",
        statut="publie",
        fonctions="experimentations-collectives",
        departements="86",
        envergure_nationale="non",
    )
    client.force_login(moderator)

    response = preview(client, csv_upload([NEW_ROW, update]))

    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    html = response.content.decode()
    assert "Fabrique solidaire de Lille" in html
    assert not Example.objects.filter(slug=NEW_ROW["slug"]).exists()

    response = confirm(client, response)

    assert response.status_code == 200
    created = Example.objects.get(slug=NEW_ROW["slug"])
    assert created.status == ExampleStatus.PUBLIE
    assert created.published_at is not None
    assert [d.code for d in created.departements.all()] == ["59"]
    assert sorted(f.slug for f in created.functions.all()) == [
        "accompagnements",
        "gestion-d-un-lieu",
    ]
    assert created.last_verified_at.isoformat() == "2026-03-12"
    version = created.history.earliest()
    assert version.history_user == moderator
    assert version.history_change_reason == "Import d’un fichier"
    existing.refresh_from_db()
    assert existing.summary == "Résumé revu par l’équipe."


def test_xlsx_import_by_an_editor_arrives_as_drafts(client, editor):
    reviewed = make_example("Alliance à relire", status=ExampleStatus.A_RELIRE)
    client.force_login(editor)
    headers = ["slug", "title", "status", "categories", "departements"]
    upload = xlsx_upload(
        [
            headers,
            ["", "Nouvel atelier partagé de l’Ain", "publie", "mecenat", 1],
            [reviewed.slug, reviewed.title, "publie", "mecenat", "69"],
        ]
    )

    response = confirm(client, preview(client, upload, XLSX_FORMAT))

    assert response.status_code == 200
    created = Example.objects.get(slug="nouvel-atelier-partage-de-l-ain")
    assert created.status == ExampleStatus.BROUILLON
    assert [d.code for d in created.departements.all()] == ["01"]
    reviewed.refresh_from_db()
    assert reviewed.status == ExampleStatus.A_RELIRE
    assert not Example.objects.filter(status=ExampleStatus.PUBLIE, published_at__isnull=True)


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"departements": "59, 999"},
            "departements",
            "Code(s) de département inconnu(s)\u00a0: 999.",
        ),
        (
            {"categories": "philanthropie"},
            "categories",
            "Catégorie(s) inconnue(s)\u00a0: philanthropie.",
        ),
        ({"fonctions": "animation"}, "fonctions", "Fonction(s) inconnue(s)\u00a0: animation."),
        ({"categories": "", "fonctions": ""}, "categories", "Choisissez au moins une catégorie"),
        ({"departements": ""}, "departements", "Choisissez au moins un département"),
        ({"site_web": "fabrique point org"}, "site_web", "Saisissez une URL valide."),
        (
            {"derniere_verification": "mars 2026"},
            "derniere_verification",
            "Date «\u00a0mars 2026\u00a0»",
        ),
        (
            {"envergure_nationale": "peut-être"},
            "envergure_nationale",
            "«\u00a0peut-être\u00a0» n’est pas reconnu",
        ),
        ({"titre": ""}, "titre", "Ce champ ne peut pas être vide."),
        ({"statut": "published"}, "statut", "Statut «\u00a0published\u00a0» inconnu"),
        ({"statut": "propose"}, "statut", "réservé au formulaire public"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_imported(client, moderator, changes, column, reason):
    good = {**NEW_ROW, "slug": "premiere-ligne-valide", "titre": "Première ligne valide"}
    bad = {**NEW_ROW, **changes}
    client.force_login(moderator)
    count = Example.objects.count()

    response = preview(client, csv_upload([good, bad]))

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert "Aucune ligne n’a été importée" in html
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number + 1 == 3  # the header is line 1, the good row line 2
    assert f"<td>3</td><td><code>{column}</code></td>" in html
    assert any(reason in message for message in invalid.field_specific_errors[column])
    assert Example.objects.count() == count


def test_every_bad_row_is_reported(client, moderator):
    rows = [
        {**NEW_ROW, "slug": "ligne-2", "departements": "999"},
        {**NEW_ROW, "slug": "ligne-3"},
        {**NEW_ROW, "slug": "ligne-4", "categories": "inconnue"},
    ]
    client.force_login(moderator)
    response = preview(client, csv_upload(rows))
    assert [row.number + 1 for row in response.context["result"].invalid_rows] == [2, 4]
    assert not Example.objects.filter(slug__startswith="ligne-").exists()


def test_the_same_slug_twice_is_an_error(client, moderator):
    client.force_login(moderator)
    response = preview(client, csv_upload([NEW_ROW, NEW_ROW]))
    html = response.content.decode()
    assert (
        "Le slug «\u00a0fabrique-solidaire-de-lille\u00a0» figure déjà ligne 2 du fichier." in html
    )
    assert not Example.objects.filter(slug=NEW_ROW["slug"]).exists()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (["titre", "departements"], "colonne(s) manquante(s)\u00a0: slug"),
        (["slug", "titre", "titre_court"], "colonne(s) inconnue(s)\u00a0: titre_court"),
    ],
)
def test_bad_headers_are_reported(client, moderator, headers, reason):
    row = {header: "x" for header in headers}
    client.force_login(moderator)
    response = preview(client, csv_upload([row], headers=headers))
    html = response.content.decode()
    assert "Le fichier n’a pas pu être lu" in html
    assert reason in html
    assert "confirm_form" not in response.context


def test_a_file_in_the_wrong_format_is_refused(client, moderator):
    client.force_login(moderator)
    upload = SimpleUploadedFile("exemples.xlsx", b"slug,title\nun,deux\n")
    response = preview(client, upload, XLSX_FORMAT)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert "confirm_form" not in response.context


def test_rows_that_break_between_preview_and_confirmation_import_nothing(client, moderator):
    partner = Partner.objects.create(name="Vélos du Nord", slug="velos-du-nord")
    rows = [
        {**NEW_ROW, "slug": "sans-partenaire"},
        {**NEW_ROW, "slug": "avec-partenaire", "partenaires": "velos-du-nord"},
    ]
    client.force_login(moderator)
    response = preview(client, csv_upload(rows))
    partner.delete()

    response = confirm(client, response)

    assert "Aucune ligne n’a été importée" in response.content.decode()
    assert not Example.objects.filter(slug__in=["sans-partenaire", "avec-partenaire"]).exists()


def test_staff_who_cannot_add_examples_cannot_import(client):
    viewer = make_staff("lecteur")
    viewer.user_permissions.add(Permission.objects.get(codename="view_example"))
    client.force_login(viewer)
    assert client.get(IMPORT).status_code == 403


def export(client, file_format):
    data = {"format": file_format, "resource": "0"}
    data.update({f"exampleresource_{field}": "on" for field in ExampleResource().fields})
    return client.post(EXPORT, data)


def test_csv_export(client, editor, django_assert_max_num_queries):
    example = make_example(
        "Alliance exportée",
        status=ExampleStatus.A_RELIRE,
        departements=("2A", "69"),
        contact_email="personne@exemple.fr",
    )
    client.force_login(editor)
    with django_assert_max_num_queries(20):
        response = export(client, CSV_FORMAT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == list(COLUMNS)
    exported = next(row for row in rows if row["slug"] == example.slug)
    assert exported["departements"] == "2A | 69"
    assert exported["statut"] == "À relire"
    assert exported["envergure_nationale"] == "non"
    assert "personne@exemple.fr" not in response.content.decode("utf-8-sig")
    assert len(rows) == Example.objects.count()


def test_xlsx_export_reimports_unchanged(client, moderator):
    client.force_login(moderator)
    response = export(client, XLSX_FORMAT)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    header, *rows = workbook.active.values
    assert list(header) == list(COLUMNS)
    assert len(rows) == Example.objects.count()
    # The sources place every example: each names a département or is national, so the whole
    # export is valid input.
    complete = [
        row
        for row in rows
        if row[COLUMNS.index("departements")] or row[COLUMNS.index("envergure_nationale")] == "oui"
    ]
    assert len(complete) == len(rows)
    upload = xlsx_upload([list(header), *(list(row) for row in complete)])
    response = preview(client, upload, XLSX_FORMAT)
    assert response.context["confirm_form"] is not None
    assert not response.context["result"].has_validation_errors()


# The public export (/exemples/export.csv) re-imported as it is downloaded.

PUBLIC_EXPORT = "/exemples/export.csv"


def public_export(client) -> bytes:
    response = client.get(PUBLIC_EXPORT)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def public_rows(data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def public_upload(rows: list[dict], headers) -> SimpleUploadedFile:
    """A file written as the public export writes it: « ; », a byte order mark."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=list(headers), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("exemples.csv", ("\ufeff" + stream.getvalue()).encode(), "text/csv")


def snapshot() -> dict:
    """Everything an import could change, example by example."""
    return {
        example.slug: (
            {
                field.attname: getattr(example, field.attname)
                for field in Example._meta.concrete_fields
                if field.attname not in ("search_vector", "rank_vector")
            },
            sorted(
                ExampleCategory.objects.filter(example=example).values_list(
                    "category__slug", "reason"
                )
            ),
            sorted(
                ExamplePartner.objects.filter(example=example).values_list(
                    "partner__slug", "role", "order"
                )
            ),
            sorted(example.functions.values_list("slug", flat=True)),
            sorted(example.themes.values_list("slug", flat=True)),
            sorted(example.departements.values_list("code", flat=True)),
        )
        for example in Example.objects.all()
    }


def test_the_public_export_columns_are_all_known():
    # One vocabulary: the public export's columns are the import's, or derived ones.
    assert set(COLUMNS) - {"statut", "envergure_nationale"} | set(DERIVED_COLUMNS) == set(
        exports.COLUMNS
    )
    assert not set(COLUMNS) & set(DERIVED_COLUMNS)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("\ufeffslug;titre;resume\nun;Un, deux;trois\n", ";"),
        ("slug,title\r\nun,deux; trois\r\n", ","),
        ("slug\ttitle\nun\tdeux\n", "\t"),
        ("slug\nun\n", ","),
    ],
)
def test_the_csv_format_finds_its_delimiter_in_the_header(text, delimiter):
    assert sniff_delimiter(text) == delimiter
    dataset = SniffedCSV(encoding="utf-8-sig").create_dataset(text.encode())
    assert dataset.headers[0] == "slug"
    assert dataset[0][0] == "un"


def test_the_public_export_reimports_unchanged(client, moderator):
    silver_geek = Example.objects.get(slug="silver-geek")
    reasons = dict(
        ExampleCategory.objects.filter(example=silver_geek).values_list("category__slug", "reason")
    )
    roles = dict(
        ExamplePartner.objects.filter(example=silver_geek).values_list("partner__slug", "role")
    )
    assert any(reasons.values()) and any(roles.values())
    data = public_export(client)
    published = Example.objects.filter(status=ExampleStatus.PUBLIE).count()
    assert len(public_rows(data)) == published
    before = snapshot()
    history = Example.history.count()
    client.force_login(moderator)

    response = preview(client, SimpleUploadedFile("exemples.csv", data, "text/csv"))

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.invalid_rows == []
    assert response.context["confirm_form"] is not None
    assert result.totals["skip"] == published
    assert result.totals["new"] == result.totals["update"] == 0
    html = response.content.decode()
    assert f"{published} inchangés" in html
    assert "Inchangé" in html

    response = confirm(client, response)

    assert response.status_code == 200
    assert f"aucun mis à jour, {published} inchangés" in response.content.decode()
    assert snapshot() == before
    assert Example.history.count() == history
    assert (
        dict(
            ExampleCategory.objects.filter(example=silver_geek).values_list(
                "category__slug", "reason"
            )
        )
        == reasons
    )
    assert (
        dict(
            ExamplePartner.objects.filter(example=silver_geek).values_list("partner__slug", "role")
        )
        == roles
    )


def test_a_changed_summary_in_the_public_export_updates_only_that_example(client, moderator):
    data = public_export(client)
    rows = public_rows(data)
    row = next(row for row in rows if row["slug"] == "silver-geek")
    row["resume"] = "Résumé revu après relecture de l’export."
    before = snapshot()
    client.force_login(moderator)

    response = preview(client, public_upload(rows, rows[0].keys()))

    assert response.context["confirm_form"] is not None
    totals = response.context["result"].totals
    assert (totals["update"], totals["new"], totals["skip"]) == (1, 0, len(rows) - 1)

    confirm(client, response)

    after = snapshot()
    changed = {slug for slug in before if after[slug] != before[slug]}
    assert changed == {"silver-geek"}
    fields, categories, partners, *others = after["silver-geek"]
    old_fields, old_categories, old_partners, *old_others = before["silver-geek"]
    assert fields["summary"] == "Résumé revu après relecture de l’export."
    assert {
        key: value for key, value in fields.items() if key not in ("summary", "updated_at")
    } == {key: value for key, value in old_fields.items() if key not in ("summary", "updated_at")}
    assert (categories, partners, others) == (old_categories, old_partners, old_others)
    assert Example.objects.get(slug="silver-geek").status == ExampleStatus.PUBLIE


def test_a_new_row_of_the_public_export_arrives_as_a_draft(client, moderator):
    partner = Partner.objects.create(
        name="Groupe Vélo (aujourd’hui Cycles)", slug="groupe-velo", kind=PartnerKind.ENTREPRISE
    )
    Partner.objects.create(name="Vélos, pièces et main-d’œuvre", slug="velos-pieces")
    rows = public_rows(public_export(client))
    headers = rows[0].keys()
    new = {header: "" for header in headers}
    new.update(
        slug="atelier-velo-national",
        titre="Atelier vélo national",
        resume="Une entreprise et une association réparent des vélos partout en France.",
        categories="cooperation-economique | mecenat",
        partenaires="Groupe Vélo (aujourd’hui Cycles) (Entreprise) | Vélos, pièces et main-d’œuvre",
        origine="Cité par la fiche",
        a_verifier="oui",
        commune="Lille",
        annee_lancement="2019",
        derniere_verification="2026-03-12",
        url="https://exemple.fr/exemples/atelier-velo-national/",
        publie_le="2026-03-12T10:00:00+00:00",
    )
    client.force_login(moderator)

    response = confirm(client, preview(client, public_upload([new], headers)))

    assert response.status_code == 200
    created = Example.objects.get(slug="atelier-velo-national")
    assert created.status == ExampleStatus.BROUILLON
    assert created.published_at is None
    assert created.is_national
    assert created.origin == Origin.FICHE
    assert created.needs_verification
    assert (created.commune, created.year_started) == ("Lille", 2019)
    assert created.last_verified_at.isoformat() == "2026-03-12"
    assert sorted(c.slug for c in created.categories.all()) == ["cooperation-economique", "mecenat"]
    assert sorted(p.slug for p in created.partners.all()) == [partner.slug, "velos-pieces"]


def test_an_editor_reimports_the_public_export_without_changing_a_status(client, editor):
    data = public_export(client)
    statuses = dict(Example.objects.values_list("slug", "status"))
    client.force_login(editor)

    response = preview(client, SimpleUploadedFile("exemples.csv", data, "text/csv"))

    assert not response.context["result"].has_validation_errors()
    confirm(client, response)
    assert dict(Example.objects.values_list("slug", "status")) == statuses


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"partenaires": "Inconnus Associés (Association)"},
            "partenaires",
            "Partenaire(s) inconnu(s)\u00a0: Inconnus Associés (Association).",
        ),
        ({"territoire": "Nulle part"}, "territoire", "Territoire inconnu\u00a0: Nulle part."),
        ({"origine": "Rumeur"}, "origine", "Origine «\u00a0Rumeur\u00a0» inconnue"),
        ({"a_verifier": "bientôt"}, "a_verifier", "«\u00a0bientôt\u00a0» n’est pas reconnu"),
        (
            {"annee_lancement": "vers 2010"},
            "annee_lancement",
            "Année «\u00a0vers 2010\u00a0» illisible",
        ),
    ],
)
def test_a_bad_row_of_the_public_export_is_a_clear_error(
    client, moderator, changes, column, reason
):
    rows = public_rows(public_export(client))
    row = next(row for row in rows if row["slug"] == "silver-geek")
    row.update(changes)
    client.force_login(moderator)

    response = preview(client, public_upload(rows, rows[0].keys()))

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.values and "silver-geek" in invalid.values
    assert any(reason in message for message in invalid.field_specific_errors[column])
    assert not response.context["result"].has_errors()


def test_a_territory_is_found_by_its_name_or_its_slug(client, moderator):
    territory = Territory.objects.first()
    example = make_example("Alliance du territoire", status=ExampleStatus.PUBLIE)
    row = {"slug": example.slug, "titre": example.title, "territoire": territory.name}
    client.force_login(moderator)

    confirm(client, preview(client, public_upload([row], row)))

    example.refresh_from_db()
    assert example.territory == territory
    assert example.status == ExampleStatus.PUBLIE
    assert [d.code for d in example.departements.all()] == ["69"]

    example.territory = None
    example.save()
    confirm(client, preview(client, csv_upload([{**row, "territoire": territory.slug}])))
    example.refresh_from_db()
    assert example.territory == territory


def test_partners_are_found_by_slug_or_by_name_and_type():
    association = Partner.objects.create(
        name="Maison commune", slug="maison-commune-asso", kind=PartnerKind.ASSOCIATION
    )
    town = Partner.objects.create(
        name="Maison commune", slug="maison-commune-ville", kind=PartnerKind.COLLECTIVITE
    )
    widget = ExampleResource().fields["partners"].widget
    assert widget.clean("Maison commune (Collectivité)") == [town]
    assert widget.clean("maison-commune-asso, maison-commune-ville") == [association, town]
    assert widget.clean("Maison commune (Association) | maison-commune-ville") == [
        association,
        town,
    ]
    with pytest.raises(ValueError, match="Plusieurs partenaires portent le nom de Maison commune"):
        widget.clean("Maison commune")
    with pytest.raises(ValueError, match="Partenaire\\(s\\) inconnu\\(s\\)\u00a0: Maison close"):
        widget.clean("Maison commune (Association) | Maison close")
