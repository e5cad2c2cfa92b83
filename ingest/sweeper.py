"""The orphan sweeper: stored bytes that no record names, and intake workspaces left behind.

casefiles.blobstore writes a file's bytes to the records storage before the
transaction that adds its Blob row commits, so a process killed in between
leaves an object no row names: invisible, but taking space. The sweeper removes
such objects once older than HOSO_ORPHAN_MAX_AGE_HOURS (a younger one may belong
to a transaction still running), and the hoso-ingest-* temporary folders of
killed intakes likewise. Blob rows are never removed, referenced or not: blobs
are write-once and may be referenced again (an archive package, a re-upload).
"""

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from casefiles.blobstore import records_storage
from casefiles.models import Blob

logger = logging.getLogger(__name__)

CHUNK = 500


@dataclass
class SweepReport:
    scanned: int = 0  # objects in the records storage
    removed: list = field(default_factory=list)  # names of orphaned objects removed (or, dry run, to remove)
    young: list = field(default_factory=list)  # names of orphaned objects kept for now: too recent
    workspaces: list = field(default_factory=list)  # intake folders removed

    def as_dict(self):
        return {"scanned": self.scanned, "removed": len(self.removed), "young": len(self.young),
                "workspaces": len(self.workspaces)}


def sweep(max_age_hours=None, *, dry_run=False, progress=None) -> SweepReport:
    """Remove orphaned objects and stale workspaces older than max_age_hours; ``progress(n)`` per object."""
    hours = settings.HOSO_ORPHAN_MAX_AGE_HOURS if max_age_hours is None else max_age_hours
    cutoff = timezone.now() - timedelta(hours=hours)
    storage = records_storage()
    report = SweepReport()
    for names in _chunks(_walk(storage, ""), CHUNK):
        report.scanned += len(names)
        named = set(Blob.objects.filter(name__in=names).values_list("name", flat=True))
        for name in names:
            if name in named:
                continue
            if storage.get_modified_time(name) > cutoff:
                report.young.append(name)
            elif dry_run or _remove(storage, name):
                report.removed.append(name)
        if progress is not None:
            progress(len(names))
    report.workspaces = _stale_workspaces(cutoff)
    if not dry_run:
        for folder in report.workspaces:
            shutil.rmtree(folder, ignore_errors=True)
    return report


def _walk(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local store nothing was written to yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _chunks(items, size):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _remove(storage, name) -> bool:
    """Delete the object unless a Blob row named it meanwhile. Writers of Blob rows wait meanwhile:
    SQLite's IMMEDIATE transactions always do; on PostgreSQL the table is locked against inserts, and a
    writer that had found this object before the lock writes it again after its row (casefiles.blobstore)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Blob._meta.db_table)} "
                               "IN SHARE ROW EXCLUSIVE MODE")
        if Blob.objects.filter(name=name).exists():
            return False
        storage.delete(name)
    return True


def _stale_workspaces(cutoff) -> list:
    root = Path(settings.HOSO_INGEST_TMP or tempfile.gettempdir())
    limit = cutoff.timestamp()
    return sorted(str(folder) for folder in root.glob("hoso-ingest-*")
                  if folder.is_dir() and folder.stat().st_mtime < limit)


@shared_task(name="ingest.sweep_orphans", ignore_result=True)
def sweep_orphans():
    """Daily: remove orphaned stored objects and stale intake workspaces."""
    try:
        report = sweep()
    except Exception:  # storage or database away: try again tomorrow, keep the worker
        logger.exception("orphan sweep failed")
        return None
    if report.removed or report.workspaces:
        logger.warning("orphan sweep removed %d stored objects and %d intake folders",
                       len(report.removed), len(report.workspaces))
    return report.as_dict()
