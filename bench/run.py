"""Benchmark Faire alliance the way production serves it (`make bench`).

1. Builds its own database (default postgres:///fa_bench, dropped and created afresh): migrate,
   load_fiche, generate_examples --count N --seed S, VACUUM ANALYZE.
2. collectstatic, then serves the app with gunicorn (config/gunicorn.py) and production settings:
   DEBUG off, a SECRET_KEY, HTTPS=0, ALLOWED_HOSTS=127.0.0.1.
3. Measures from a second process, wrk (bench/wrk/cycle.lua), for each class of URL:
   (a) one client on uncached URLs: the page cache is off and the client cycles through many
       different URLs of the class;
   (b) one repeated anonymous URL per class, with the page cache on and several connections;
   each against the trivial view /_ceiling/ measured the same way.
4. Prints requests per second, p50/p95/p99 latency, the ratio to the ceiling and the HTTP
   statuses (a page that does not exist yet shows up as 404, never as a fast page), and writes
   everything to bench/results/latest.json.

The server is always stopped at the end, whatever happens. The database is kept, for EXPLAIN and
for --reuse-database.
"""

import argparse
import ipaddress
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import urlopen

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
CYCLE_SCRIPT = BASE_DIR / "bench" / "wrk" / "cycle.lua"
PYTHON = sys.executable
GUNICORN = Path(sys.executable).parent / "gunicorn"
CEILING = "plafond"
# What gunicorn logs when a worker starts and when it has built its indexes
# (config/gunicorn.py, INDEX_READY).
WORKER_BOOTING = "Booting worker with pid"
INDEX_READY = "Indexes ready"

SEARCH_TERMS = [
    "insertion",
    "jardin partagé",
    "numérique",
    "tiers-lieu",
    "rénovation énergétique",
    "mobilité rurale",
    "recyclerie",
    "mentorat",
    "précarité alimentaire",
    "décrochage scolaire",
    "fondation",
    "économie circulaire",
    "emploi des jeunes",
    "ressourcerie",
    "Lyon",
    "Marseille",
    "santé",
    "handicap",
    "biodiversité",
    "coopérative",
]
FILTERS = ("categorie", "fonction", "departement", "region", "theme")
PATHS_PER_CLASS = 400


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


@dataclass
class Report:
    started_at: str
    machine: dict[str, str]
    settings: dict[str, str | int]
    timings_s: dict[str, float] = field(default_factory=dict)
    measures: list[Measure] = field(default_factory=list)
    load: Measure | None = None


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def database_url(name: str) -> str:
    return os.environ.get("BENCH_DATABASE_URL") or f"postgres:///{name}"


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def generated_count(url: str) -> int | None:
    try:
        with psycopg.connect(url) as conn:
            return conn.execute(
                "SELECT count(*) FROM examples_example WHERE is_generated"
            ).fetchone()[0]
    except psycopg.Error:
        return None


def build_database(env: dict[str, str], args, report: Report) -> None:
    url = env["DATABASE_URL"]
    if args.reuse_database and generated_count(url) == args.count:
        log(f"base {url} réutilisée ({args.count} exemples générés)")
        return
    name = database_name(url)
    with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
        log(f"base {name} recréée")
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    steps = [
        ("ensure_database", ("ensure_database",)),
        ("migrate", ("migrate", "--no-input")),
        ("load_fiche", ("load_fiche",)),
        (
            "generate_examples",
            ("generate_examples", "--count", str(args.count), "--seed", str(args.seed)),
        ),
    ]
    for label, command in steps:
        log(f"{label}…")
        started = time.perf_counter()
        manage(env, *command, quiet=label != "generate_examples")
        report.timings_s[label] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    report.timings_s["vacuum_analyze"] = round(time.perf_counter() - started, 1)
    log(f"base prête : {report.timings_s}")


