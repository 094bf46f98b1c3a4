"""The public proposal form at /proposer/: it creates a `propose` example that nobody sees
until a moderator publishes it, and resists robots, floods and oversized or hostile input."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from examples.models import Example
from examples.status import ExampleStatus

pytestmark = pytest.mark.django_db

PROPOSE = reverse("proposals:propose")
THANKS = reverse("proposals:thanks")

VALID = {
    "title": "Les jardins partagés de Villeurbanne",
    "description": "Une association et un bailleur social cultivent ensemble des jardins.",
    "partners": "Association Graines urbaines\nBailleur Est Métropole Habitat",
    "departements": ["69"],
    "category": "pratiques-responsables",
    "function": "gestion-d-un-lieu",
    "website": "https://jardins.example.org",
    "contact_email": "camille@example.org",
    "fax": "",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def propose(client, meta: dict | None = None, **changes):
    """Post the form as VALID with `changes`; `meta`: extra request.META, such as REMOTE_ADDR."""
    data = {**VALID, **changes}
    return client.post(
        PROPOSE, {key: value for key, value in data.items() if value is not None}, **(meta or {})
    )


def test_form_page(client):
    response = client.get(PROPOSE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Proposer un exemple d’alliance</h1>" in html
    assert "Faire alliance" in html  # inside the site's layout
    for label in ["Nom de l’exemple", "Partenaires", "Département(s) concerné(s)", "Catégorie"]:
        assert label in html
    # Départements are typed, with the browser's suggestions: no région to open.
    assert 'list="id_departements-liste"' in html
    assert '<option value="Rhône (69)">' in html
    assert "<details" not in html
    assert "<script" not in html
    assert "style=" not in html
    assert "no-store" in response["Cache-Control"]


def test_valid_proposal_creates_an_unpublished_example(client):
    response = propose(client)
    assert response.status_code == 302
    assert response["Location"] == THANKS
    example = Example.objects.get(title=VALID["title"])
    assert example.status == ExampleStatus.PROPOSE
    assert example.published_at is None
    assert example.slug == "les-jardins-partages-de-villeurbanne"
    assert example.contact_email == "camille@example.org"
    assert example.proposed_partners == VALID["partners"]
    assert [d.code for d in example.departements.all()] == ["69"]
    assert [c.slug for c in example.categories.all()] == ["pratiques-responsables"]
    assert [f.slug for f in example.functions.all()] == ["gestion-d-un-lieu"]
    assert example.history.latest().history_change_reason == "Proposé via le formulaire public"


def test_thank_you_page(client):
    response = client.get(propose(client)["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Merci pour votre proposition&nbsp;!" in html
    assert "«&nbsp;Les jardins partagés de Villeurbanne&nbsp;» a bien été reçue" in html
    assert "camille@example.org" not in html


def test_proposal_waits_in_the_moderation_queue_and_stays_off_the_site(client, moderator):
    propose(client)
    assert VALID["title"] not in client.get(reverse("examples:home")).content.decode()
    client.force_login(moderator)
    queue = client.get(reverse("admin:examples_exampleawaitingmoderation_changelist"))
    assert VALID["title"] in queue.content.decode()


def test_same_title_twice_gets_its_own_slug(client):
    propose(client)
    propose(client)
    slugs = sorted(Example.objects.filter(title=VALID["title"]).values_list("slug", flat=True))
    assert slugs == [
        "les-jardins-partages-de-villeurbanne",
        "les-jardins-partages-de-villeurbanne-2",
    ]


def test_national_action_needs_no_departement(client):
    assert propose(client, departements=None, is_national="on").status_code == 302
    assert Example.objects.get(title=VALID["title"]).is_national


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        ({"contact_email": "camille"}, "contact_email", "Saisissez une adresse e-mail valide"),
        ({"website": "jardins breche"}, "website", "Saisissez une adresse web complète et valide"),
        ({"departements": None}, "departements", "Choisissez au moins un département"),
        ({"departements": "999"}, "departements", "«\u00a0999\u00a0» ne correspond à aucun"),
        ({"departements": "Rhône, Atlantide"}, "departements", "«\u00a0Atlantide\u00a0» ne"),
        ({"description": "x" * 5001}, "description", "au plus 5000 caractères"),
        ({"title": "t" * 201}, "title", "au plus 200 caractères"),
    ],
)
def test_invalid_proposal_is_explained_and_kept(client, changes, field, message):
    response = propose(client, **changes)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert "Votre proposition n’a pas encore été envoyée" in html
    assert f'href="#id_{field}"' in html
    # What the visitor typed is still there.
    assert "Une association et un bailleur social" in html or field == "description"
    assert not Example.objects.filter(status=ExampleStatus.PROPOSE).exists()


def test_required_fields_are_announced_before_the_form_and_errors_in_the_title(client):
    html = client.get(PROPOSE).content.decode()
    assert "<title>Proposer un exemple — " in html
    # Screen reader users learn which fields are required before they meet the first one.
    assert html.index("Tous les champs sont obligatoires") < html.index('id="id_title"')
    html = propose(client, title="").content.decode()
    assert "<title>Erreur&nbsp;: Proposer un exemple — " in html


def test_honeypot_rejects_robots(client):
    response = propose(client, fax="+33 1 23 45 67 89")
    assert response.status_code == 200
    assert "doit rester vide" in response.content.decode()
    assert not Example.objects.filter(title=VALID["title"]).exists()


def test_honeypot_is_hidden_from_people(client):
    html = client.get(PROPOSE).content.decode()
    trap = html.split('<div class="form-trap">')[1].split("</div>")[0]
    assert 'name="fax"' in trap
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


def test_rate_limit_per_address(client, settings):
    settings.PROPOSAL_RATE_LIMIT = "2/h"
    assert propose(client).status_code == 302
    assert propose(client, title="Une deuxième alliance").status_code == 302
    response = propose(client, title="Une troisième alliance")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Trop de propositions envoyées" in response.content.decode()
    assert not Example.objects.filter(title="Une troisième alliance").exists()
    # Another visitor is not affected, and reading the form is never limited.
    assert client.get(PROPOSE).status_code == 200
    other = propose(client, {"REMOTE_ADDR": "203.0.113.7"}, title="Une alliance d’ailleurs")
    assert other.status_code == 302


def test_rate_limit_uses_the_proxy_header_when_configured(client, settings):
    settings.PROPOSAL_RATE_LIMIT = "1/h"
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert propose(client, {"HTTP_X_REAL_IP": "198.51.100.1"}).status_code == 302
    assert propose(client, {"HTTP_X_REAL_IP": "198.51.100.1"}).status_code == 429
    assert propose(client, {"HTTP_X_REAL_IP": "198.51.100.2"}).status_code == 302


def test_rate_limit_trusts_only_the_address_the_proxy_appended(client, settings):
    settings.PROPOSAL_RATE_LIMIT = "1/h"
    settings.CLIENT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.5"}
    assert propose(client, forwarded).status_code == 302
    # The client wrote the first entry: changing it does not make a new visitor.
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99, 203.0.113.5"}
    assert propose(client, forged).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.6"}
    assert propose(client, other).status_code == 302


@pytest.mark.parametrize("header", ["not-an-address", "", "0", "203.0.113.5:443"])
def test_a_proxy_header_without_an_address_falls_back_to_the_connection(client, settings, header):
    settings.PROPOSAL_RATE_LIMIT = "1/h"
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert propose(client, {"HTTP_X_REAL_IP": header}).status_code == 302
    assert propose(client, {"HTTP_X_REAL_IP": "forged"}).status_code == 429
    assert propose(client, {"HTTP_X_REAL_IP": "198.51.100.1"}).status_code == 302


def test_no_client_address_at_all_still_takes_the_proposal(client, caplog):
    # A server on a Unix socket without the proxy header: REMOTE_ADDR is empty.
    assert propose(client, {"REMOTE_ADDR": ""}).status_code == 302
    assert "No valid client address (CLIENT_IP_META_KEY=REMOTE_ADDR)" in caplog.text


def test_oversized_request_is_refused(client, settings):
    settings.PROPOSAL_MAX_REQUEST_BYTES = 4096
    response = propose(client, description="é" * 3000)
    assert response.status_code == 413
    html = response.content.decode()
    assert "Proposition trop longue" in html
    assert "4&nbsp;Ko" in html
    assert not Example.objects.filter(title=VALID["title"]).exists()


def test_html_in_fields_is_escaped(client, moderator):
    hostile = '<script>alert("x")</script><b>Alliance</b>'
    propose(client, title=hostile, partners='<img src=x onerror="alert(1)">')
    thanks_html = client.get(THANKS).content.decode()
    assert "<script>alert" not in thanks_html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Alliance&lt;/b&gt;"
        in thanks_html
    )

    example = Example.objects.get(title=hostile)
    client.force_login(moderator)
    queue_html = client.get(
        reverse("admin:examples_exampleawaitingmoderation_changelist")
    ).content.decode()
    assert "<script>alert" not in queue_html
    change_html = client.get(
        reverse("admin:examples_example_change", args=[example.pk])
    ).content.decode()
    assert '<img src=x onerror="alert(1)">' not in change_html

    example.status = ExampleStatus.PUBLIE
    example.save()
    home_html = client.get(reverse("examples:home")).content.decode()
    assert "<script>alert" not in home_html
    assert "&lt;script&gt;" in home_html


def test_contact_email_is_never_public(client):
    propose(client)
    example = Example.objects.get(title=VALID["title"])
    example.status = ExampleStatus.PUBLIE
    example.save()
    home_html = client.get(reverse("examples:home")).content.decode()
    assert VALID["title"] in home_html
    assert "camille@example.org" not in home_html


def test_a_visitor_who_does_not_know_the_category_or_function_can_propose(client):
    # « Je ne sais pas » is what the form preselects for both.
    html = client.get(PROPOSE).content.decode()
    assert 'value="" id="id_category_0" checked' in html
    assert 'value="" id="id_function_0" checked' in html
    assert propose(client, category="", function="").status_code == 302
    example = Example.objects.get(title=VALID["title"])
    assert not example.categories.exists() and not example.functions.exists()


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("Rhône", ["69"]),
        ("rhone", ["69"]),
        ("69", ["69"]),
        ("Rhône (69)", ["69"]),
        ("Val-de-Marne, Isère ; 69", ["94", "38", "69"]),
        ("1, 2A", ["01", "2A"]),
        ("Rhône, 69", ["69"]),
    ],
)
def test_departements_are_found_by_name_or_number(client, typed, codes):
    assert propose(client, departements=typed).status_code == 302
    example = Example.objects.get(title=VALID["title"])
    assert sorted(example.departements.values_list("code", flat=True)) == sorted(codes)


def test_departements_sent_one_per_value_are_read_too(client):
    assert propose(client, departements=["69", "38"]).status_code == 302
    example = Example.objects.get(title=VALID["title"])
    assert sorted(example.departements.values_list("code", flat=True)) == ["38", "69"]


def test_a_refused_submission_keeps_what_was_typed_in_the_departements(client):
    html = propose(client, departements="Rhône, Atlantide").content.decode()
    assert 'value="Rhône, Atlantide"' in html


def test_a_website_without_https_is_accepted_and_completed(client):
    html = client.get(PROPOSE).content.decode()
    # No type="url": the browser's own check would refuse « jardin-breche.fr ».
    assert 'type="url"' not in html
    assert propose(client, website="jardin-breche.fr").status_code == 302
    assert Example.objects.get(title=VALID["title"]).website == "https://jardin-breche.fr"


def test_the_error_summary_takes_the_focus(client):
    html = propose(client, title="").content.decode()
    assert 'class="form-errors" id="erreurs" role="alert" tabindex="-1" autofocus' in html
