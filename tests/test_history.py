"""Every change to an example is kept (who, when, what), shown in the admin, and an earlier
version — many-to-many relations included — can be restored."""

import pytest
from django.urls import reverse

from examples.models import Category
from examples.status import ExampleStatus
from territories.models import Departement
from tests.curation import change_form_data, make_example

pytestmark = pytest.mark.django_db


def change_url(example) -> str:
    return reverse("admin:examples_example_change", args=[example.pk])


def history_url(example) -> str:
    return reverse("admin:examples_example_history", args=[example.pk])


def revert_url(example, version) -> str:
    return reverse("admin:examples_example_simple_history", args=[example.pk, version.history_id])


def test_an_admin_change_is_recorded_with_its_author(client, moderator):
    example = make_example("Alliance pour la mobilité", status=ExampleStatus.BROUILLON)
    client.force_login(moderator)
    client.post(change_url(example), change_form_data(example, title="Alliance pour les mobilités"))
    latest = example.history.filter(history_user=moderator).earliest()
    assert latest.title == "Alliance pour les mobilités"
    assert latest.history_type == "~"
    assert latest.prev_record.title == "Alliance pour la mobilité"
    delta = latest.diff_against(latest.prev_record)
    assert "title" in delta.changed_fields


def test_history_page_shows_who_changed_what(client, moderator):
    example = make_example("Alliance pour la mobilité")
    client.force_login(moderator)
    client.post(change_url(example), change_form_data(example, title="Alliance renommée"))
    response = client.get(history_url(example))
    assert response.status_code == 200
    html = response.content.decode()
    assert "moderateur" in html
    assert "Alliance renommée" in html
    assert "Alliance pour la mobilité" in html


def test_history_records_many_to_many_changes(client, moderator):
    example = make_example(departements=("69",))
    client.force_login(moderator)
    ain = Departement.objects.get(code="01")
    client.post(change_url(example), change_form_data(example, departements=[ain.pk]))
    latest = example.history.latest()
    assert [row.departement.code for row in latest.departements.all()] == ["01"]


def revert(client, example, version):
    """Open the revert form of `version` and save it as a browser would."""
    response = client.get(revert_url(example, version))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = "on" if value is True else value
    return client.post(revert_url(example, version), data)


def test_reverting_restores_fields_and_relations(client, moderator):
    example = make_example(
        "Titre d’origine",
        summary="Résumé d’origine",
        departements=("69", "01"),
        categories=("mecenat",),
    )
    original = example.history.latest()
    client.force_login(moderator)
    changed = change_form_data(
        example,
        title="Titre modifié",
        summary="Résumé modifié",
        departements=[Departement.objects.get(code="75").pk],
        categories=[Category.objects.get(slug="innovation-societale").pk],
    )
    assert client.post(change_url(example), changed).status_code == 302
    example.refresh_from_db()
    assert example.title == "Titre modifié"

    response = revert(client, example, original)

    assert response.status_code == 302
    example.refresh_from_db()
    assert example.title == "Titre d’origine"
    assert example.summary == "Résumé d’origine"
    assert sorted(d.code for d in example.departements.all()) == ["01", "69"]
    assert [c.slug for c in example.categories.all()] == ["mecenat"]
    assert example.history.latest().history_user == moderator


def test_revert_form_shows_the_old_relations(client, moderator):
    example = make_example(departements=("69",))
    original = example.history.latest()
    example.departements.set([Departement.objects.get(code="13")])
    client.force_login(moderator)
    form = client.get(revert_url(example, original)).context["adminform"].form
    assert list(form["departements"].value()) == [Departement.objects.get(code="69").pk]
