import gc
import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template import engines

from examples.directory_refresh import keeper
from territories.map import departement_outlines

CONFIG = Path(django_settings.BASE_DIR) / "config" / "gunicorn.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"
VARIABLES = [
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_CONTROL_SOCKET",
    "GUNICORN_ACCESS_LOG",
    "GUNICORN_PRELOAD",
]


@pytest.fixture
def load_config(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def load(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONFIG))

    return load


def test_defaults_suit_a_small_server(load_config):
    config = load_config()
    assert config["wsgi_app"] == "config.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["worker_class"] == "gthread"
    assert 2 <= config["workers"] <= 9
    assert config["threads"] == 4
    assert config["timeout"] == 30
    assert config["graceful_timeout"] == 30
    assert config["keepalive"] == 5
    assert config["max_requests"] == 5000
    assert config["max_requests_jitter"] == 2500
    assert config["preload_app"] is True
    assert config["accesslog"] == "-"
    assert config["control_socket_disable"] is True
    if Path("/dev/shm").is_dir():
        assert config["worker_tmp_dir"] == "/dev/shm"


def test_values_come_from_the_environment(load_config):
    config = load_config(
        GUNICORN_BIND="0.0.0.0:9000, unix:/run/fa.sock",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="6",
        GUNICORN_MAX_REQUESTS="1000",
        GUNICORN_CONTROL_SOCKET="/run/fa.ctl",
    )
    assert config["bind"] == ["0.0.0.0:9000", "unix:/run/fa.sock"]
    assert (config["workers"], config["threads"]) == (3, 6)
    assert (config["max_requests"], config["max_requests_jitter"]) == (1000, 500)
    assert config["control_socket_disable"] is False
    assert config["control_socket"] == "/run/fa.ctl"


def test_a_bad_number_is_a_clear_error(load_config):
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY must be an integer"):
        load_config(WEB_CONCURRENCY="beaucoup")


def fake_server(workers: int, threads: int):
    warnings = []
    log = SimpleNamespace(warning=lambda message, *args: warnings.append(message % args))
    return SimpleNamespace(cfg=SimpleNamespace(workers=workers, threads=threads), log=log), warnings


def test_pool_smaller_than_threads_refuses_to_start(load_config):
    check_pool_size = load_config()["check_pool_size"]
    pooled = SimpleNamespace(DATABASES={"default": {"OPTIONS": {"pool": {"max_size": 4}}}})
    with pytest.raises(SystemExit, match=r"DB_POOL_MAX_SIZE \(4\) is smaller than"):
        check_pool_size(pooled, 8)
    check_pool_size(pooled, 4)


def test_the_configured_pool_is_large_enough_for_the_default_threads(load_config):
    config = load_config()
    server, _ = fake_server(workers=1, threads=config["threads"])
    config["on_starting"](server)


def test_several_workers_each_with_its_own_page_cache_need_no_warning(load_config, settings):
    """Pages are keyed by PostgreSQL's version of the directory, which every worker reads: a
    page cache in each worker's memory is never stale (tests/test_multi_instance.py)."""
    config = load_config()
    settings.PAGE_CACHE_SECONDS = 300
    server, warnings = fake_server(workers=3, threads=2)
    config["on_starting"](server)
    assert warnings == []


@pytest.mark.django_db
@pytest.mark.parametrize("preload", [True, False])
def test_the_index_is_built_before_the_first_request(load_config, monkeypatch, preload):
    """With preload_app the master builds it once, before forking the workers; without, each
    worker does before it takes a request. Either way the worker then follows the directory's
    version in the background."""
    keeper.index = None
    departement_outlines.cache_clear()
    # The master hands its connection back; the test's transaction must stay open.
    monkeypatch.setattr(connection, "close", lambda: None)
    monkeypatch.setattr(connection, "close_pool", lambda: None)
    started = []
    monkeypatch.setattr(keeper, "start_thread", lambda: started.append(True))
    logged = []
    log = SimpleNamespace(info=lambda message, *args: logged.append(message % args))
    cfg = SimpleNamespace(preload_app=preload)
    config = load_config()
    try:
        config["when_ready"](SimpleNamespace(cfg=cfg, log=log))
        assert (keeper.index is not None) is preload
        config["post_worker_init"](SimpleNamespace(cfg=cfg, log=log))
        index = keeper.index
        assert index is not None
        assert departement_outlines.cache_info().currsize == 1
        assert logged == [
            f"{config['INDEX_READY']}: directory index of {index.size} examples built in "
            + logged[0].rsplit(" in ", 1)[1]
        ]
        assert started == [True]
    finally:
        keeper.index = None
        gc.unfreeze()


def test_gunicorn_accepts_the_configuration(tmp_path):
    # The master loads the app (preload_app), which needs collected static files with DEBUG off
    # (config/wsgi.py); the admin's are not needed to start.
    env = {**os.environ, "STATIC_ROOT": str(tmp_path / "static")}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0", "--ignore=admin"],
        cwd=django_settings.BASE_DIR,
        env=env,
        check=True,
    )
    result = subprocess.run(
        [str(GUNICORN), "--check-config", "-c", str(CONFIG)],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_a_worker_compiles_every_project_template_before_its_first_request(load_config):
    (loader,) = engines["django"].engine.template_loaders
    loader.reset()
    load_config()["prepare_first_requests"]()
    compiled = set(loader.get_template_cache)
    templates = Path(django_settings.BASE_DIR) / "templates"
    expected = {path.relative_to(templates).as_posix() for path in templates.rglob("*.html")}
    assert {"examples/home.html", "examples/list.html", "examples/_card.html"} <= expected
    assert expected <= compiled