def reference_values(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT setseed(0.42)")

        def column(query: str) -> list[str]:
            return [row[0] for row in conn.execute(query).fetchall()]

        return {
            "slug": column(
                "SELECT slug FROM examples_example WHERE status = 'publie' "
                f"ORDER BY random() LIMIT {PATHS_PER_CLASS * 5}"
            ),
            "categorie": column("SELECT slug FROM examples_category ORDER BY slug"),
            "fonction": column("SELECT slug FROM territories_function ORDER BY slug"),
            "departement": column("SELECT code FROM territories_departement ORDER BY code"),
            "region": column("SELECT code FROM territories_region ORDER BY code"),
            "theme": column("SELECT slug FROM examples_theme ORDER BY slug"),
        }


def url_classes(values: dict[str, list[str]], count: int, seed: int) -> dict[str, list[str]]:
    """Many distinct, realistic URLs per class; the first one is the class's repeated URL."""
    rng = random.Random(seed)

    def query(params: list[tuple[str, str]]) -> str:
        return urllib.parse.urlencode(params)

    def filters(how_many: int) -> list[tuple[str, str]]:
        return [(name, rng.choice(values[name])) for name in rng.sample(FILTERS, how_many)]

    last_page = max(2, count // 50)
    classes = {
        "accueil": ["/"],
        "liste": ["/exemples/"],
        "liste filtrée (1 à 3 filtres)": [
            f"/exemples/?{query(filters(rng.randint(1, 3)))}" for _ in range(PATHS_PER_CLASS)
        ],
        "recherche": [f"/exemples/?{query([('q', term)])}" for term in SEARCH_TERMS],
        "recherche + filtres": [
            f"/exemples/?{query([('q', rng.choice(SEARCH_TERMS)), *filters(rng.randint(1, 2))])}"
            for _ in range(PATHS_PER_CLASS)
        ],
        "pages profondes": [
            f"/exemples/?{query([('page', str(rng.randint(last_page // 2, last_page)))])}"
            for _ in range(PATHS_PER_CLASS)
        ],
        "fiche exemple": [f"/exemples/{slug}/" for slug in values["slug"]],
        "page département": [f"/departements/{code}/" for code in values["departement"]],
        "export CSV": ["/exemples/export.csv?departement=69"]
        + [f"/exemples/export.csv?departement={code}" for code in values["departement"]],
        CEILING: ["/_ceiling/"],
    }
    return {name: list(dict.fromkeys(paths)) for name, paths in classes.items()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict[str, str], log_path: Path, *, page_cache_seconds: int):
    port = free_port()
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
    }
    with open(log_path, "wb") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.py"],
            cwd=BASE_DIR,
            env=server_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn s'est arrêté, voir {log_path}")
            try:
                with urlopen(f"{base}/_ceiling/", timeout=10):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn ne répond pas, voir {log_path}") from None
                time.sleep(0.1)
        # One worker answering is not all of them: the others may still be building their
        # indexes, taking the cores from the first measure.
        while not every_worker_ready(log_path.read_text(errors="replace")):
            if time.monotonic() > deadline:
                log("certains processus n'ont pas construit leurs index à temps")
                break
            time.sleep(0.1)
        yield base
    finally:
        stop(process)


def every_worker_ready(server_log: str) -> bool:
    return server_log.count(INDEX_READY) >= server_log.count(WORKER_BOOTING) > 0


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=35)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


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
    return Measure(
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
        example_url=paths[0],
    )


# Shares of the load test's traffic: what visitors of a directory open most.
LOAD_MIX = {
    "accueil": 10,
    "liste": 8,
    "liste filtrée (1 à 3 filtres)": 22,
    "recherche": 12,
    "recherche + filtres": 10,
    "pages profondes": 5,
    "fiche exemple": 25,
    "page département": 7,
    "export CSV": 1,
}
LOAD_PATHS = 5000


