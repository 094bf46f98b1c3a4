import gzip

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from config import page_cache
from examples import directory_version
from examples.models import Category, Example, Partner, Theme
from examples.status import ExampleStatus
from territories.models import Departement, Function, Territory

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def x_cache(response) -> str | None:
    return response.headers.get("X-Cache")


def test_second_anonymous_visit_is_served_from_the_cache(client, django_assert_num_queries):
    first = client.get(HOME)
    assert first.status_code == 200
    assert x_cache(first) == "MISS"
    # The one query is the directory's version, which keys the page.
    with django_assert_num_queries(1):
        second = client.get(HOME)
    assert x_cache(second) == "HIT"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_head_is_answered_from_the_page_a_get_stored(client):
    client.get(HOME)
    assert x_cache(client.head(HOME)) == "HIT"


def test_query_string_is_part_of_the_key(client):
    client.get(HOME)
    assert x_cache(client.get(HOME, {"page": "2"})) == "MISS"
    assert x_cache(client.get(HOME, {"page": "2"})) == "HIT"
    assert x_cache(client.get(HOME, {"page": "3"})) == "MISS"


def test_htmx_requests_have_their_own_entry(client):
    client.get(HOME)
    assert x_cache(client.get(HOME, headers={"HX-Request": "true"})) == "MISS"
    assert x_cache(client.get(HOME, headers={"HX-Request": "true"})) == "HIT"
    assert x_cache(client.get(HOME)) == "HIT"


# The test's transaction never commits, but the tables' triggers change the version inside it,
# which this connection sees (tests/test_directory_version.py shows other connections do not).


def test_publishing_an_example_shows_it_at_once(client):
    example = Example.objects.create(
        title="Une ressourcerie coopérative à Lens", slug="ressourcerie-lens"
    )
    client.get(HOME)
    assert "ressourcerie coopérative" not in client.get(HOME).content.decode()

    example.status = ExampleStatus.PUBLIE
    example.save()
    response = client.get(HOME)
    assert x_cache(response) == "MISS"
    assert "Une ressourcerie coopérative à Lens" in response.content.decode()


def test_editing_then_archiving_an_example_updates_the_page(client):
    example = Example.objects.create(
        title="Un garage solidaire à Vierzon",
        slug="garage-vierzon",
        status=ExampleStatus.PUBLIE,
    )
    assert "Un garage solidaire à Vierzon" in client.get(HOME).content.decode()

    example.title = "Un garage solidaire et un atelier vélo à Vierzon"
    example.save()
    assert "un atelier vélo à Vierzon" in client.get(HOME).content.decode()
    assert x_cache(client.get(HOME)) == "HIT"

    example.status = ExampleStatus.ARCHIVE
    example.save()
    response = client.get(HOME)
    assert x_cache(response) == "MISS"
    assert "Vierzon" not in response.content.decode()


def test_renaming_a_category_updates_the_home_page(client):
    client.get(HOME)
    category = Category.objects.get(slug="mecenat")
    category.name = "Mécénat et dons"
    category.save()
    assert "Mécénat et dons" in client.get(HOME).content.decode()


def test_a_bulk_update_or_raw_sql_updates_the_page_without_any_signal(client):
    client.get(HOME)
    Category.objects.filter(slug="mecenat").update(name="Mécénat d’entreprise")
    assert "Mécénat d’entreprise" in client.get(HOME).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE examples_category SET name = 'Le mécénat' WHERE slug = 'mecenat'")
    response = client.get(HOME)
    assert x_cache(response) == "MISS"
    assert "Le mécénat" in response.content.decode()


@pytest.mark.parametrize(
    "get_row",
    [
        lambda: Category.objects.first(),
        lambda: Function.objects.first(),
        lambda: Territory.objects.first(),
        lambda: Partner.objects.first(),
        lambda: Theme.objects.first(),
        lambda: Departement.objects.first(),
    ],
    ids=["category", "function", "territory", "partner", "theme", "departement"],
)
def test_saving_or_deleting_related_content_invalidates(get_row):
    row = get_row()
    before = page_cache.current_generation()
    row.save()
    after_save = page_cache.current_generation()
    assert after_save > before
    if isinstance(row, Partner | Theme):
        row.delete()
        assert page_cache.current_generation() > after_save


def test_changing_an_example_relation_invalidates():
    example = Example.objects.published().first()
    before = page_cache.current_generation()
    example.themes.add(Theme.objects.first())
    assert page_cache.current_generation() > before


