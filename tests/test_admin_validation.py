"""The admin form explains in French what is wrong with an example, and saves nothing then."""

import pytest
from django.urls import reverse

from examples.models import Example
from territories.models import Function
from tests.curation import make_example, new_example_data

pytestmark = pytest.mark.django_db

ADD = reverse("admin:examples_example_add")


def errors_after_posting(client, **changes) -> dict[str, list[str]]:
    response = client.post(ADD, new_example_data(**changes))
    assert response.status_code == 200
    return response.context["adminform"].form.errors


@pytest.fixture
def logged_in(client, editor):
    client.force_login(editor)
    return client


def test_a_valid_example_is_saved(logged_in):
    response = logged_in.post(ADD, new_example_data())
    assert response.status_code == 302
    example = Example.objects.get(slug="cooperative-des-savoir-faire-de-la-drome")
    # An editor sees the categories inline and saves them with the example.
    assert [c.slug for c in example.categories.all()] == ["cooperation-economique"]


def test_slug_must_be_unique(logged_in):
    make_example("Exemple existant", slug="cooperative-des-savoir-faire-de-la-drome")
    errors = errors_after_posting(logged_in)
    assert errors["slug"] == [
        "Un autre exemple utilise déjà ce slug\u00a0: choisissez-en un autre."
    ]


@pytest.mark.parametrize("website", ["pas une adresse", "http://", "javascript:alert(1)"])
def test_website_must_be_a_valid_url(logged_in, website):
    errors = errors_after_posting(logged_in, website=website)
    assert errors["website"] == [
        "Saisissez une adresse web complète et valide, par exemple https://exemple.fr."
    ]


def test_needs_a_category_or_a_function(logged_in):
    # The categories are edited inline, each with its reason: the inline says what is missing.
    response = logged_in.post(ADD, new_example_data(categories=[]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {}
    formsets = {
        inline.formset.prefix: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }
    assert formsets["examplecategory_set"].non_form_errors() == [
        "Choisissez au moins une catégorie de partenariat ou une fonction de co-construction."
    ]
    assert not Example.objects.filter(slug="cooperative-des-savoir-faire-de-la-drome").exists()


def test_a_function_alone_is_enough(logged_in):
    function = Function.objects.get(slug="accompagnements")
    response = logged_in.post(ADD, new_example_data(categories=[], functions=[function.pk]))
    assert response.status_code == 302


def test_needs_a_departement_unless_national(logged_in):
    errors = errors_after_posting(logged_in, departements=[])
    assert errors["departements"] == [
        "Choisissez au moins un département, ou indiquez que l’exemple est d’envergure nationale."
    ]
    response = logged_in.post(ADD, new_example_data(departements=[], is_national="on"))
    assert response.status_code == 302


def test_errors_are_shown_on_the_page(logged_in):
    response = logged_in.post(ADD, new_example_data(categories=[], departements=[]))
    html = response.content.decode()
    assert "Choisissez au moins une catégorie de partenariat" in html
    assert "Choisissez au moins un département" in html
    assert not Example.objects.filter(slug="cooperative-des-savoir-faire-de-la-drome").exists()
