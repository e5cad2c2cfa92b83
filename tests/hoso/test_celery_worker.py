"""A real Celery worker runs the work sent through the broker.

Needs CELERY_BROKER_URL (a Redis server); ``make test`` starts a private Redis
and runs these tests in its "celery" stage, on PostgreSQL so that the worker
and the tests share the database. The worker is a subprocess
(``celery -A hoso worker --pool=solo``) started once for this module with the
same environment as the tests.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tasks import task, task_backends

from hoso.celery import app as celery_app

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"),
                       reason="needs a broker: set CELERY_BROKER_URL (make test does)"),
]

WAIT_SECONDS = 60


# Module-level django-tasks tasks: the worker imports them by module path.
@task()
def write_text(path, text):
    Path(path).write_text(text, encoding="utf-8")
    return {"pid": os.getpid(), "text": text}


@task()
def copy_agency_name(agency_id, path):
    from accounts.models import Agency

    name = Agency.objects.get(pk=agency_id).name
    Path(path).write_text(name, encoding="utf-8")
    return name


class Worker:
    def __init__(self, process, name, log_path, shares_database):
        self.process = process
        self.name = name
        self.log_path = log_path
        self.shares_database = shares_database  # runs on the test database

    @property
    def pid(self):
        return self.process.pid

    def log_tail(self, lines=60):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no worker log)"
        return "\n".join(text.splitlines()[-lines:])

    def ping(self, timeout=1.0):
        return celery_app.control.ping(destination=[self.name], timeout=timeout)

    def wait_ready(self):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"celery worker exited with {self.process.returncode}:\n{self.log_tail()}")
            if self.ping():
                return
            time.sleep(0.5)
        pytest.fail(f"celery worker did not answer within {WAIT_SECONDS}s:\n{self.log_tail()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def worker_database_url():
    """DATABASE_URL naming the test database, so the worker sees what the tests write.

    None when the worker cannot open it (an in-memory SQLite database).
    """
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return None if connection.is_in_memory_db() else f"sqlite:///{name}"
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory):
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "a broker is configured: tasks must not run eagerly"
    name = f"hoso-test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    base_dir = str(settings.BASE_DIR)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hoso.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [base_dir, os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }
    database_url = worker_database_url()
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [
        sys.executable, "-m", "celery", "-A", "hoso", "worker", "--pool=solo", "--loglevel=INFO",
        "--hostname", name, "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=base_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    running = Worker(process, name, log_path, shares_database=database_url is not None)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def wait_for_file(path, worker):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return path.read_text(encoding="utf-8")
        if worker.process.poll() is not None:
            pytest.fail(f"celery worker died:\n{worker.log_tail()}")
        time.sleep(0.2)
    pytest.fail(f"the worker did not run the task within {WAIT_SECONDS}s:\n{worker.log_tail()}")


def test_worker_answers_ping(worker):
    assert worker.ping(timeout=5) == [{worker.name: {"ok": "pong"}}]


def test_celery_task_runs_in_the_worker(worker, tmp_path):
    from hoso.tasks_backend import run_django_task

    path = tmp_path / "celery.txt"
    result = run_django_task.delay(write_text.module_path, [str(path), "Xin chào từ Celery"], {})
    value = result.get(timeout=WAIT_SECONDS)
    assert value == {"pid": worker.pid, "text": "Xin chào từ Celery"}
    assert path.read_text(encoding="utf-8") == "Xin chào từ Celery"


def test_django_task_goes_through_the_broker(transactional_db, worker, tmp_path):
    from hoso.tasks_backend import CeleryBackend

    assert isinstance(task_backends["default"], CeleryBackend)
    path = tmp_path / "django-task.txt"
    write_text.enqueue(str(path), "Hồ sơ điện tử")
    assert wait_for_file(path, worker) == "Hồ sơ điện tử"


def test_worker_sees_rows_committed_before_the_task_is_sent(transactional_db, worker, tmp_path):
    if not worker.shares_database:
        pytest.skip("the worker cannot open the test database (in-memory SQLite)")
    from accounts.models import Agency

    path = tmp_path / "agency.txt"
    with transaction.atomic():
        agency = Agency.objects.create(identifier="000.00.09.H53", name="Sở Tư pháp tỉnh Sơn La",
                                       abbreviation="stp")
        # Sent on commit only: a worker fast enough to run it now could not see the row.
        copy_agency_name.enqueue(agency.pk, str(path))
        time.sleep(0.5)
        assert not path.exists()
    assert wait_for_file(path, worker) == "Sở Tư pháp tỉnh Sơn La"
