"""Two app servers behind one load balancer: an edit made through one is seen on the other.

Two real gunicorn processes share a real PostgreSQL database (created, migrated and loaded with
the fiche here, then dropped: the servers cannot see the test's uncommitted transaction), each
with two workers keeping their own page cache in memory, or one worker each and one shared Redis
(skipped without Redis). The servers run with DEBUG=1 only so that they need no
collectstatic; the page cache does not depend on it.

Redis keys live under a key prefix unique to the run and are deleted at the end, rather than
flushing the database number: two runs of the suite at once must not wipe each other's keys.
"""

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.request import HTTPCookieProcessor, Request, build_opener, urlopen

import dj_database_url
import psycopg
import pytest
import redis
from django.conf import settings
from psycopg import sql

from examples.management.commands.ensure_database import connection_kwargs

REDIS_URL = os.environ.get("MULTI_INSTANCE_REDIS_URL", "redis://127.0.0.1:6379/13")
BASE_DIR = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"
STAFF_PASSWORD = "instances-multiples-2026"
PREPARE_DATABASE = f"""
from django.contrib.auth.models import User
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_fiche", verbosity=0)
User.objects.create_superuser("equipe", "equipe@example.org", "{STAFF_PASSWORD}")
"""


@pytest.fixture
def shared_redis() -> Iterator[tuple[str, str]]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis injoignable à {REDIS_URL} ({error}) : lancez redis-server.")
    prefix = f"multi-{uuid.uuid4().hex}"
    yield REDIS_URL, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def shared_database() -> Iterator[str]:
    """A real database for the servers, named after this helper's own and the xdist worker."""
    base_url = os.environ.get("DATABASE_URL", "postgres:///faire_alliance")
    config = dj_database_url.parse(base_url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{config['NAME']}_multi_{worker}"
    admin = connection_kwargs(config, "postgres")
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urllib.parse.urlsplit(base_url)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def app_servers(env: dict[str, str], logs: list[Path]) -> Iterator[list[str]]:
    """Start one gunicorn per log file, all booting at once; stop them all at the end."""
    started: list[tuple[subprocess.Popen, str, Path]] = []
    try:
        for log in logs:
            port = free_port()
            with open(log, "wb") as output:
                process = subprocess.Popen(
                    [str(GUNICORN), "-c", "config/gunicorn.py"],
                    cwd=BASE_DIR,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started.append((process, f"http://127.0.0.1:{port}", log))
        for process, base, log in started:
            wait_until_ready(process, base, log)
        yield [base for _, base, _ in started]
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_ready(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            pytest.fail(f"gunicorn s'est arrêté :\n{log.read_text()}")
        try:
            # The socket is bound before the worker is up: a connection may wait in the backlog.
            with urlopen(f"{base}/sante/", timeout=10):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn ne répond pas :\n{log.read_text()}")
            time.sleep(0.05)


class FormFields(HTMLParser):
    """The values a browser would submit for the admin's change form."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.in_form = attributes.get("id") == self.form_id
        if not self.in_form or "name" not in attributes and tag != "option":
            return
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((attributes["name"], attributes.get("value", "on")))
                return
            self.fields.append((attributes["name"], attributes.get("value", "")))
        elif tag == "select":
            self.select = attributes["name"]
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields.append((self.select, attributes.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = attributes["name"], []

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def get(url: str, opener=None) -> tuple[str, str | None]:
    with (opener.open if opener else urlopen)(url, timeout=10) as response:
        return response.read().decode(), response.headers.get("X-Cache")


def edit_title_through_admin(base: str, example_id: int, new_title: str) -> None:
    """Log in to the admin of one server and save the example's change form."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    login_page, _ = get(f"{base}/admin/login/", opener)
    login = dict(form_fields(login_page, "login-form"))
    login.update(username="equipe", password=STAFF_PASSWORD)
    opener.open(Request(f"{base}/admin/login/", urllib.parse.urlencode(login).encode()))

    change_url = f"{base}/admin/examples/example/{example_id}/change/"
    change_page, _ = get(change_url, opener)
    fields = [(k, v) for k, v in form_fields(change_page, "example_form") if k != "title"]
    assert fields, "Formulaire de modification introuvable (connexion refusée ?)"
    body = urllib.parse.urlencode([*fields, ("title", new_title), ("_save", "Enregistrer")])
    with opener.open(Request(change_url, body.encode()), timeout=10) as response:
        landed = response.geturl()
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.read().decode())
    assert landed.endswith("/admin/examples/example/"), f"Enregistrement refusé : {errors}"


@pytest.fixture(params=["memoire-locale", "redis"])
def page_cache_env(request) -> dict[str, str]:
    """Each worker's own page cache in memory (two workers per server), or one Redis."""
    if request.param == "redis":
        redis_url, prefix = request.getfixturevalue("shared_redis")
        return {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix, "WEB_CONCURRENCY": "1"}
    return {"WEB_CONCURRENCY": "2"}


def test_an_edit_on_one_server_is_seen_on_the_other(shared_database, page_cache_env, tmp_path):
    """Pages are keyed by PostgreSQL's version of the directory (examples/directory_version.py):
    an edit through the admin of one server, then a raw SQL UPDATE, are on every page of every
    worker of the other server within 2 s, with or without Redis."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_KEY_PREFIX"}
    }
    env.update(
        {
            "DATABASE_URL": shared_database,
            "PAGE_CACHE_SECONDS": "300",
            "DIRECTORY_INDEX_IN_BACKGROUND": "1",
            "DEBUG": "1",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "GUNICORN_THREADS": "2",
            "DB_POOL_MIN_SIZE": "1",
            **page_cache_env,
        }
    )
    shared_cache = "REDIS_URL" in env
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PREPARE_DATABASE],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    with psycopg.connect(shared_database) as conn:
        example_id, old_title = conn.execute(
            "SELECT id, title FROM examples_example WHERE status = 'publie' "
            "ORDER BY published_at DESC, id DESC LIMIT 1"
        ).fetchone()
    new_title = f"{old_title} — titre revu par l’équipe"
    sql_title = f"{old_title} — titre changé en SQL"

    def pages(base: str) -> list[tuple[str, str | None]]:
        # Enough requests to reach each worker of the server (each caches apart without Redis).
        return [get(f"{base}/") for _ in range(8)]

    def everywhere_within(base: str, title: str, timeout: float = 5) -> float:
        """Seconds until `pages(base)` all show the title, every worker of the server."""
        started = time.monotonic()
        while not all(html.escape(title) in page for page, _ in pages(base)):
            assert time.monotonic() - started < timeout, f"{title!r} not seen on {base}"
            time.sleep(0.05)
        return time.monotonic() - started

    with app_servers(env, [tmp_path / "a.log", tmp_path / "b.log"]) as (server_a, server_b):
        page, cache_status = get(f"{server_b}/")
        assert cache_status == "MISS"
        seen = pages(server_b)
        for page, _ in seen:
            assert html.escape(old_title) in page
            assert html.escape(new_title) not in page
        if shared_cache:
            assert {cache_status for _, cache_status in seen} == {"HIT"}

        edit_title_through_admin(server_a, example_id, new_title)
        # Each worker's refresh thread reads the directory's version every half second.
        seen_after = everywhere_within(server_b, new_title)
        assert seen_after < 2
        seen = pages(server_b)
        assert "HIT" in {cache_status for _, cache_status in seen}

        # A writer with no Django at all: seen by every worker of both servers within 2 s.
        with psycopg.connect(shared_database, autocommit=True) as conn:
            conn.execute(
                "UPDATE examples_example SET title = %s WHERE id = %s", [sql_title, example_id]
            )
        for base in (server_b, server_a):
            assert everywhere_within(base, sql_title) < 2