def test_a_request_reads_the_version_once_for_the_page_and_the_directory_index(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/exemples/")
    reads = [query for query in queries if directory_version.READ_SQL in query["sql"]]
    assert len(reads) == 1


def test_staff_pages_are_never_cached(client):
    staff = User.objects.create_user("equipe", password="motdepasse-solide-42", is_staff=True)
    client.force_login(staff)
    for _ in range(2):
        assert x_cache(client.get(HOME)) == "BYPASS"
        admin = client.get(reverse("admin:index"))
        assert admin.status_code == 200
        assert x_cache(admin) == "BYPASS"


def test_a_visitor_with_a_session_cookie_is_not_served_from_the_cache(client):
    client.get(HOME)
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "une-session"
    assert x_cache(client.get(HOME)) == "BYPASS"


def test_a_visitor_with_a_flash_message_waiting_is_not_served_from_the_cache(client):
    client.get(HOME)
    client.cookies["messages"] = "merci-pour-votre-proposition"
    assert x_cache(client.get(HOME)) == "BYPASS"


def test_the_csrf_cookie_alone_keeps_the_cache(client):
    client.get(HOME)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = "a" * 32
    assert x_cache(client.get(HOME)) == "HIT"


@pytest.mark.parametrize("path", ["/admin/login/", "/proposer/", "/sante/", "/admin/inconnu/"])
def test_form_health_and_admin_paths_are_never_cached(client, path):
    for _ in range(2):
        assert x_cache(client.get(path)) == "BYPASS"


def test_post_requests_bypass_the_cache(client):
    client.get(HOME)
    assert x_cache(client.post(HOME)) == "BYPASS"


@pytest.mark.urls("tests.page_cache_urls")
@pytest.mark.parametrize(
    "path",
    [
        "/essai/formulaire/",
        "/essai/prive/",
        "/essai/cookie/",
        "/essai/nonce/",
        "/essai/nonce-en-tete/",
        "/essai/vary-encodage/",
        "/essai/flux/",
        "/essai/gros/",
        "/essai/introuvable/",
    ],
)
def test_responses_that_must_not_be_shared_are_not_stored(client, settings, path):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    ]
    settings.SECURE_CSP = {"script-src": ["'self'", "'nonce'"]}
    settings.PAGE_CACHE_MAX_BYTES = 10_000
    first = client.get(path)
    client.cookies.clear()  # a new visitor
    second = client.get(path)
    assert x_cache(second) == "MISS"
    if not first.streaming:
        assert second.content != first.content or first.status_code == 404


@pytest.mark.urls("tests.page_cache_urls")
def test_a_page_varying_on_htmx_is_stored(client):
    first = client.get("/essai/vary-htmx/")
    second = client.get("/essai/vary-htmx/")
    assert x_cache(second) == "HIT"
    assert second.content == first.content


@pytest.mark.urls("tests.page_cache_urls")
def test_a_page_is_stored_again_after_any_write_to_the_directory(client):
    first = client.get("/essai/frais/")
    assert client.get("/essai/frais/").content == first.content
    with connection.cursor() as cursor:
        cursor.execute("UPDATE territories_region SET name = name WHERE FALSE")
    refreshed = client.get("/essai/frais/")
    assert x_cache(refreshed) == "MISS"
    assert refreshed.content != first.content


def test_turned_off_with_zero_seconds(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(HOME)
    assert x_cache(client.get(HOME)) is None


def test_a_failing_redis_does_not_break_pages(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Redis est injoignable")

    monkeypatch.setattr(page_cache.cache, "get", unreachable)
    response = client.get(HOME)
    assert response.status_code == 200
    assert x_cache(response) is None


def test_an_unreachable_database_answers_503_at_once(client, monkeypatch):
    def unreachable():
        raise OperationalError("PostgreSQL est injoignable")

    monkeypatch.setattr(page_cache.directory_version, "read", unreachable)
    response = client.get(HOME)
    assert response.status_code == 503
    assert response["Retry-After"]


def test_pages_are_sent_compressed_to_clients_that_accept_it(client):
    plain = client.get(HOME)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    cache.clear()
    accepting = {"Accept-Encoding": "gzip, deflate, br"}
    miss, hit = client.get(HOME, headers=accepting), client.get(HOME, headers=accepting)
    for response, expected in ((miss, "MISS"), (hit, "HIT")):
        assert x_cache(response) == expected
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert gzip.decompress(response.content) == plain.content


def test_a_page_holding_a_csrf_token_is_never_compressed(client):
    """Compressing a secret beside text a visitor controls would leak it (BREACH): the
    proposal form, which holds a CSRF token, is never stored, hence never compressed."""
    response = client.get("/proposer/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"csrfmiddlewaretoken" in response.content
