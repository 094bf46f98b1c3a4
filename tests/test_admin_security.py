"""The admin login resists brute force (django-axes) and no staff page is ever cached."""

import pytest
from django.urls import reverse

from tests.curation import PASSWORD, make_example

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def log_in(client, username: str, password: str, **meta):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        **meta,
    )


def test_staff_log_in_through_the_admin_form(client, moderator):
    response = log_in(client, "moderateur", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_wrong_password_is_refused_in_french(client, moderator):
    response = log_in(client, "moderateur", "mauvais mot de passe")
    assert response.status_code == 200
    assert "Veuillez compléter correctement les champs" in response.content.decode()


@pytest.mark.parametrize("header", ["not-an-address", "198.51.100.1, 203.0.113.5", ""])
def test_a_forged_proxy_header_does_not_break_the_login(client, moderator, settings, header):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    response = log_in(client, "moderateur", "mauvais mot de passe", HTTP_X_REAL_IP=header)
    assert response.status_code == 200
    assert "Veuillez compléter correctement les champs" in response.content.decode()
    assert log_in(client, "moderateur", PASSWORD, HTTP_X_REAL_IP=header).status_code == 302


def test_repeated_failures_lock_the_login_out(client, moderator, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "moderateur", "mauvais mot de passe").status_code == 200
    response = log_in(client, "moderateur", "mauvais mot de passe")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives de connexion ont échoué (5 de suite)" in html
    assert "bloquée pendant 30&nbsp;minutes" in html
    assert "no-store" in response["Cache-Control"]
    assert response["Retry-After"] == "1800"
    # Even the right password is refused while locked out…
    assert log_in(client, "moderateur", PASSWORD).status_code == 429
    # …from this address; the same account from elsewhere is not locked.
    elsewhere = log_in(client, "moderateur", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302


def test_success_resets_the_failure_count(client, moderator, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "moderateur", "mauvais mot de passe")
    assert log_in(client, "moderateur", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "moderateur", "mauvais mot de passe").status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:examples_example_changelist",
        "admin:examples_example_add",
        "admin:examples_example_import",
        "admin:examples_example_export",
        "admin:examples_exampleawaitingmoderation_changelist",
    ],
)
def test_staff_pages_are_never_cached(client, moderator, url_name):
    client.force_login(moderator)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_change_and_history_pages_are_never_cached(client, moderator):
    example = make_example()
    client.force_login(moderator)
    for url_name in ["admin:examples_example_change", "admin:examples_example_history"]:
        response = client.get(reverse(url_name, args=[example.pk]))
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_login_page_is_never_cached(client):
    assert "no-store" in client.get(LOGIN)["Cache-Control"]
