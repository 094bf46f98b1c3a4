"""One structured log line per request; errors logged with their request's context."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from config.request_logging import JsonFormatter


def crash(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        return HttpResponse("ok")
    raise ValueError("la fiche est illisible")


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server failed: Connection refused")


urlpatterns = [
    path("essai/erreur/", crash),
    path("essai/base-indisponible/", database_gone),
    path("", include("config.urls")),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "faire_alliance.requests"]


def as_json(record: logging.LogRecord) -> dict:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_each_request_logs_one_line_with_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="faire_alliance.requests")
    client.get("/")
    client.get("/une-page-qui-n-existe-pas/?q=x")
    home, missing = request_records(caplog)
    assert (home.method, home.path, home.status) == ("GET", "/", 200)
    assert (missing.method, missing.path, missing.status) == (
        "GET",
        "/une-page-qui-n-existe-pas/",
        404,
    )
    assert home.duration_ms > 0
    assert home.getMessage().startswith("GET / 200 ")


def test_request_line_is_a_single_json_object(client, caplog):
    caplog.set_level(logging.INFO, logger="faire_alliance.requests")
    client.post("/sante/")
    line = as_json(request_records(caplog)[0])
    assert line["levelname"] == "INFO"
    assert line["name"] == "faire_alliance.requests"
    assert line["method"] == "POST"
    assert line["path"] == "/sante/"
    assert line["status"] == 405
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None


def test_redirects_before_the_view_are_logged_too(client, caplog, settings):
    caplog.set_level(logging.INFO, logger="faire_alliance.requests")
    settings.SECURE_SSL_REDIRECT = True
    client.get("/")
    assert request_records(caplog)[0].status == 301


def test_server_error_is_logged_with_its_context(caplog):
    user = get_user_model().objects.create_user("redactrice", password="x")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/essai/erreur/")
    assert response.status_code == 500

    error = next(record for record in caplog.records if record.name == "django.request")
    assert error.levelno == logging.ERROR
    line = as_json(error)
    assert line["path"] == "/essai/erreur/"
    assert line["method"] == "GET"
    assert line["status_code"] == 500
    assert line["user_id"] == user.pk
    assert line["exception"] == "ValueError: la fiche est illisible"
    assert 'raise ValueError("la fiche est illisible")' in line["exc_info"]


def test_anonymous_error_logs_no_user(caplog):
    Client(raise_request_exception=False).get("/essai/erreur/")
    error = next(record for record in caplog.records if record.name == "django.request")
    assert as_json(error)["user_id"] is None


def test_database_failure_is_logged_once_with_its_cause(caplog):
    response = Client().get("/essai/base-indisponible/")
    assert response.status_code == 503
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = as_json(errors[0])
    assert line["path"] == "/essai/base-indisponible/"
    assert line["status_code"] == 503
    assert line["exception"] == (
        "django.db.utils.OperationalError: connection to server failed: Connection refused"
    )


def test_logging_the_user_never_queries_the_database(client, django_assert_num_queries):
    # The user id comes only from a user the request already loaded.
    with django_assert_num_queries(0):
        client.get("/une-page-qui-n-existe-pas/")


def test_production_logs_are_json_lines(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["formatter"] == "json"
