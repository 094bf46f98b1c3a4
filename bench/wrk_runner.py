"""Measures taken from a second process: wrk and bench/wrk/cycle.lua, on the loopback only."""

import ipaddress
import json
import os
import subprocess
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

CYCLE_SCRIPT = Path(__file__).resolve().parent / "wrk" / "cycle.lua"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Measure:
    url_class: str
    mode: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[str, int]
    cache: dict[str, int]
    socket_errors: dict[str, int]
    ratio_to_ceiling: float | None = None
    example_url: str = ""
    load_average: str = field(default_factory=lambda: load_average())

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("2"))

    def problems(self) -> str:
        others = {s: n for s, n in sorted(self.statuses.items()) if not s.startswith("2")}
        errors = {k: n for k, n in self.socket_errors.items() if n}
        parts = [f"{status} × {n}" for status, n in others.items()]
        parts += [f"{kind} × {n}" for kind, n in errors.items()]
        if self.requests == 0:
            parts.append("aucune réponse")
        return ", ".join(parts)

    @classmethod
    def from_wrk(cls, url_class: str, mode: str, raw: dict, example_url: str) -> "Measure":
        return cls(
            url_class=url_class,
            mode=mode,
            requests=raw["requests"],
            seconds=raw["duration_us"] / 1e6,
            p50_ms=raw["p50_us"] / 1000,
            p95_ms=raw["p95_us"] / 1000,
            p99_ms=raw["p99_us"] / 1000,
            statuses=raw["statuses"],
            cache=raw["cache"],
            socket_errors=raw["errors"],
            example_url=example_url,
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_wrk(
    base: str,
    paths: list[str],
    workdir: Path,
    *,
    threads: int,
    connections: int,
    seconds: int,
    max_requests: int = 0,
) -> dict:
    if not is_loopback(urllib.parse.urlsplit(base).hostname or ""):
        raise ValueError(f"le banc d'essai ne vise que la boucle locale, pas {base}")
    paths_file = workdir / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            # As every browser does: the page cache then sends the pages it stored compressed.
            "-H",
            "Accept-Encoding: gzip, deflate, br",
            "-s",
            str(CYCLE_SCRIPT),
            base,
            "--",
            str(paths_file),
            str(max_requests // threads),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk n'a rien rapporté :\n{result.stdout}\n{result.stderr}")


def measure(
    url_class: str, mode: str, base: str, paths: list[str], workdir: Path, args, **wrk
) -> Measure:
    # A short warm-up fills PostgreSQL's buffers and each worker's page cache before measuring.
    run_wrk(base, paths, workdir, seconds=args.warmup, **wrk)
    raw = run_wrk(base, paths, workdir, seconds=args.duration, **wrk)
    return Measure.from_wrk(url_class, mode, raw, paths[0])


def load_test(base: str, paths: list[str], workdir: Path, args) -> Measure:
    raw = run_wrk(
        base,
        paths,
        workdir,
        threads=2,
        connections=args.load_connections,
        seconds=args.load_seconds,
        max_requests=args.load_max_requests,
    )
    return Measure.from_wrk("mélange", "load", raw, paths[0])


def with_ratios(measures: list[Measure], ceiling_class: str) -> list[Measure]:
    ceiling = next(m for m in measures if m.url_class == ceiling_class)
    for m in measures:
        m.ratio_to_ceiling = m.per_second / ceiling.per_second if ceiling.per_second else None
    return measures
