"""gunicorn as production runs it (config/gunicorn.py, recycling included), serving
bench.settings; stopped whatever happens; its workers' memory read from /proc."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SETTINGS_MODULE = "bench.settings"
# What gunicorn logs when it starts a worker (at start, and each time it recycles one).
WORKER_BOOTING = "Booting worker with pid"
# gunicorn's default access log line, plus the worker's pid, the time the worker took (µs) and
# the start-up probe's request id: the probe learns from it which worker answered.
ACCESS_LOG_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(p)s %(D)s '
    "probe=%({x-bench-probe}i)s"
)
PROBE_LINE = re.compile(r"<(\d+)> \d+ probe=(\S+)$", re.MULTILINE)
VM_RSS = re.compile(r"^VmRSS:\s+(\d+)\s+kB", re.MULTILINE)
PSS = re.compile(r"^Pss:\s+(\d+)\s+kB", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        return sorted(
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        )
    except OSError:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # The command may hold spaces and parentheses: the fields follow the last ")".
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        return sorted(found)


def rss_mb(pids: list[int], path: str = "status", pattern: re.Pattern = VM_RSS) -> dict[int, float]:
    sizes = {}
    for pid in pids:
        try:
            match = pattern.search(Path(f"/proc/{pid}/{path}").read_text())
        except OSError:
            continue  # recycled in between
        if match:
            sizes[pid] = round(int(match.group(1)) / 1024, 1)
    return sizes


def pss_mb(pids: list[int]) -> dict[int, float]:
    """Each process's proportional share of its memory: pages it shares with the master and
    the other workers (preload_app) count for a fraction, unlike in VmRSS."""
    return rss_mb(pids, "smaps_rollup", PSS)


def rss_summary(sizes: dict[int, float], shares: dict[int, float] | None = None) -> dict:
    shares = shares or {}
    return {
        "workers": len(sizes),
        "sum_mb": round(sum(sizes.values()), 1),
        "max_mb": max(sizes.values(), default=0.0),
        "per_worker_mb": {str(pid): size for pid, size in sorted(sizes.items())},
        "pss_sum_mb": round(sum(shares.values()), 1),
        "pss_max_mb": max(shares.values(), default=0.0),
    }


def probe_pids(access_log: str) -> dict[str, int]:
    """Which worker answered each probe request, from the access log's lines."""
    return {probe: int(pid) for pid, probe in PROBE_LINE.findall(access_log) if probe != "-"}


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log_path: Path
    access_log: Path
    access_offset: int
    started: float  # time.monotonic() when gunicorn was launched

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def worker_rss(self) -> dict:
        workers = self.workers()
        return rss_summary(rss_mb(workers), pss_mb(workers))

    def booted_workers(self) -> int:
        return self.log_path.read_text(errors="replace").count(WORKER_BOOTING)

    def access_log_since_start(self) -> str:
        try:
            with self.access_log.open("rb") as log:
                log.seek(self.access_offset)
                text = log.read().decode(errors="replace")
        except FileNotFoundError:
            return ""
        return text[: text.rfind("\n") + 1]  # whole lines only

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn s'est arrêté, voir {self.log_path}")


@contextmanager
def server(
    env: dict[str, str], log_path: Path, *, page_cache_seconds: int, access_log: Path
) -> Iterator[Server]:
    """Launch gunicorn and hand it over at once: the start-up probe (bench/probes.py) is what
    waits for it, and times it."""
    port = free_port()
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(access_log),
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
    }
    offset = access_log.stat().st_size if access_log.exists() else 0
    with open(log_path, "wb") as output:
        started = time.monotonic()
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.py", "--access-logformat", ACCESS_LOG_FORMAT],
            cwd=BASE_DIR,
            env=server_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Server(f"http://127.0.0.1:{port}", process, log_path, access_log, offset, started)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=35)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
