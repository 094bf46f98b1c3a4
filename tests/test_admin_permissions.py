"""Who may do what: editors never publish (form, bulk action, import, revert), only
superusers delete, and the groups come from a data migration."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from examples.models import Example
from examples.roles import EDITORS, MODERATORS
from examples.status import ExampleStatus
from tests.curation import change_form_data, make_example, make_staff, new_example_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:examples_example_changelist")
ADD = reverse("admin:examples_example_add")


def change_url(example) -> str:
    return reverse("admin:examples_example_change", args=[example.pk])


def status_choices(response) -> list[str]:
    return [value for value, _label in response.context["adminform"].form.fields["status"].choices]


def test_groups_and_their_permissions_come_from_the_migration():
    editors = Group.objects.get(name=EDITORS)
    moderators = Group.objects.get(name=MODERATORS)
    editor_permissions = {p.codename for p in editors.permissions.all()}
    moderator_permissions = {p.codename for p in moderators.permissions.all()}
    assert {"add_example", "change_example", "view_example", "add_partner"} <= editor_permissions
    assert "publish_example" not in editor_permissions
    assert {"publish_example", "change_category", "change_territory"} <= moderator_permissions
    assert not any(codename.startswith("delete_") for codename in editor_permissions)
    assert not any(codename.startswith("delete_") for codename in moderator_permissions)


def test_editor_is_offered_draft_and_review_only(client, editor):
    client.force_login(editor)
    response = client.get(ADD)
    assert status_choices(response) == [ExampleStatus.BROUILLON, ExampleStatus.A_RELIRE]
    assert "un modérateur le publiera" in response.content.decode()


def test_moderator_is_offered_every_staff_status(client, moderator):
    client.force_login(moderator)
    assert status_choices(client.get(ADD)) == [
        ExampleStatus.BROUILLON,
        ExampleStatus.A_RELIRE,
        ExampleStatus.PUBLIE,
        ExampleStatus.ARCHIVE,
    ]


@pytest.mark.parametrize("status", [ExampleStatus.PUBLIE, ExampleStatus.ARCHIVE])
def test_editor_cannot_publish_or_archive_through_the_form(client, editor, status):
    example = make_example(status=ExampleStatus.A_RELIRE)
    client.force_login(editor)
    response = client.post(change_url(example), change_form_data(example, status=status))
    assert response.status_code == 200
    assert "seuls les modérateurs publient et archivent" in response.content.decode()
    example.refresh_from_db()
    assert example.status == ExampleStatus.A_RELIRE


def test_editor_cannot_create_a_published_example(client, editor):
    client.force_login(editor)
    response = client.post(ADD, new_example_data(status=ExampleStatus.PUBLIE))
    assert response.status_code == 200
    assert "seuls les modérateurs publient et archivent" in response.content.decode()
    assert not Example.objects.filter(slug="cooperative-des-savoir-faire-de-la-drome").exists()


def test_editor_cannot_use_the_public_status_either(client, editor):
    example = make_example(status=ExampleStatus.BROUILLON)
    client.force_login(editor)
    response = client.post(
        change_url(example), change_form_data(example, status=ExampleStatus.PROPOSE)
    )
    assert response.status_code == 200
    example.refresh_from_db()
    assert example.status == ExampleStatus.BROUILLON


def test_editor_edits_a_published_example_without_touching_its_status(client, editor):
    example = make_example(status=ExampleStatus.PUBLIE)
    client.force_login(editor)
    response = client.get(change_url(example))
    assert "status" not in response.context["adminform"].form.fields
    data = change_form_data(example, summary="Un résumé corrigé.", status=ExampleStatus.BROUILLON)
    assert client.post(change_url(example), data).status_code == 302
    example.refresh_from_db()
    assert example.summary == "Un résumé corrigé."
    assert example.status == ExampleStatus.PUBLIE


def test_editor_has_no_publish_or_archive_action(client, editor):
    client.force_login(editor)
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    names = [name for name, _label in actions]
    assert "submit_for_review" in names
    assert "publish" not in names
    assert "archive" not in names
    assert "delete_selected" not in names


@pytest.mark.parametrize("action", ["publish", "archive"])
def test_editor_posting_a_moderator_action_changes_nothing(client, editor, action):
    example = make_example(status=ExampleStatus.A_RELIRE)
    client.force_login(editor)
    client.post(CHANGELIST, {"action": action, "_selected_action": [example.pk]})
    example.refresh_from_db()
    assert example.status == ExampleStatus.A_RELIRE


def test_editor_cannot_publish_by_reverting_to_a_published_version(client, editor, moderator):
    example = make_example(status=ExampleStatus.PUBLIE)
    published_version = example.history.latest()
    example.status = ExampleStatus.BROUILLON
    example.save()
    client.force_login(editor)
    url = reverse(
        "admin:examples_example_simple_history", args=[example.pk, published_version.history_id]
    )
    response = client.post(url, change_form_data(example, status=ExampleStatus.PUBLIE))
    assert response.status_code == 200
    example.refresh_from_db()
    assert example.status == ExampleStatus.BROUILLON


@pytest.mark.parametrize("who", ["editor", "moderator"])
def test_only_superusers_delete(client, request, who):
    user = request.getfixturevalue(who)
    user.user_permissions.add(*Group.objects.get(name=MODERATORS).permissions.all())
    example = make_example()
    client.force_login(user)
    delete_url = reverse("admin:examples_example_delete", args=[example.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Example.objects.filter(slug=example.slug).exists()


def test_superuser_may_delete(client, admin_user):
    example = make_example()
    client.force_login(admin_user)
    delete_url = reverse("admin:examples_example_delete", args=[example.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Example.objects.filter(slug=example.slug).exists()


def test_staff_without_a_group_sees_nothing(client):
    client.force_login(make_staff("stagiaire"))
    assert client.get(CHANGELIST).status_code == 403
    assert (
        client.get(reverse("admin:examples_exampleawaitingmoderation_changelist")).status_code
        == 403
    )
