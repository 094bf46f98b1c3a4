"""The benchmark's own database: built afresh (or reused); the values its URLs are drawn from."""

import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PATHS_PER_CLASS = 400


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
    """The examples generate_examples recorded (bench/models.py), or None for a database
    without the bench app's tables, which is then built afresh."""
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM bench_generatedexample").fetchone()
            return row[0] if row else 0
    except psycopg.Error:
        return None


def build_database(env: dict[str, str], args, timings_s: dict[str, float]) -> None:
    url = env["DATABASE_URL"]
    if args.reuse_database and generated_count(url) == args.count:
        # Kept, but brought to the code's schema: the app may have migrations it lacks.
        manage(env, "migrate", "--no-input", quiet=True)
        log(f"base {url} réutilisée ({args.count} exemples générés), migrée")
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
        timings_s[label] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    timings_s["vacuum_analyze"] = round(time.perf_counter() - started, 1)
    log(f"base prête : {timings_s}")


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


def published_title(url: str, slug: str) -> str | None:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT title FROM examples_example WHERE slug = %s AND status = 'publie'", [slug]
        ).fetchone()
    return row[0] if row else None


def set_title(url: str, slug: str, title: str) -> None:
    """An edit made behind the app's back, as a shell, an import or raw SQL would."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE examples_example SET title = %s WHERE slug = %s", [title, slug])
