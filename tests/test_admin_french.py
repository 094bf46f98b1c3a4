"""Every admin page an editor or a moderator opens reads as natural French: titles that agree in
gender and number, filter titles, field labels, the import and export pages, and a history that
shows labels and French dates, one entry per save."""

import html
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from examples.models import Example
from examples.status import ExampleStatus
from tests.curation import change_form_data, make_example

pytestmark = pytest.mark.django_db

# English words Django, django-import-export or django-simple-history leave where no French
# text was given; matched as whole words, case included.
ENGLISH_WORDS = (
    "Add",
    "All",
    "By",
    "Category",
    "Change",
    "Changed",
    "Changes",
    "Comment",
    "Date/time",
    "Delete",
    "Export",
    "Functions",
    "History",
    "Import",
    "Is",
    "None",
    "Object",
    "Partner",
    "Resource",
    "Select",
    "Slug",
    "Submit",
    "Summary",
    "Title",
    "Verification",
    "Website",
    "all",
    "entries",
    "entry",
)
# Strings the issue quotes, and their like: Django's generic French that reads badly here.
BAD_STRINGS = (
    "Sélectionnez l’objet",
    "à changer",
    "Ajout de ",
    "Modification de ",
    "Ajouter exemple",
    "Par d'envergure",
    "Par d’envergure",
    "Par statut",
    "file de modération",
    "Is National",
    "a_relire",
    "Aucun(e)",
    "satisfait(e)",
    "d'envergure",
    "l'exemple",
)


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"[ \t\n\r\f\v]+", " ", html.unescape(page))


def problems_in(page: str) -> list[str]:
    text = visible_text(page)
    found = [word for word in ENGLISH_WORDS if re.search(rf"(?<![\w/-]){re.escape(word)}\b", text)]
    found += [bad for bad in BAD_STRINGS if bad in text]
    return found


def admin_pages() -> list[str]:
    """Every list, add, change and history page of the registered models, and the example
    import and export pages."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in {"examples", "territories"}:
            continue
        base = f"admin:{opts.app_label}_{opts.model_name}"
        first = model._default_manager.order_by("pk").first()
        for name, args in [
            ("changelist", []),
            ("add", []),
            ("change", [first.pk] if first else None),
            ("history", [first.pk] if first else None),
            ("import", []),
            ("export", []),
        ]:
            if args is None:
                continue
            try:
                urls.append(reverse(f"{base}_{name}", args=args))
            except NoReverseMatch:
                continue
    return urls


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_every_admin_page_reads_as_french(client, request, role):
    make_example("Une proposition à relire", status=ExampleStatus.A_RELIRE)
    client.force_login(request.getfixturevalue(role))
    seen = {}
    for url in admin_pages():
        response = client.get(url)
        assert response.status_code in {200, 403}, url
        if response.status_code == 200:
            seen[url] = problems_in(response.content.decode())
    assert reverse("admin:examples_example_import") in seen
    assert {url: found for url, found in seen.items() if found} == {}


def test_titles_agree_in_gender_and_number(client, moderator):
    client.force_login(moderator)
    category = reverse("admin:examples_category_changelist")
    pages = {
        reverse("admin:examples_example_changelist"): ["Exemples", "Ajouter un exemple"],
        reverse("admin:examples_example_add"): ["Ajouter un exemple"],
        reverse("admin:examples_era_add"): ["Ajouter une ère partenariale"],
        category: ["Catégories de partenariat", "Ajouter une catégorie de partenariat"],
        reverse("admin:examples_category_change", args=[1]): [
            "Modifier la catégorie de partenariat"
        ],
        reverse("admin:examples_example_change", args=[Example.objects.first().pk]): [
            "Modifier l’exemple"
        ],
        reverse("admin:examples_exampleawaitingmoderation_changelist"): [
            "File de modération",
            "Aucun exemple à modérer",
        ],
    }
    for url, expected in pages.items():
        text = visible_text(client.get(url).content.decode())
        for words in expected:
            assert words in text, (url, words)


def test_moderation_queue_counts_examples(client, moderator):
    make_example("Une proposition", status=ExampleStatus.PROPOSE)
    make_example("Une autre proposition", status=ExampleStatus.A_RELIRE)
    client.force_login(moderator)
    url = reverse("admin:examples_exampleawaitingmoderation_changelist")
    text = visible_text(client.get(url).content.decode())
    assert "2 exemples à modérer" in text
    assert "Rechercher dans les exemples à modérer" in text


def test_list_filters_are_titled_without_par(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("admin:examples_example_changelist")).content.decode()
    titles = [
        visible_text(title).strip() for title in re.findall(r"(?s)<summary>(.*?)</summary>", page)
    ]
    assert "Statut" in titles
    assert "D’envergure nationale" in titles
    assert not [title for title in titles if title.startswith("Par ")]


def save_with_admin(client, example, **changes):
    response = client.post(
        reverse("admin:examples_example_change", args=[example.pk]),
        change_form_data(example, **changes),
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_one_admin_save_adds_one_history_entry(client, moderator):
    example = make_example("Alliance à relire", status=ExampleStatus.A_RELIRE)
    before = example.history.count()
    client.force_login(moderator)
    themes = list(Example.themes.field.related_model.objects.values_list("pk", flat=True)[:2])
    save_with_admin(
        client,
        example,
        title="Alliance relue",
        status=ExampleStatus.PUBLIE,
        functions=[1, 2],
        themes=themes,
        departements=[1],
    )
    assert example.history.count() == before + 1
    latest = example.history.latest()
    assert latest.history_user == moderator
    assert latest.title == "Alliance relue"
    assert sorted(row.function_id for row in latest.functions.all()) == [1, 2]


def test_history_shows_labels_and_french_dates(client, moderator):
    example = make_example("Alliance à relire", status=ExampleStatus.A_RELIRE)
    client.force_login(moderator)
    save_with_admin(client, example, status=ExampleStatus.PUBLIE)
    page = client.get(reverse("admin:examples_example_history", args=[example.pk]))
    text = visible_text(page.content.decode())
    assert "Statut\u00a0: À relire → Publié" in text
    assert "a_relire" not in text
    assert "None" not in text
    # The publication date, written as French dates are, not as a timestamp.
    assert re.search(r"Publié le\u00a0: — → \d{1,2} \w+ 20\d\d à \d\d:\d\d", text), text
    assert not re.search(r"\d{4}-\d\d-\d\d", text)
    assert "Mis à jour le" not in text  # every version's own date says it


def test_the_import_preview_reads_as_french(client, moderator):
    export = client.get("/exemples/export.csv")
    data = b"".join(export.streaming_content)
    client.force_login(moderator)
    response = client.post(
        reverse("admin:examples_example_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("export.csv", data)},
    )
    assert response.context["confirm_form"] is not None
    page = response.content.decode()
    # The rows hold the examples' own texts, which may quote English (« Social Change »).
    assert problems_in(re.sub(r'(?s)<tr class="(skip|new|update)">.*?</tr>', "", page)) == []
    text = visible_text(page)
    assert "Confirmer l’import" in page
    assert "aucun exemple à créer" in text
