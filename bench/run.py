"""Benchmark Faire alliance the way production serves it (`make bench`).

1. Builds its own database (default postgres:///fa_bench, dropped and created afresh): migrate,
   load_fiche, generate_examples --count N --seed S, VACUUM ANALYZE (bench/database.py), with
   bench.settings, which install the bench app and its generate_examples.
2. collectstatic, then serves the app with gunicorn as production does (config/gunicorn.py,
   worker recycling included) and production settings plus the trivial view /_ceiling/ and the
   bench app (bench.settings): DEBUG off, a SECRET_KEY, HTTPS=0, ALLOWED_HOSTS=127.0.0.1
   (bench/server.py).
3. Times each server from its launch to full speed on searches, and reads its workers' memory
   (bench/probes.py).
4. Measures from a second process, wrk (bench/wrk_runner.py, bench/wrk/cycle.lua), for each
   class of URL (bench/traffic.py):
   (a) one client on uncached URLs: the page cache is off and the client cycles through many
       different URLs of the class;
   (b) one repeated anonymous URL per class, with the page cache on and several connections;
   each against the trivial view /_ceiling/ measured the same way;
   (c) a load test on a mix of them, then the workers' memory again, then the time an edit
       made through SQL takes to reach every worker.
5. Prints requests per second, p50/p95/p99 latency, the ratio to the ceiling and the HTTP
   statuses (a page that does not exist yet shows up as 404, never as a fast page), the start-up,
   memory and edit figures (bench/report.py), and writes everything to bench/results/latest.json.

The server is always stopped at the end, whatever happens. The database is kept, for EXPLAIN and
for --reuse-database.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # `python bench/run.py`: make the bench package importable
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import probes, traffic  # noqa: E402
from bench.database import (  # noqa: E402
    BASE_DIR,
    PYTHON,
    build_database,
    database_url,
    log,
    manage,
    reference_values,
)
from bench.report import (  # noqa: E402
    Report,
    edit_lines,
    french_int,
    machine,
    rebuild_comparison_lines,
    rss_lines,
    startup_table,
    table,
)
from bench.server import SETTINGS_MODULE, Server, server  # noqa: E402
from bench.wrk_runner import Measure, load_test, measure, with_ratios  # noqa: E402

RESULTS_DIR = BASE_DIR / "bench" / "results"
# What examples/directory_refresh.py logs after each rebuild (REBUILT; tests/test_bench.py checks
# they agree: the runner does not import Django).
REBUILD_LINE = re.compile(
    r"Directory index rebuilt: \d+ examples in ([0-9.]+) s, ([0-9.]+) s of CPU"
)


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
    parser.add_argument(
        "--startup-max-seconds",
        type=float,
        default=90,
        help="durée maximale de la sonde de démarrage (90)",
    )
    parser.add_argument(
        "--probe-clients",
        type=int,
        default=0,
        help="clients de la sonde de démarrage (0 : autant que de processus gunicorn)",
    )
    parser.add_argument(
        "--edit-timeout",
        type=float,
        default=60,
        help="attente maximale d'une modification sur tous les processus, en secondes (60)",
    )
    return parser.parse_args()


def start(name: str, srv: Server, report: Report, classes: dict[str, list[str]], args) -> int:
    """Wait for full speed, timing it, and read the workers' memory; return their number."""
    probe = probes.startup_probe(
        srv,
        traffic.startup_paths(classes, args.seed),
        clients=args.probe_clients or max(2, expected_workers()),
        max_seconds=args.startup_max_seconds,
    )
    report.startup[name] = probe
    rss = report.rss[f"après démarrage, {name}"] = srv.worker_rss()
    log(
        f"  pleine vitesse en {probe['full_speed_s']} s (1re recherche {probe['first_200_s']} s, "
        f"p50 stable {probe['steady_p50_ms']} ms), {rss['sum_mb']} Mo"
    )
    return len(srv.workers())


def expected_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return int(os.environ.get("WEB_CONCURRENCY") or (cores or 1) + 1)


def propagation(srv: Server, report: Report, workers: int, args) -> None:
    log("modification en SQL, jusqu'à ce que tous les processus la montrent…")
    logged_before = srv.log_path.read_text(errors="replace")
    report.edit_propagation = probes.edit_propagation(
        srv,
        args.database_url,
        workers=workers,
        connections=args.connections,
        timeout_s=args.edit_timeout,
    )
    # The rebuilds the edit (and its undoing) caused, as each worker's thread logged them: the
    # edit shows before they end (titles come from the database), so wait for them a little.
    deadline = time.monotonic() + 15
    while True:
        logged = srv.log_path.read_text(errors="replace").removeprefix(logged_before)
        rebuilds = [tuple(map(float, times)) for times in REBUILD_LINE.findall(logged)]
        if len(rebuilds) >= workers or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    report.edit_propagation["rebuilds_s"] = [elapsed for elapsed, _ in rebuilds]
    report.edit_propagation["rebuilds_cpu_s"] = [cpu for _, cpu in rebuilds]


