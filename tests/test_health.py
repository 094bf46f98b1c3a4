"""`/sante/`, the health endpoint load balancers poll.

The database-down case runs against a real stopped PostgreSQL in test_database_down.py.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_process_reports_ok(client, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        response = client.get(reverse("health"))
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_health_is_never_cached(client):
    cache_control = client.get("/sante/")["Cache-Control"]
    assert "no-store" in cache_control
    assert "max-age=0" in cache_control


def test_head_is_answered_for_cheap_probes(client):
    assert client.head("/sante/").status_code == 200


def test_health_refuses_writes(client):
    assert client.post("/sante/").status_code == 405


def test_broken_cache_makes_the_process_unhealthy(client, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", unreachable)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}
    assert "Health check: cache unreachable" in caplog.text


def test_health_leaves_no_key_in_the_cache(client):
    client.get("/sante/")
    assert not [key for key in cache._cache if "health-check" in key]
