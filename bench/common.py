"""What the benchmarks share: a throwaway PostgreSQL database, the database server's version, and a line
describing the machine."""

import os
import platform
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def postgres_database(url: str, prefix="hoso_bench"):
    """A new database on the server of url: (its url, drop)."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))

    def execute(statement):
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(statement)

    execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return (urlunsplit(urlsplit(url)._replace(path="/" + name)),
            lambda: execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.platform()}"


def server_version(connection) -> str:
    """"SQLite 3.40.1" or "PostgreSQL 15.18": the server behind a Django connection."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0].split()[0]
