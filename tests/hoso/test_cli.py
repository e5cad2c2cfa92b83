"""The ``hoso`` console command and ``hoso run`` (prepare, print the logins, serve with waitress)."""

import io
import os
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Agency, User
from casefiles.models import Document
from hoso import cli, demo
from hoso.management.commands import run


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_main_runs_django_commands(capsys):
    cli.main(["hoso", "check"])
    assert "System check identified no issues" in capsys.readouterr().out


def test_console_script_lists_run_and_demo(tmp_path):
    script = Path(sys.executable).with_name("hoso")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "hoso.cli"]
    env = {**os.environ, "HOSO_VAR_DIR": str(tmp_path)}
    result = subprocess.run([*command, "run", "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    for option in ("--host", "--port", "--threads", "--no-demo"):
        assert option in result.stdout
    result = subprocess.run([*command, "demo", "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and "--logins" in result.stdout


@pytest.mark.django_db
def test_prepare_loads_the_demo_into_an_empty_database_once(fast_passwords):
    result = run.prepare(stdout=io.StringIO())
    assert result is not None and len(result.agencies) == len(demo.DEMO_ABBREVIATIONS)
    assert Document.objects.count() == len(result.documents) > 0
    assert run.prepare(stdout=io.StringIO()) is None
    assert Agency.objects.count() == len(demo.DEMO_ABBREVIATIONS)


@pytest.mark.django_db
def test_prepare_leaves_a_database_with_agencies_or_no_demo_alone():
    assert run.prepare(load_demo=False, stdout=io.StringIO()) is None
    assert not Agency.objects.exists()
    Agency.objects.create(identifier="000.00.05.H53", name="Sở Tài chính tỉnh Sơn La", abbreviation="stc")
    assert run.prepare(stdout=io.StringIO()) is None
    assert Agency.objects.count() == 1 and not User.objects.exists()


class FakeServer:
    """Stands in for waitress: records what had been printed when serving would start."""

    def __init__(self, out):
        self.out, self.printed_before_run, self.closed = out, None, False

    def run(self):
        self.printed_before_run = self.out.getvalue()

    def close(self):
        self.closed = True


@pytest.mark.django_db
def test_run_prints_the_url_and_logins_before_serving(monkeypatch, fast_passwords):
    out = io.StringIO()
    servers = []

    def fake_make_server(host, port, threads):
        servers.append((host, port, threads))
        server = FakeServer(out)
        servers.append(server)
        return server

    monkeypatch.setattr(run, "make_server", fake_make_server)
    call_command("run", "--port", "8123", stdout=out, stderr=io.StringIO())
    (host, port, threads), server = servers
    assert (host, port, threads) == ("127.0.0.1", 8123, 8)
    printed = server.printed_before_run
    assert "http://127.0.0.1:8123/admin/" in printed
    assert "hadtt.ubnd" in printed and demo.DEMO_PASSWORD in printed and "admin " in printed
    assert server.closed

    # Second start: the demo exists; a reminder instead of the table.
    out.truncate(0)
    out.seek(0)
    servers.clear()
    call_command("run", "--host", "0.0.0.0", stdout=out, stderr=io.StringIO())
    printed = servers[1].printed_before_run
    assert "hoso demo --logins" in printed and "hadtt.ubnd" not in printed
    assert "http://127.0.0.1:8000/admin/" in printed and "HOSO_ALLOWED_HOSTS" in printed


@pytest.mark.django_db
def test_run_no_demo_keeps_the_database_empty(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(run, "make_server", lambda host, port, threads: FakeServer(out))
    call_command("run", "--no-demo", stdout=out, stderr=io.StringIO())
    assert not Agency.objects.exists()
    assert "/admin/" in out.getvalue()


def test_base_url():
    assert run.base_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert run.base_url("::1", 8080) == "http://[::1]:8080"
    assert run.base_url("hoso.example.vn", 80) == "http://hoso.example.vn:80"


def stop(server, thread):
    """Close every socket from inside waitress's loop thread, so the loop ends, then stop the workers."""

    def close_all():
        for channel in list(server._map.values()):
            channel.close()

    server.trigger.pull_trigger(close_all)
    thread.join(10)
    server.task_dispatcher.shutdown()
    assert not thread.is_alive()


def get(url):
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.mark.django_db
def test_waitress_serves_the_admin_its_static_files_and_the_api_schema(settings):
    assert not settings.DEBUG  # static files must come through WhiteNoise, not Django's debug view
    server = run.make_server("127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.effective_port}"
        assert get(f"{base}/healthz")[2] == b"ok"

        status, content_type, body = get(f"{base}/admin/login/")
        assert status == 200 and content_type.startswith("text/html")
        stylesheets = re.findall(r'href="(/static/[^"]+\.css[^"]*)"', body.decode())
        assert any("wagtailadmin" in href for href in stylesheets)
        for href in stylesheets:
            status, content_type, css = get(base + href)
            assert status == 200 and content_type.startswith("text/css") and css

        status, content_type, schema = get(f"{base}/api/schema/")
        assert status == 200 and b"openapi" in schema
    finally:
        stop(server, thread)
