"""``hoso run``: bring the database up to date, load the demo on an empty one, serve with waitress.

Static files need no collectstatic: WhiteNoise serves them from the app folders
(WHITENOISE_USE_FINDERS), with DEBUG on or off.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from hoso import demo
from hoso.scheduler import InProcessBeat

WILDCARD_HOSTS = {"", "0.0.0.0", "::", "[::]"}


def prepare(*, load_demo=True, stdout=None, progress=None, verbosity=1):
    """Migrate; when load_demo and the database holds no agency yet, load the demo data.

    Returns the DemoResult when the demo was loaded now, else None.
    """
    call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1), stdout=stdout)
    if load_demo and not Agency.objects.exists():
        return demo.load_demo(progress=progress)
    return None


def make_server(host="127.0.0.1", port=8000, threads=8):
    """A waitress server for hoso.wsgi.application, bound but not yet serving (call .run())."""
    from waitress import create_server

    # WhiteNoise also serves STATIC_ROOT when it exists (after a collectstatic) and warns when it does not.
    if settings.STORAGES["staticfiles"]["BACKEND"].endswith("StaticFilesStorage"):
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from hoso.wsgi import application

    return create_server(application, host=host, port=port, threads=threads, ident="hoso")


def base_url(host, port):
    shown = "127.0.0.1" if host in WILDCARD_HOSTS else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class Command(BaseCommand):
    help = ("Run hoso: apply migrations, load the demo data into an empty database (and print its logins), "
            "then serve on http://127.0.0.1:8000 with waitress.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo into an empty database")

    def handle(self, *args, host, port, threads, no_demo, verbosity=1, **options):
        self.stdout.write("Applying migrations…")
        stream = getattr(self.stderr, "_out", self.stderr)
        result = prepare(load_demo=not no_demo, stdout=self.stdout, progress=stream if verbosity >= 1 else None,
                         verbosity=verbosity)
        url = base_url(host, port)
        if result is not None:
            self.stdout.write(f"Demo data loaded: {len(result.agencies)} agencies, {len(result.users)} users, "
                              f"{len(result.documents)} documents.\n")
            self.stdout.write(demo.format_logins(demo.demo_logins()))
        elif not no_demo and demo.demo_exists():
            self.stdout.write(f"Demo logins: `hoso demo --logins` prints them "
                              f"(every demo password: {demo.DEMO_PASSWORD}).")
        try:
            server = make_server(host, port, threads)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc
        if host in WILDCARD_HOSTS or host not in {"127.0.0.1", "localhost", "::1"}:
            self.stdout.write("Other hosts must be listed in HOSO_ALLOWED_HOSTS (and HOSO_CSRF_TRUSTED_ORIGINS).")
        self.stdout.write(self.style.SUCCESS(f"hoso is serving at {url}/admin/") +
                          f"  (API: {url}/api/v1/, docs: {url}/api/docs/). Press Ctrl+C to stop.")
        beat = None
        if settings.CELERY_BROKER_URL is None:
            # No broker: drop folders, reminders and sweeps run in this process (hoso.scheduler).
            beat = InProcessBeat()
            beat.start()
        self.stdout.flush()
        try:
            server.run()  # returns on Ctrl+C
        finally:
            if beat is not None:
                beat.stop()
            server.close()
            self.stdout.write("Stopped.")
