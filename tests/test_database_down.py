"""PostgreSQL goes away and comes back under a running production server.

The test starts a PostgreSQL cluster of its own and a gunicorn serving the project against it,
stops the cluster, checks that pages answer a quick French 503 and `/sante/` reports the
database down, starts the cluster again and checks that the same worker process serves again.
"""

import contextlib
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

INITDB = shutil.which("initdb")
PG_CTL = shutil.which("pg_ctl")
RUNNING_AS_ROOT = os.geteuid() == 0

# The pool waits DB_POOL_TIMEOUT (3 s by default) for a connection before giving up.
FAILURE_DEADLINE_SECONDS = 6
# Longer than DB_POOL_RECONNECT_TIMEOUT (10 s by default): the pool has given up retrying on
# its own by the time PostgreSQL comes back, and must still recover.
OUTAGE_SECONDS = 12
RECOVERY_DEADLINE_SECONDS = 8

pytestmark = pytest.mark.skipif(
    not (INITDB and PG_CTL),
    reason="initdb et pg_ctl introuvables dans le PATH : installez PostgreSQL (paquet postgresql).",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster on a loopback port, stopped and started at will."""

    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def run(self, *command: str) -> None:
        # PostgreSQL refuses to run as root: run it as the postgres account instead.
        prefix = ["runuser", "-u", "postgres", "--"] if RUNNING_AS_ROOT else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}{result.stderr}"

    def init(self) -> None:
        # A throwaway cluster: no need to wait for its files to reach the disk.
        options = ["--username=postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]
        self.run(INITDB, "-D", str(self.data), *options)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        log = str(self.root / "postgresql.log")
        self.run(PG_CTL, "-D", str(self.data), "-l", log, "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(PG_CTL, "-D", str(self.data), "-m", mode, "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faire_alliance_pannes"


@dataclass
class Answer:
    status: int
    body: str
    seconds: float


def get(url: str) -> Answer:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return Answer(status, body.decode(), time.monotonic() - started)


def worker_pids(master: subprocess.Popen) -> set[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text()
    return {int(pid) for pid in children.split()}


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if RUNNING_AS_ROOT:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip(
                "Compte système « postgres » absent : PostgreSQL refuse de tourner en root."
            )
    root = Path(tempfile.mkdtemp(prefix="fa-pannes-"))
    if RUNNING_AS_ROOT:
        os.chown(root, account.pw_uid, account.pw_gid)
    cluster = Cluster(root, free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        # A test that failed midway may have left it stopped, or never started.
        with contextlib.suppress(AssertionError):
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def server(cluster: Cluster, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn with the production settings (DEBUG off), migrated, static files collected."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DB_POOL_TIMEOUT"}
    }
    env = {
        **inherited,
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    manage = [sys.executable, "manage.py"]
    for command in (
        ["ensure_database"],
        ["migrate", "--no-input"],
        # The admin's static files take most of the collecting time; no admin page is served here.
        ["collectstatic", "--no-input", "--ignore=admin"],
    ):
        result = subprocess.run(
            [*manage, *command], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}{result.stderr}"

    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=4",
            # Its default control socket lives in $HOME, shared with any other gunicorn.
            "--no-control-socket",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(base_url + "/sante/").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not become healthy"
            time.sleep(0.2)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_site_answers_503_while_postgresql_is_down_and_recovers_without_restart(
    cluster: Cluster, server: tuple[str, subprocess.Popen]
):
    base_url, gunicorn = server
    assert get(base_url + "/").status == 200
    workers = worker_pids(gunicorn)

    cluster.stop()
    stopped_at = time.monotonic()

    page = get(base_url + "/")
    assert page.status == 503
    assert page.seconds < FAILURE_DEADLINE_SECONDS
    assert "<h1>Service momentanément indisponible</h1>" in page.body
    assert "ne parvient pas à joindre sa base de données" in page.body
    assert '<html lang="fr">' in page.body
    assert "Traceback" not in page.body
    assert "psycopg" not in page.body

    health = get(base_url + "/sante/")
    assert health.status == 503
    assert health.seconds < FAILURE_DEADLINE_SECONDS
    assert json.loads(health.body) == {"status": "error", "database": "error", "cache": "ok"}

    while time.monotonic() - stopped_at < OUTAGE_SECONDS:
        page = get(base_url + "/")
        assert page.status == 503
        assert page.seconds < FAILURE_DEADLINE_SECONDS

    cluster.start()

    deadline = time.monotonic() + RECOVERY_DEADLINE_SECONDS
    while (page := get(base_url + "/")).status != 200:
        assert page.status == 503
        assert time.monotonic() < deadline, "the server did not recover"
        time.sleep(0.5)
    assert "<h1" in page.body
    health = get(base_url + "/sante/")
    assert health.status == 200
    assert json.loads(health.body) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert gunicorn.poll() is None
    assert worker_pids(gunicorn) == workers