def load_paths(classes: dict[str, list[str]], seed: int) -> list[str]:
    """LOAD_PATHS paths drawn from the URL classes in the proportions of LOAD_MIX."""
    rng = random.Random(seed)
    names = list(LOAD_MIX)
    return [
        rng.choice(classes[name])
        for name in rng.choices(names, weights=[LOAD_MIX[n] for n in names], k=LOAD_PATHS)
    ]


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
    return Measure(
        url_class="mélange",
        mode="load",
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        statuses=raw["statuses"],
        cache=raw["cache"],
        socket_errors=raw["errors"],
        example_url=paths[0],
    )


def with_ratios(measures: list[Measure]) -> list[Measure]:
    ceiling = next(m for m in measures if m.url_class == CEILING)
    for m in measures:
        m.ratio_to_ceiling = m.per_second / ceiling.per_second if ceiling.per_second else None
    return measures


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split()[1])
        memory = f"{kilobytes / 1024 / 1024:.0f} Gio"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": str(cores),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres.strip(),
        "load_average_before": load_average(),
    }


def french_int(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u202f")


def table(title: str, measures: list[Measure], *, show_cache: bool) -> str:
    header = "| classe d'URL | req/s | p50 (ms) | p95 (ms) | p99 (ms) | / plafond | réponses 2xx |"
    separator = "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    if show_cache:
        header += " HIT |"
        separator += " ---: |"
    header += " autres statuts |"
    separator += " --- |"
    lines = [f"### {title}", "", header, separator]
    for m in measures:
        ratio = f"{m.ratio_to_ceiling:.2f}" if m.ratio_to_ceiling is not None else "—"
        row = (
            f"| {m.url_class} | {french_int(m.per_second)} | {m.p50_ms:.1f} | {m.p95_ms:.1f} | "
            f"{m.p99_ms:.1f} | {ratio} | {french_int(m.ok)}/{french_int(m.requests)} |"
        )
        if show_cache:
            hits = m.cache.get("HIT", 0)
            row += f" {hits / m.requests:.0%} |" if m.requests else " — |"
        row += f" {m.problems() or '—'} |"
        lines.append(row)
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=int(os.environ.get("BENCH_COUNT", 100_000)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="fa_bench", help="nom de la base (fa_bench)")
    parser.add_argument("--duration", type=int, default=10, help="secondes par mesure (10)")
    parser.add_argument("--warmup", type=int, default=2, help="secondes de chauffe (2)")
    parser.add_argument(
        "--connections", type=int, default=8, help="connexions pour l'URL répétée (8)"
    )
    parser.add_argument(
        "--load-seconds",
        type=int,
        default=int(os.environ.get("LOAD_SECONDS", 60)),
        help="durée du test de charge en secondes, 0 pour s'en passer (LOAD_SECONDS, 60)",
    )
    parser.add_argument(
        "--load-connections", type=int, default=50, help="connexions du test de charge (50)"
    )
    parser.add_argument(
        "--load-max-requests",
        type=int,
        default=int(os.environ.get("LOAD_MAX_REQUESTS", 1_000_000)),
        help="au plus ce nombre de requêtes pendant le test de charge (1 000 000)",
    )
    parser.add_argument(
        "--only-load", action="store_true", help="seulement le test de charge, sans les mesures"
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="garde la base si elle contient déjà --count exemples générés",
    )
    return parser.parse_args()


def main() -> int:
    # Turn `kill` into SystemExit, so that the finally clauses stop the server.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk est introuvable : apt-get install wrk (make bench l'installe).")
    RESULTS_DIR.mkdir(exist_ok=True)
    access_log = RESULTS_DIR / "access.log"
    access_log.unlink(missing_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "PAGE_CACHE_SECONDS", "GUNICORN_BIND"}
    }
    env.update(
        DATABASE_URL=database_url(args.database),
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_ACCESS_LOG=str(access_log),
    )
    # Recycling guards against slow leaks; at benchmark throughput the default (every 5,000
    # requests) would restart a worker every few seconds, and measure boots and cold caches
    # instead of pages.
    env.setdefault("GUNICORN_MAX_REQUESTS", "0")
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    report = Report(
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        machine=machine(),
        settings={
            "count": args.count,
            "seed": args.seed,
            "duration_s": args.duration,
            "connections_repeated": args.connections,
            "cache": "Redis" if "REDIS_URL" in env else "mémoire locale",
            "web_concurrency": env.get("WEB_CONCURRENCY", "défaut (cœurs + 1)"),
            "gunicorn_threads": env.get("GUNICORN_THREADS", "défaut (4)"),
            "gunicorn_max_requests": env["GUNICORN_MAX_REQUESTS"],
        },
    )
    build_database(env, args, report)
    log("collectstatic…")
    manage(env, "collectstatic", "--no-input")
    classes = url_classes(reference_values(env["DATABASE_URL"]), args.count, args.seed)

    uncached: list[Measure] = []
    repeated: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="fa-bench-") as tmp:
        workdir = Path(tmp)
        if not args.only_load:
            log("(a) un client, URL différentes, cache de pages éteint")
            with server(env, RESULTS_DIR / "server-uncached.log", page_cache_seconds=0) as base:
                for name, paths in classes.items():
                    uncached.append(
                        measure(
                            name, "uncached", base, paths, workdir, args, threads=1, connections=1
                        )
                    )
                    log(f"  {name} : {uncached[-1].per_second:.0f} req/s")
            log(f"(b) URL répétée, cache de pages allumé, {args.connections} connexions")
            with server(env, RESULTS_DIR / "server-cached.log", page_cache_seconds=300) as base:
                for name, paths in classes.items():
                    repeated.append(
                        measure(
                            name,
                            "repeated",
                            base,
                            paths[:1],
                            workdir,
                            args,
                            threads=2,
                            connections=args.connections,
                        )
                    )
                    log(f"  {name} : {repeated[-1].per_second:.0f} req/s")
            report.measures = with_ratios(uncached) + with_ratios(repeated)
        if args.load_seconds:
            log(
                f"(c) test de charge : {args.load_connections} connexions, "
                f"{args.load_seconds} s, URL mélangées, réglages de production"
            )
            with server(env, RESULTS_DIR / "server-load.log", page_cache_seconds=300) as base:
                report.load = load_test(base, load_paths(classes, args.seed), workdir, args)

    with (RESULTS_DIR / "latest.json").open("w") as output:
        json.dump(asdict(report), output, ensure_ascii=False, indent=2)
    print()
    facts = report.machine
    print(
        f"{french_int(args.count)} exemples générés — {facts['cpu']}, {facts['cores']} cœurs, "
        f"{facts['memory']} — charge moyenne avant la mesure : {facts['load_average_before']}"
    )
    if uncached:
        print()
        print(table("(a) Un client, URL non mises en cache", uncached, show_cache=False))
        print()
        print(
            table(
                f"(b) URL anonyme répétée, {args.connections} connexions, cache de pages",
                repeated,
                show_cache=True,
            )
        )
    missing = sorted({m.url_class for m in uncached + repeated if m.ok < m.requests})
    if missing:
        print()
        print(f"Réponses autres que 2xx pour : {', '.join(missing)} (voir « autres statuts »).")
    failed = False
    if report.load:
        print()
        print(
            table(
                f"(c) Test de charge : {args.load_connections} connexions, "
                f"{args.load_seconds} s, URL mélangées",
                [report.load],
                show_cache=True,
            )
        )
        failed = bool(report.load.problems())
        print()
        if failed:
            print(f"Test de charge en ÉCHEC : {report.load.problems()}.")
        else:
            print(
                f"Test de charge réussi : {french_int(report.load.requests)} réponses, aucune "
                f"erreur, p99 {report.load.p99_ms:.1f} ms."
            )
    print(f"\nDétails : {RESULTS_DIR / 'latest.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
