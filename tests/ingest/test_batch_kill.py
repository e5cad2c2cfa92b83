"""A batch import killed with SIGKILL half way, then run again: every file is there exactly once and
no orphan is visible.

``hoso ingest`` runs as a real process on a site of its own: its own database (a SQLite file, or a
fresh PostgreSQL database when the tests run on PostgreSQL) and its own files, so the test reads what
the killed process left exactly as a later process would.
"""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pytest
from django.conf import settings

from tests.conftest import pdf_bytes

FILES = 60
KILL_AFTER = FILES // 3  # documents committed before the kill
WAIT_SECONDS = 300
PROFILE_VARS = ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "HOSO_STORAGE", "HOSO_VAR_DIR",
                "HOSO_MEDIA_ROOT", "HOSO_INGEST_TMP", "HOSO_SEARCH_BACKEND")


class Site:
    """A hoso installation in a temporary folder, driven through the ``hoso`` command."""

    def __init__(self, root: Path, database_url: str):
        self.root = root
        self.database_url = database_url
        self.records = root / "media" / "records"
        self.env = {key: value for key, value in os.environ.items() if key not in PROFILE_VARS}
        self.env.update({
            "DATABASE_URL": database_url, "HOSO_VAR_DIR": str(root / "var"), "HOSO_MEDIA_ROOT": str(root / "media"),
            "HOSO_INGEST_TMP": str(root / "work"), "DJANGO_SETTINGS_MODULE": "hoso.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])),
        })
        (root / "work").mkdir(parents=True)

    def command(self, *args, name):
        with open(self.root / f"{name}.log", "wb") as log:  # the process keeps its own copy
            return subprocess.Popen([sys.executable, "-m", "hoso.cli", *map(str, args)], env=self.env,
                                    cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)

    def run(self, *args, name, expect=0):
        process = self.command(*args, name=name)
        process.wait(timeout=WAIT_SECONDS)
        assert process.returncode == expect, f"hoso {args[0]} exited {process.returncode}:\n{self.log(name)}"

    def log(self, name):
        return (self.root / f"{name}.log").read_text(errors="replace")[-4000:]

    def query(self, sql):
        """Rows of a read-only query on the site's database (the process may be writing meanwhile)."""
        config = dj_database_url.parse(self.database_url)
        if config["ENGINE"].endswith("sqlite3"):
            connection = sqlite3.connect(f"file:{config['NAME']}?mode=ro", uri=True, timeout=30)
        else:
            import psycopg

            connection = psycopg.connect(self.database_url, autocommit=True)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def count(self, table):
        return self.query(f"SELECT COUNT(*) FROM {table}")[0][0]


def _database_url(tmp_path):
    """(url for the site, cleanup) — a SQLite file, or a new database on the tests' PostgreSQL server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'site.sqlite3'}", lambda: None
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(f"runs on SQLite or PostgreSQL, not {url.split(':', 1)[0]}")
    import psycopg
    from psycopg import sql

    name = f"hoso_kill_{uuid.uuid4().hex[:12]}"
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))

    def execute(statement):
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(statement)

    execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return (urlunsplit(urlsplit(url)._replace(path="/" + name)),
            lambda: execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))))


@pytest.fixture
def site(tmp_path):
    url, cleanup = _database_url(tmp_path)
    try:
        site = Site(tmp_path / "site", url)
        site.run("migrate", "--no-input", "-v", "0", name="migrate")
        site.run("shell", "-c", "from accounts.models import Agency; Agency.objects.create("
                 "identifier='000.00.01.H53', name='Ủy ban nhân dân tỉnh Sơn La', abbreviation='ubnd')",
                 name="agency")
        yield site
    finally:
        cleanup()


def test_killed_batch_rerun_stores_every_file_once_and_leaves_no_orphan(site, tmp_path):
    inbox = tmp_path / "inbox"
    expected = set()
    for n in range(FILES):
        data = pdf_bytes(f"Hồ sơ lưu trữ số {n} — công văn năm {1990 + n % 20}", pages=1 + n % 3)
        path = inbox / f"{1990 + n % 20}" / f"Công văn {n:03}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected.add(hashlib.sha256(data).hexdigest())

    importing = site.command("ingest", inbox, "--agency", "ubnd", name="killed")
    deadline = time.monotonic() + WAIT_SECONDS
    while site.count("casefiles_document") < KILL_AFTER:
        assert importing.poll() is None, f"the import ended before the kill:\n{site.log('killed')}"
        assert time.monotonic() < deadline, f"no progress:\n{site.log('killed')}"
        time.sleep(0.02)
    os.kill(importing.pid, signal.SIGKILL)
    importing.wait(timeout=WAIT_SECONDS)
    committed = site.count("casefiles_document")
    assert importing.returncode == -signal.SIGKILL and KILL_AFTER <= committed < FILES

    report = tmp_path / "report.json"
    site.run("ingest", inbox, "--agency", "ubnd", "--report", report, name="rerun")
    site.run("sweep_orphans", "--max-age-hours", "0", name="sweep")
    site.run("audit", "verify", name="audit")

    outcome = json.loads(report.read_text(encoding="utf-8"))
    assert (len(outcome["accepted"]), len(outcome["duplicates"]), outcome["rejected"]) == (
        FILES - committed, committed, [])
    # Every file exactly once.
    stored = site.query("SELECT b.sha256 FROM casefiles_documentfile f JOIN casefiles_blob b ON b.id = f.blob_id")
    assert sorted(sha for (sha,) in stored) == sorted(expected)
    assert site.count("casefiles_document") == FILES
    # No orphan visible: no document without files, no file without its bytes, no bytes without a row.
    assert site.query("SELECT COUNT(*) FROM casefiles_document d WHERE NOT EXISTS "
                      "(SELECT 1 FROM casefiles_documentfile f WHERE f.document_id = d.id)") == [(0,)]
    blobs = dict(site.query("SELECT name, sha256 FROM casefiles_blob"))
    objects = {path.relative_to(site.records).as_posix(): path for path in site.records.rglob("*") if path.is_file()}
    assert set(objects) == set(blobs)
    for name, path in objects.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == blobs[name]
    assert list((site.root / "work").iterdir()) == []  # the killed run's workspace was swept too
