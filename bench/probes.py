"""Two figures wrk cannot give: how long a fresh server takes to reach full speed, and how long
an edit takes to reach every worker.

Full speed (`full_speed`): from gunicorn's launch, as many clients as workers send searches,
many different ones, each on a connection of its own (so that any worker may take it) and with a
cookie that keeps the page cache out of the way; gunicorn's access log says which worker
answered each. The *steady p50* is the median latency of the searches answered in the last
third of the probe; a worker is at full speed once it has answered a search in under twice
that. The server is at full speed when it has answered a search with a 200 and every worker is
at full speed. The probe lasts until that moment falls within its first third (so that its last
third is steady), at least `min_seconds` and at most `max_seconds`.

Edit propagation (`poll_until_fresh`): once an edit is committed, several connections poll the
pages that show it; the edit has reached every worker when `n` consecutive responses show it.
"""

import http.client
import itertools
import os
import re
import signal
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bench.server import Server, probe_pids

PROBE_HEADER = "X-Bench-Probe"
# Any cookie but the CSRF one: the page cache passes the request by (X-Cache: BYPASS).
PROBE_COOKIE = "bench_probe=1"
FAST = 2  # a worker is at full speed below FAST × the steady p50


@dataclass
class Sample:
    done_s: float  # since the server's launch
    status: int
    latency_ms: float
    probe_id: str
    pid: int | None = None


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET on a connection of its own."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    try:
        connection.request("GET", path, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def full_speed(samples: list[Sample], workers: Iterable[int], window_s: float) -> dict:
    """The rule of the module's docstring, on the probe's samples so far (pure)."""
    ok = [s for s in samples if s.status == 200]
    result: dict[str, Any] = {
        "first_200_s": round(min(s.done_s for s in ok), 2) if ok else None,
        "steady_p50_ms": None,
        "full_speed_s": None,
        "per_worker_s": {},
        "requests": len(samples),
    }
    steady = [s.latency_ms for s in ok if s.done_s >= window_s * 2 / 3]
    if result["first_200_s"] is None or len(steady) < 3:
        return result
    result["steady_p50_ms"] = round(statistics.median(steady), 1)
    limit = FAST * result["steady_p50_ms"]
    per_worker = {}
    for pid in workers:
        fast = [s.done_s for s in ok if s.pid == pid and s.latency_ms < limit]
        per_worker[str(pid)] = round(min(fast), 2) if fast else None
    result["per_worker_s"] = per_worker
    if per_worker and None not in per_worker.values():
        result["full_speed_s"] = round(max(result["first_200_s"], *per_worker.values()), 2)
    return result


class ProbeClients:
    """`clients` threads sending searches, each on a connection of its own, recording samples
    timed from `origin` (a time.monotonic() value)."""

    def __init__(self, server: Server, paths: list[str], clients: int, origin: float):
        self.server, self.paths, self.origin = server, paths, origin
        self.token = f"{server.process.pid}-{time.monotonic_ns()}"
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.counter = itertools.count()
        self.threads = [threading.Thread(target=self.client, daemon=True) for _ in range(clients)]

    def client(self) -> None:
        while not self.stop.is_set():
            n = next(self.counter)
            probe_id = f"{self.token}-{n}"
            sent = time.monotonic()
            try:
                status, _ = fetch(
                    self.server.base,
                    self.paths[n % len(self.paths)],
                    {"Cookie": PROBE_COOKIE, PROBE_HEADER: probe_id},
                )
            except OSError:
                time.sleep(0.05)  # not listening yet
                continue
            done = time.monotonic()
            with self.lock:
                self.samples.append(
                    Sample(done - self.origin, status, (done - sent) * 1000, probe_id)
                )

    def __enter__(self) -> "ProbeClients":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def startup_probe(
    server: Server,
    paths: list[str],
    *,
    clients: int,
    min_seconds: float = 6,
    max_seconds: float = 90,
) -> dict:
    with ProbeClients(server, paths, clients, server.started) as probe:
        while True:
            time.sleep(0.5)
            server.check_running()
            elapsed = time.monotonic() - server.started
            result = evaluate(server, probe.samples, probe.lock, elapsed)
            reached = result["full_speed_s"]
            if elapsed >= min_seconds and reached is not None and reached <= elapsed / 3:
                break
            if elapsed >= max_seconds:
                break
    result = evaluate(server, probe.samples, probe.lock, time.monotonic() - server.started)
    result["probe_s"] = round(time.monotonic() - server.started, 1)
    if result["first_200_s"] is None:
        raise RuntimeError(f"gunicorn n'a répondu à aucune recherche, voir {server.log_path}")
    return result


def replaced_worker_probe(
    server: Server, paths: list[str], *, clients: int, steady_p50_ms: float, max_seconds=30
) -> dict:
    """A worker replaced as recycling replaces it: SIGTERM to one worker, which finishes its
    requests and exits while gunicorn forks a new one. Timed from the signal: when the new
    worker exists, and when it first answers a search in under FAST × the server's steady
    p50 (from its start-up probe)."""
    before = set(server.workers())
    signalled = time.monotonic()
    os.kill(min(before), signal.SIGTERM)
    result: dict = {"forked_s": None, "full_speed_s": None, "steady_p50_ms": steady_p50_ms}
    with ProbeClients(server, paths, clients, signalled) as probe:
        while time.monotonic() - signalled < max_seconds:
            time.sleep(0.1)
            server.check_running()
            new = set(server.workers()) - before
            if not new:
                continue
            if result["forked_s"] is None:
                result["forked_s"] = round(time.monotonic() - signalled, 2)
            answered_by = probe_pids(server.access_log_since_start())
            with probe.lock:
                fast = [
                    sample.done_s
                    for sample in probe.samples
                    if sample.status == 200
                    and answered_by.get(sample.probe_id) in new
                    and sample.latency_ms < FAST * steady_p50_ms
                ]
            if fast:
                result["full_speed_s"] = round(min(fast), 2)
                break
    return result


def evaluate(server: Server, samples: list[Sample], lock: threading.Lock, elapsed: float) -> dict:
    answered_by = probe_pids(server.access_log_since_start())
    with lock:
        for sample in samples:
            sample.pid = answered_by.get(sample.probe_id, sample.pid)
        current = list(samples)
    return full_speed(current, server.workers(), elapsed)


def first_fresh_streak(results: Iterable[tuple[float, bool]], n: int) -> tuple[float, float] | None:
    """(start, end) times of the first run of n consecutive fresh responses, in the order they
    arrived (pure)."""
    run_start = None
    run_length = 0
    for at, fresh in results:
        if not fresh:
            run_start, run_length = None, 0
            continue
        if run_start is None:
            run_start = at
        run_length += 1
        if run_length >= n:
            return run_start, at
    return None


def poll_until_fresh(
    is_fresh: Callable[[str], bool],
    paths: list[str],
    *,
    n: int,
    connections: int,
    timeout_s: float,
    started: float,
    clock: Callable[[], float] = time.monotonic,
) -> dict:
    """Poll `paths` in turn over `connections` threads until n consecutive responses are fresh
    (is_fresh(path) says whether a response shows the edit; an error counts as stale)."""
    results: list[tuple[float, bool]] = []
    lock = threading.Lock()
    done = threading.Event()
    counter = itertools.count()

    def poll() -> None:
        while not done.is_set():
            path = paths[next(counter) % len(paths)]
            try:
                fresh = is_fresh(path)
            except OSError:
                fresh = False
            at = clock() - started
            with lock:
                results.append((at, fresh))
                if first_fresh_streak(results[-n:], n) or at > timeout_s:
                    done.set()

    threads = [threading.Thread(target=poll, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    streak = first_fresh_streak(results, n)
    return {
        "visible_everywhere_s": round(streak[0], 2) if streak else None,
        "confirmed_s": round(streak[1], 2) if streak else None,
        "timeout_s": timeout_s,
        "consecutive": n,
        "connections": connections,
        "requests": len(results),
        "stale_responses": sum(not fresh for _, fresh in results),
    }


EXAMPLE_LINK = re.compile(r'href="/exemples/([a-z0-9-]+)/"')


def example_slugs(list_page: str) -> list[str]:
    """The examples a list page links to, in its order."""
    return list(dict.fromkeys(EXAMPLE_LINK.findall(list_page)))


def edit_propagation(
    server: Server, database_url: str, *, workers: int, connections: int, timeout_s: float
) -> dict:
    """Rename an example of the list's first page through SQL, behind the app's back, and time
    until its page and the list show the new title on every worker; then restore it."""
    from bench.database import published_title, set_title

    _, body = fetch(server.base, "/exemples/")
    slug = title = None
    for slug in example_slugs(body.decode(errors="replace")):
        title = published_title(database_url, slug)
        if title:
            break
    if not (slug and title):
        raise RuntimeError("aucun exemple publié sur la première page de la liste")
    paths = [f"/exemples/{slug}/", "/exemples/"]
    # Every worker first holds both pages in its page cache (or in Redis), as a busy server would.
    for _ in range(4 * workers):
        for path in paths:
            fetch(server.base, path)
    marker = f"Banc {time.monotonic_ns() % 10**8:08d}"
    # Appended, not substituted: the example keeps its place in the title order, so it stays on
    # the list's first page once every worker's index has caught up with the edit.
    set_title(database_url, slug, f"{title} {marker}")
    try:
        result = poll_until_fresh(
            lambda path: marker.encode() in fetch(server.base, path)[1],
            paths,
            n=4 * workers,
            connections=connections,
            timeout_s=timeout_s,
            started=time.monotonic(),
        )
    finally:
        set_title(database_url, slug, title)
    return {"example": slug, "pages": paths, **result}
