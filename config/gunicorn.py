"""gunicorn settings: `gunicorn -c config/gunicorn.py` serves config.wsgi.

Every value comes from the environment, with defaults for a small server (2 cores):

| variable | default | role |
| --- | --- | --- |
| GUNICORN_BIND | 127.0.0.1:8000 | address(es) to listen on, comma-separated |
| WEB_CONCURRENCY | cores + 1 | worker processes |
| GUNICORN_THREADS | 4 | threads per worker (gthread); each holds at most one database connection |
| GUNICORN_TIMEOUT | 30 | seconds before a silent worker is killed and replaced |
| GUNICORN_GRACEFUL_TIMEOUT | 30 | seconds a worker gets to finish its requests on restart |
| GUNICORN_KEEPALIVE | 5 | seconds an idle keep-alive connection stays open |
| GUNICORN_MAX_REQUESTS | 5000 | requests before a worker is recycled (0: never) |
| GUNICORN_MAX_REQUESTS_JITTER | half of it | spreads the recycling of the workers |
| GUNICORN_PRELOAD | 1 | the master loads and warms the app, then forks the workers |
| GUNICORN_ACCESS_LOG | - (stdout) | access log file |
| GUNICORN_CONTROL_SOCKET | none | path of gunicornc's control socket; off when unset |

The database pool is per process and every thread may hold a connection: starting refuses a
DB_POOL_MAX_SIZE smaller than GUNICORN_THREADS. PostgreSQL then needs up to
WEB_CONCURRENCY × DB_POOL_MAX_SIZE connections per app server.
"""

import ctypes
import gc
import os
from pathlib import Path

from config.env import env_bool, env_int

# Logged by each worker once its indexes are built: `make bench` waits for every worker's.
INDEX_READY = "Indexes ready"


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


wsgi_app = "config.wsgi:application"
proc_name = "faire-alliance"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]

# Threads overlap the waits on PostgreSQL and Redis; processes use the cores.
worker_class = "gthread"
workers = env_int("WEB_CONCURRENCY", available_cores() + 1)
threads = env_int("GUNICORN_THREADS", 4)

timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)

# Recycling workers bounds the memory a slow leak could take.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000)
# Wide enough that workers started together are rarely recycled together.
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"

# The heartbeat file is touched constantly: on a disk-backed /tmp that can block a worker.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# gunicorn 25+ opens a control socket at one fixed path per user, which a second instance on the
# same machine would take over.
control_socket_disable = "GUNICORN_CONTROL_SOCKET" not in os.environ
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


def on_starting(server) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    # No warning for a page cache in each worker's memory: pages are keyed by PostgreSQL's
    # version of the directory (examples/directory_version.py), which every worker reads.
    check_pool_size(settings, server.cfg.threads)


def check_pool_size(settings, threads: int) -> None:
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    if isinstance(pool, dict) and pool.get("max_size", threads) < threads:
        raise SystemExit(
            f"DB_POOL_MAX_SIZE ({pool['max_size']}) is smaller than GUNICORN_THREADS ({threads}): "
            "threads would wait for a database connection. Raise DB_POOL_MAX_SIZE."
        )


def prepare_first_requests() -> None:
    """Import the URL and view modules and compile the project's templates, as the first
    requests of a fresh worker would otherwise do (each several times slower than the next)."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property imports every URL module)
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            get_template(path.relative_to(directory).as_posix())


def warm_up(log) -> None:
    """Build what every request needs (templates, the map's outlines, the directory index)
    before any request comes. With preload_app the master does it once and the workers it
    forks inherit it; otherwise each worker does it before it takes its first request."""
    import time

    from django.db import DatabaseError, connection

    from examples.directory_refresh import keeper
    from territories.map import departement_outlines

    started = time.perf_counter()
    prepare_first_requests()
    departement_outlines()
    try:
        index = keeper.warm()
    except DatabaseError:
        log.warning("Directory index not built at start: the first page will build it")
        return
    finally:
        # A forked worker must not share the master's connections or its pool's threads.
        if hasattr(connection, "close_pool"):
            connection.close_pool()
        connection.close()
    log.info(
        "%s: directory index of %s examples built in %.1f s",
        INDEX_READY,
        index.size,
        time.perf_counter() - started,
    )


def limit_heap_growth() -> None:
    """Have glibc's malloc give large blocks back to the system when they are freed, and keep
    few arenas. By default it raises its mmap threshold after the first large free, so that
    the temporary buffers of each index rebuild, and the threads' arenas, stay in the
    process for good: a worker's memory then grows with every rebuild. Elsewhere than glibc,
    nothing to do."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_mmap_threshold, m_arena_max = -3, -8  # from glibc's malloc.h
    libc.mallopt(m_mmap_threshold, 128 * 1024)
    libc.mallopt(m_arena_max, 2)


limit_heap_growth()

# The master loads the application and warms it before forking the workers: a new worker, at
# start or when recycled, serves at full speed at once, and shares the master's memory pages
# (the index's arrays, the compiled templates) until it writes to them.
preload_app = env_bool("GUNICORN_PRELOAD", True)


def when_ready(server) -> None:
    if not server.cfg.preload_app:
        return
    warm_up(server.log)
    # Objects made so far live as long as the master: keeping them out of the collector's scans
    # spares the workers from touching, hence copying, the pages that hold them.
    gc.freeze()


def post_worker_init(worker) -> None:
    """Without preload_app, warm the worker up before its first request. Either way, start
    the thread that keeps its directory index current (examples/directory_refresh.py)."""
    from examples.directory_refresh import keeper

    if not worker.cfg.preload_app:
        warm_up(worker.log)
    keeper.start_thread()