def rebuild_comparison(env: dict[str, str]) -> dict:
    """bench/management/commands/time_rebuilds.py, run once no server is left."""
    finished = subprocess.run(
        [PYTHON, "manage.py", "time_rebuilds"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(finished.stdout)


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
        if key not in {"REDIS_URL", "PAGE_CACHE_SECONDS", "GUNICORN_BIND", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        # The same settings for the commands that build the database as for the server: they
        # install the bench app, whose generate_examples the production settings leave out.
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DATABASE_URL=database_url(args.database),
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        PUBLISHER=os.environ.get("PUBLISHER", "Banc d’essai"),
        HOSTING_PROVIDER=os.environ.get("HOSTING_PROVIDER", "cette machine"),
        CONTACT_EMAIL=os.environ.get("CONTACT_EMAIL", "banc@localhost"),
    )
    args.database_url = env["DATABASE_URL"]
    # gunicorn recycles its workers as in production (config/gunicorn.py: GUNICORN_MAX_REQUESTS,
    # 5,000 by default), unless the environment says otherwise.
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
            "gunicorn_max_requests": env.get("GUNICORN_MAX_REQUESTS", "défaut (5000 à 7500)"),
        },
    )
    build_database(env, args, report.timings_s)
    log("collectstatic…")
    manage(env, "collectstatic", "--no-input")
    classes = traffic.url_classes(reference_values(env["DATABASE_URL"]), args.count, args.seed)

    uncached: list[Measure] = []
    repeated: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="fa-bench-") as tmp:
        workdir = Path(tmp)
        logs = {"access_log": access_log}
        if not args.only_load:
            log("(a) un client, URL différentes, cache de pages éteint")
            with server(
                env, RESULTS_DIR / "server-uncached.log", page_cache_seconds=0, **logs
            ) as srv:
                workers = start("(a) cache éteint", srv, report, classes, args)
                for name, paths in classes.items():
                    uncached.append(
                        measure(
                            name,
                            "uncached",
                            srv.base,
                            paths,
                            workdir,
                            args,
                            threads=1,
                            connections=1,
                        )
                    )
                    log(f"  {name} : {uncached[-1].per_second:.0f} req/s")
                report.recycled_workers["(a) cache éteint"] = srv.booted_workers() - workers
            log(f"(b) URL répétée, cache de pages allumé, {args.connections} connexions")
            with server(
                env, RESULTS_DIR / "server-cached.log", page_cache_seconds=300, **logs
            ) as srv:
                workers = start("(b) cache allumé", srv, report, classes, args)
                for name, paths in classes.items():
                    repeated.append(
                        measure(
                            name,
                            "repeated",
                            srv.base,
                            paths[:1],
                            workdir,
                            args,
                            threads=2,
                            connections=args.connections,
                        )
                    )
                    log(f"  {name} : {repeated[-1].per_second:.0f} req/s")
                if not args.load_seconds:
                    propagation(srv, report, workers, args)
                report.recycled_workers["(b) cache allumé"] = srv.booted_workers() - workers
            report.measures = with_ratios(uncached, traffic.CEILING) + with_ratios(
                repeated, traffic.CEILING
            )
        if args.load_seconds:
            log(
                f"(c) test de charge : {args.load_connections} connexions, "
                f"{args.load_seconds} s, URL mélangées, réglages de production"
            )
            with server(
                env, RESULTS_DIR / "server-load.log", page_cache_seconds=300, **logs
            ) as srv:
                workers = start("(c) test de charge", srv, report, classes, args)
                report.replaced_worker = probes.replaced_worker_probe(
                    srv,
                    traffic.startup_paths(classes, args.seed),
                    clients=args.probe_clients or max(2, expected_workers()),
                    steady_p50_ms=report.startup["(c) test de charge"]["steady_p50_ms"],
                )
                log(f"  processus remplacé : {report.replaced_worker}")
                workers += 1
                report.load = load_test(
                    srv.base, traffic.load_paths(classes, args.seed), workdir, args
                )
                report.rss["après le test de charge"] = srv.worker_rss()
                propagation(srv, report, workers, args)
                report.recycled_workers["(c) test de charge"] = srv.booted_workers() - workers

    log("reconstruction de l’index après une modification, et complète, en alternance…")
    report.rebuilds = rebuild_comparison(env)
    with (RESULTS_DIR / "latest.json").open("w") as output:
        json.dump(asdict(report), output, ensure_ascii=False, indent=2)
    return print_report(report, args, uncached, repeated)


def print_report(report: Report, args, uncached: list[Measure], repeated: list[Measure]) -> int:
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
    recycled = ", ".join(f"{name} {n}" for name, n in report.recycled_workers.items())
    print(f"\nProcessus recyclés (GUNICORN_MAX_REQUESTS) : {recycled or '—'}.")
    print()
    print(startup_table(report.startup, report.replaced_worker))
    print()
    print(rss_lines(report.rss))
    if report.edit_propagation:
        print()
        print(edit_lines(report.edit_propagation))
    if report.rebuilds:
        print()
        print(rebuild_comparison_lines(report.rebuilds))
    print(f"\nDétails : {RESULTS_DIR / 'latest.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
