"""Make sure the configured PostgreSQL database exists, creating it when it is missing.

When no PostgreSQL server answers on the default socket and `initdb`/`pg_ctl` are on the PATH,
start a project-local cluster in `.pgdata/` (git-ignored) listening on a unix socket only; the
settings pick that socket up by themselves.
"""

import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

LOCAL_CLUSTER = settings.BASE_DIR / ".pgdata"


def connection_kwargs(database: Mapping[str, Any], dbname: str) -> dict:
    kwargs = {
        "dbname": dbname,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "connect_timeout": 3,
    }
    return {key: value for key, value in kwargs.items() if value is not None}


class Command(BaseCommand):
    help = (
        "Crée la base PostgreSQL configurée si elle n'existe pas (et un serveur local au besoin)."
    )

    requires_system_checks = []

    def handle(self, *args, **options) -> None:
        database = settings.DATABASES["default"]
        name = database["NAME"]
        try:
            self.create_if_missing(database, name)
        except psycopg.OperationalError as error:
            if database.get("HOST") or not self.can_start_local_cluster():
                raise CommandError(f"PostgreSQL ne répond pas : {error}") from error
            self.start_local_cluster()
            database = {**database, "HOST": str(LOCAL_CLUSTER)}
            self.create_if_missing(database, name)

    def create_if_missing(self, database: Mapping[str, Any], name: str) -> None:
        with psycopg.connect(**connection_kwargs(database, "postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists:
                self.stdout.write(f"Base « {name} » présente.")
                return
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            self.stdout.write(self.style.SUCCESS(f"Base « {name} » créée."))

    @staticmethod
    def can_start_local_cluster() -> bool:
        return bool(shutil.which("initdb") and shutil.which("pg_ctl"))

    def start_local_cluster(self) -> None:
        if not (LOCAL_CLUSTER / "PG_VERSION").exists():
            self.stdout.write(
                f"Aucun PostgreSQL ne répond : création d'un serveur local dans {LOCAL_CLUSTER}"
            )
            subprocess.run(
                [
                    "initdb",
                    "-D",
                    str(LOCAL_CLUSTER),
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
                check=True,
                capture_output=True,
            )
        subprocess.run(
            [
                "pg_ctl",
                "-D",
                str(LOCAL_CLUSTER),
                "-l",
                str(LOCAL_CLUSTER / "server.log"),
                "-w",
                "-o",
                f"-c listen_addresses='' -k {LOCAL_CLUSTER}",
                "start",
            ],
            check=True,
        )
