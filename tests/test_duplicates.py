"""A title very close to an existing one is flagged — on save in the admin, on the change form
and in the import preview — so that duplicates are caught."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from examples.models import Example, ExamplePartner
from territories.models import Departement
from tests.curation import change_form_data, make_example, new_example_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Complementarite des huit tiers-lieux sur le territoire", "Complémentarité des 8 tiers"),
        ("programme impact jeune", "Programme Impact Jeunes"),
        ("LE CATALYSEUR", "Le Catalyseur"),
    ],
)
def test_similar_titles_ignore_case_accents_and_small_differences(title, expected):
    [closest, *_] = Example.objects.similar_titles(title)
    assert closest.title.startswith(expected)
    assert closest.title_similarity >= 0.6


def test_unrelated_titles_are_not_similar():
    assert not Example.objects.similar_titles("Réseau des recycleries bretonnes").exists()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_adding_a_near_duplicate_warns_but_saves(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:examples_example_add"),
        new_example_data(title="Programme Impact Jeune", slug="programme-impact-jeune"),
        follow=True,
    )
    assert Example.objects.filter(slug="programme-impact-jeune").exists()
    [warning] = [message for message in messages_of(response) if "Doublon" in message]
    assert warning.startswith(
        "Doublon possible\u00a0: «\u00a0Programme Impact Jeune\u00a0» ressemble à "
        "«\u00a0Programme Impact Jeunes\u00a0» ("
    )
    assert "\u00a0% de ressemblance" in warning
    assert warning.endswith("). Vérifiez qu’il ne s’agit pas du même exemple.")


def test_a_distinct_title_gets_no_warning(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:examples_example_add"), new_example_data(), follow=True)
    assert not any("Doublon possible" in message for message in messages_of(response))


def test_renaming_into_a_near_duplicate_warns(client, editor):
    example = make_example("Atelier vélo solidaire")
    client.force_login(editor)
    response = client.post(
        reverse("admin:examples_example_change", args=[example.pk]),
        change_form_data(example, title="Silver Geeks"),
        follow=True,
    )
    assert any("ressemble à «\u00a0Silver Geek\u00a0»" in m for m in messages_of(response))


def test_change_form_lists_possible_duplicates(client, moderator):
    proposal = make_example("Le catalyseur", status="propose")
    client.force_login(moderator)
    html = client.get(reverse("admin:examples_example_change", args=[proposal.pk])).content.decode()
    original = Example.objects.get(title="Le Catalyseur")
    assert reverse("admin:examples_example_change", args=[original.pk]) in html
    assert "100\u00a0% de ressemblance, publié" in html


def test_import_preview_warns_about_near_duplicates(client, moderator):
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["slug", "title", "functions", "departements"])
    writer.writerow(["", "Silver Geek 2", "experimentations-collectives", "86"])
    writer.writerow(["", "Réseau des recycleries bretonnes", "accompagnements", "35"])
    client.force_login(moderator)
    response = client.post(
        reverse("admin:examples_example_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("doublons.csv", stream.getvalue().encode()),
        },
    )
    assert response.context["confirm_form"] is not None
    assert response.context["result"].duplicate_warnings == [
        {
            "line": 2,
            "title": "Silver Geek 2",
            "similar": "«\u00a0Silver Geek\u00a0» (86\u00a0% de ressemblance, "
            "mêmes mots dans le titre, au même endroit)",
        }
    ]
    html = response.content.decode()
    assert "Doublons possibles" in html
    assert "Ligne 2&nbsp;: «&nbsp;Silver Geek 2&nbsp;» ressemble à" in html
    assert not Example.objects.filter(title="Silver Geek 2").exists()


def flagged(example) -> dict[str, list[str]]:
    """The titles `example` is flagged a possible duplicate of, each with its reasons."""
    return {
        other.title: [
            reason
            for reason in ("same_title_words", "same_website", "same_partners")
            if getattr(other, reason)
        ]
        for other in Example.objects.possible_duplicates(example)
    }


def test_no_example_of_the_fiche_is_flagged_a_duplicate_of_another():
    # Unrelated titles close in words (« Fondation territoriale de la Vienne », « Fondation
    # Territoriale de Loire-Atlantique ») or sharing partners (« Vitawin », « Club Gravelle
    # Entreprendre ») are not flagged.
    assert {example.title: flagged(example) for example in Example.objects.all()} == {
        example.title: {} for example in Example.objects.all()
    }


def test_silver_geeks_vienne_is_flagged_on_save(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:examples_example_add"),
        new_example_data(
            title="Silver Geeks Vienne",
            slug="silver-geeks-vienne",
            departements=[Departement.objects.get(code="86").pk],
        ),
        follow=True,
    )
    created = Example.objects.get(slug="silver-geeks-vienne")
    assert flagged(created) == {"Silver Geek": ["same_title_words"]}
    assert (
        "Doublon possible\u00a0: «\u00a0Silver Geeks Vienne\u00a0» ressemble à «\u00a0Silver "
        "Geek\u00a0» (mêmes mots dans le titre, au même endroit). Vérifiez qu’il ne s’agit pas "
        "du même exemple."
    ) in messages_of(response)


def test_the_same_title_words_elsewhere_are_not_flagged():
    elsewhere = make_example("Silver Geeks Vienne", departements=("13",))
    assert flagged(elsewhere) == {}


def test_the_same_website_is_flagged():
    example = make_example(
        "Ateliers numériques des seniors", website="https://www.Silver-Geek.org/"
    )
    assert flagged(example) == {"Silver Geek": ["same_website"]}


def test_the_same_partners_in_the_same_place_are_flagged():
    silver_geek = Example.objects.get(slug="silver-geek")
    partners = list(silver_geek.partners.all())
    example = make_example("Tournoi de jeux vidéo des aînés", departements=("86",))
    for order, partner in enumerate(partners):
        ExamplePartner.objects.create(example=example, partner=partner, order=order)
    assert flagged(example) == {"Silver Geek": ["same_partners"]}
    elsewhere = make_example("Rencontres intergénérationnelles", departements=("13",))
    elsewhere.partners.set(partners)
    assert flagged(elsewhere) == {}


def test_the_change_form_gives_the_reasons(client, moderator):
    example = make_example("Ateliers numériques des seniors", website="https://silver-geek.org")
    client.force_login(moderator)
    html = client.get(reverse("admin:examples_example_change", args=[example.pk])).content.decode()
    original = Example.objects.get(slug="silver-geek")
    assert reverse("admin:examples_example_change", args=[original.pk]) in html
    assert "même site web" in html
