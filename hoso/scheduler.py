"""Periodic jobs without a broker: the embedded profile runs Celery beat's schedule in-process.

With CELERY_BROKER_URL set, `celery beat` and workers do this; without one, `hoso run`
starts this thread, which reads the same CELERY_BEAT_SCHEDULE, asks each Celery
schedule when it is due, and runs the task eagerly. A failing job is logged; the
thread goes on.
"""

import logging
import threading

from celery.schedules import schedule as every
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from .celery import app

logger = logging.getLogger(__name__)


class InProcessBeat(threading.Thread):
    def __init__(self, entries=None, tick=5.0):
        super().__init__(name="hoso-beat", daemon=True)
        self.entries = {name: dict(entry) for name, entry in (entries or settings.CELERY_BEAT_SCHEDULE).items()}
        self.tick = tick
        self.stopped = threading.Event()
        app.loader.import_default_modules()  # every app's tasks.py and CELERY_IMPORTS, as a worker would
        now = timezone.now()
        for entry in self.entries.values():
            if isinstance(entry["schedule"], int | float):
                entry["schedule"] = every(entry["schedule"])
            entry["last_run_at"] = now

    def run_due(self):
        """Run every job that is due now; return their names."""
        ran = []
        for name, entry in self.entries.items():
            due, _next = entry["schedule"].is_due(entry["last_run_at"])
            if not due:
                continue
            entry["last_run_at"] = timezone.now()
            try:
                app.tasks[entry["task"]].apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
                ran.append(name)
            except Exception:  # noqa: BLE001 - one failing job must not stop the others
                logger.exception("periodic job %s failed", name)
        return ran

    def run(self):
        while not self.stopped.wait(self.tick):
            self.run_due()
            close_old_connections()  # this thread's own connections, as a request's end would

    def stop(self):
        self.stopped.set()
