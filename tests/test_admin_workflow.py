"""The publishing workflow in the admin: each status transition, bulk actions and their
messages, the moderation queue, and what the public sees of each status."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from examples.models import Example
from examples.status import ExampleStatus
from tests.curation import change_form_data, make_example

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:examples_example_changelist")
QUEUE = reverse("admin:examples_exampleawaitingmoderation_changelist")


def change_url(example: Example) -> str:
    return reverse("admin:examples_example_change", args=[example.pk])


def save_with_status(client, example: Example, status: str):
    return client.post(change_url(example), change_form_data(example, status=status))


def run_action(client, action: str, *examples: Example, url: str = CHANGELIST):
    return client.post(
        url,
        {"action": action, "_selected_action": [example.pk for example in examples]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ExampleStatus.PROPOSE, ExampleStatus.BROUILLON),
        (ExampleStatus.BROUILLON, ExampleStatus.A_RELIRE),
        (ExampleStatus.A_RELIRE, ExampleStatus.BROUILLON),
        (ExampleStatus.A_RELIRE, ExampleStatus.PUBLIE),
        (ExampleStatus.PUBLIE, ExampleStatus.ARCHIVE),
        (ExampleStatus.ARCHIVE, ExampleStatus.PUBLIE),
        (ExampleStatus.PUBLIE, ExampleStatus.BROUILLON),
    ],
)
def test_moderator_moves_an_example_through_each_transition(client, moderator, start, target):
    example = make_example(status=start)
    client.force_login(moderator)
    response = save_with_status(client, example, target)
    assert response.status_code == 302, response.context["adminform"].form.errors
    example.refresh_from_db()
    assert example.status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ExampleStatus.PROPOSE, ExampleStatus.BROUILLON),
        (ExampleStatus.PROPOSE, ExampleStatus.A_RELIRE),
        (ExampleStatus.BROUILLON, ExampleStatus.A_RELIRE),
        (ExampleStatus.A_RELIRE, ExampleStatus.BROUILLON),
    ],
)
def test_editor_drafts_and_submits_for_review(client, editor, start, target):
    example = make_example(status=start)
    client.force_login(editor)
    assert save_with_status(client, example, target).status_code == 302
    example.refresh_from_db()
    assert example.status == target


def test_published_at_is_set_on_first_publication_and_kept_afterwards(client, moderator):
    example = make_example(status=ExampleStatus.A_RELIRE)
    client.force_login(moderator)
    save_with_status(client, example, ExampleStatus.PUBLIE)
    example.refresh_from_db()
    first_publication = example.published_at
    assert first_publication is not None
    save_with_status(client, example, ExampleStatus.ARCHIVE)
    example.refresh_from_db()
    save_with_status(client, example, ExampleStatus.PUBLIE)
    example.refresh_from_db()
    assert example.published_at == first_publication


def test_submit_for_review_action(client, editor):
    draft = make_example("Brouillon à soumettre", status=ExampleStatus.BROUILLON)
    proposal = make_example("Proposition à soumettre", status=ExampleStatus.PROPOSE)
    published = make_example("Déjà en ligne", status=ExampleStatus.PUBLIE)
    client.force_login(editor)
    response = run_action(client, "submit_for_review", draft, proposal, published)
    assert "2 exemples soumis pour relecture." in messages_of(response)
    assert any(
        "laissé tel quel\u00a0: «\u00a0Déjà en ligne\u00a0»" in message
        for message in messages_of(response)
    )
    statuses = dict(
        Example.objects.filter(pk__in=[draft.pk, proposal.pk, published.pk]).values_list(
            "title", "status"
        )
    )
    assert statuses == {
        "Brouillon à soumettre": ExampleStatus.A_RELIRE,
        "Proposition à soumettre": ExampleStatus.A_RELIRE,
        "Déjà en ligne": ExampleStatus.PUBLIE,
    }


def test_publish_action_publishes_and_records_history(client, moderator):
    first = make_example("Premier à publier", status=ExampleStatus.A_RELIRE)
    second = make_example("Second à publier", status=ExampleStatus.PROPOSE)
    client.force_login(moderator)
    response = run_action(client, "publish", first, second)
    assert "2 exemples publiés." in messages_of(response)
    for example in (first, second):
        example.refresh_from_db()
        assert example.status == ExampleStatus.PUBLIE
        assert example.published_at is not None
        latest = example.history.latest()
        assert latest.history_user == moderator
        assert latest.history_change_reason == "Action groupée\u00a0: publié"


def test_publish_action_refuses_an_incomplete_example(client, moderator):
    incomplete = make_example("Sans département", status=ExampleStatus.A_RELIRE, departements=())
    client.force_login(moderator)
    response = run_action(client, "publish", incomplete)
    assert any(
        "«\u00a0Sans département\u00a0» n’a pas été publié\u00a0: Choisissez au moins un "
        "département" in message
        for message in messages_of(response)
    )
    incomplete.refresh_from_db()
    assert incomplete.status == ExampleStatus.A_RELIRE


def test_archive_action(client, moderator):
    published = make_example("Exemple à retirer", status=ExampleStatus.PUBLIE)
    client.force_login(moderator)
    response = run_action(client, "archive", published)
    assert "1 exemple archivé." in messages_of(response)
    published.refresh_from_db()
    assert published.status == ExampleStatus.ARCHIVE


def test_moderation_queue_lists_proposals_and_reviews_only(client, moderator):
    proposal = make_example("Une proposition du public", status=ExampleStatus.PROPOSE)
    review = make_example("Un brouillon à relire", status=ExampleStatus.A_RELIRE)
    make_example("Un simple brouillon", status=ExampleStatus.BROUILLON)
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Une proposition du public" in html
    assert "Un brouillon à relire" in html
    assert "Un simple brouillon" not in html
    assert "Complémentarité des 8 tiers lieux" not in html
    # Rows open the example's own form, where history is recorded.
    assert f'href="{change_url(proposal)}' in html
    assert f'href="{change_url(review)}' in html


def test_moderation_queue_is_listed_on_the_admin_index(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Exemples à modérer" in html
    assert QUEUE in html


def test_publishing_from_the_queue(client, moderator):
    proposal = make_example("Proposition à publier", status=ExampleStatus.PROPOSE)
    client.force_login(moderator)
    response = run_action(client, "publish", proposal, url=QUEUE)
    assert "1 exemple publié." in messages_of(response)
    assert "Proposition à publier" not in response.content.decode().split("<table")[-1]
    proposal.refresh_from_db()
    assert proposal.status == ExampleStatus.PUBLIE


def test_queue_detail_url_leads_to_the_example_form(client, moderator):
    proposal = make_example(status=ExampleStatus.PROPOSE)
    client.force_login(moderator)
    url = reverse("admin:examples_exampleawaitingmoderation_changelist") + f"{proposal.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == change_url(proposal)


@pytest.mark.parametrize(
    "status",
    [ExampleStatus.BROUILLON, ExampleStatus.PROPOSE, ExampleStatus.A_RELIRE, ExampleStatus.ARCHIVE],
)
def test_unpublished_examples_stay_off_the_public_pages(client, status):
    make_example("Alliance encore confidentielle", status=status, published_at=None)
    html = client.get(reverse("examples:home")).content.decode()
    assert "Alliance encore confidentielle" not in html


def test_published_example_appears_on_the_home_page(client, moderator):
    example = make_example("Alliance enfin publique", status=ExampleStatus.A_RELIRE)
    client.force_login(moderator)
    run_action(client, "publish", example)
    client.logout()
    assert "Alliance enfin publique" in client.get(reverse("examples:home")).content.decode()


def test_change_form_links_to_the_public_page_or_its_preview(client, moderator):
    draft = make_example(status=ExampleStatus.BROUILLON)
    published = make_example("Exemple en ligne", status=ExampleStatus.PUBLIE)
    client.force_login(moderator)
    draft_html = client.get(change_url(draft)).content.decode()
    assert "Aperçu (réservé à l’équipe)" in draft_html
    published_html = client.get(change_url(published)).content.decode()
    assert "Voir sur le site" in published_html
    content_type = ContentType.objects.get_for_model(Example)
    assert reverse("admin:view_on_site", args=[content_type.pk, published.pk]) in published_html
