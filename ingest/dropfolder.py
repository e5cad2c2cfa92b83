"""Drop folders: one per agency, HOSO_DROP_ROOT/<abbreviation>/, polled by the beat task
``ingest.poll_drop_folders`` (every 30 s). Each file becomes one document of the agency.

    <abbreviation>/             files dropped here (top level; hidden files and folders are left alone)
    <abbreviation>/processing/  claimed by a poller
    <abbreviation>/done/        stored as a new document
    <abbreviation>/duplicates/  bytes already held by a document of the agency
    <abbreviation>/rejected/    refused, with <name>.error.json (code, message) beside it

A file is taken once it has not changed for HOSO_DROP_SETTLE_SECONDS (a copy still
being written keeps changing). A poller claims a file by locking it (flock) and
renaming it into processing/; the lock lives as long as the poller, so a claim
left by a poller that died is taken over by the next poll, and two pollers never
take the same file. A failure of the system (database, storage) leaves the file
in processing/ for the next poll.
"""

import fcntl
import json
import logging
import os
import time
from pathlib import Path

from celery import shared_task
from django.conf import settings

from accounts.models import Agency

from . import batch

logger = logging.getLogger(__name__)

PROCESSING, DONE, DUPLICATES, REJECTED = "processing", "done", "duplicates", "rejected"
DESTINATION = {"accepted": DONE, "duplicate": DUPLICATES, "rejected": REJECTED}


@shared_task(name="ingest.poll_drop_folders", ignore_result=True)
def poll_drop_folders():
    """Ingest what settled in every agency's drop folder; return the count of files per outcome."""
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
    root = Path(settings.HOSO_DROP_ROOT)
    if not root.is_dir():
        return counts
    names = sorted(entry.name for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    for agency in Agency.objects.filter(abbreviation__in=names).order_by("abbreviation"):
        try:
            for outcome in poll_agency(agency, root / agency.abbreviation):
                counts[outcome.status] += 1
        except Exception:  # one agency's trouble (database, disk) must not stop the others or the worker
            logger.exception("drop folder of %s: poll failed", agency.abbreviation)
    return counts


def poll_agency(agency, folder: Path):
    """Ingest the agency's settled files (and claims abandoned in processing/); yield each Outcome."""
    settle = settings.HOSO_DROP_SETTLE_SECONDS
    processing = folder / PROCESSING
    processing.mkdir(exist_ok=True)
    abandoned = sorted(processing.iterdir())
    arrived = sorted(path for path in folder.iterdir() if _settled(path, settle))
    for path in abandoned + arrived:
        claim = _claim(path, processing)
        if claim is None:
            continue
        fd, claimed = claim
        try:
            outcome = batch.import_file(agency, claimed, file=claimed.name)
            _file_away(claimed, folder / DESTINATION[outcome.status], outcome)
        finally:
            os.close(fd)  # releases the lock
        yield outcome


def _settled(path: Path, settle) -> bool:
    if path.name.startswith("."):
        return False
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    changed = max(stat.st_mtime, stat.st_ctime)  # ctime: also set by writes that restore the mtime
    return path.is_file() and time.time() - changed >= settle


def _claim(path: Path, processing: Path):
    """Lock the file and move it into processing/; None when another poller has it or it is gone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except (FileNotFoundError, IsADirectoryError):
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.stat(path).st_ino != os.fstat(fd).st_ino:
            raise FileNotFoundError(path)  # another poller finished with it; a new file took the name
        if path.parent != processing:
            target = processing / path.name
            if target.exists():
                raise FileExistsError(target)  # a file of the same name is in hand: the next poll
            os.rename(path, target)
            path = target
    except OSError:  # BlockingIOError: locked by another poller
        os.close(fd)
        return None
    return fd, path


def _file_away(path: Path, destination: Path, outcome):
    destination.mkdir(exist_ok=True)
    target = _free_name(destination, path.name)
    if outcome.status == "rejected":
        note = target.with_name(target.name + ".error.json")
        partial = note.with_name("." + note.name + ".partial")
        partial.write_text(json.dumps({"file": path.name, "code": outcome.code, "message": outcome.message},
                                      ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(partial, note)
    os.rename(path, target)


def _free_name(folder: Path, name: str) -> Path:
    """name, or 'stem (2).ext', 'stem (3).ext'... when taken (a file dropped again later)."""
    target, stem, suffix = folder / name, Path(name).stem, Path(name).suffix
    number = 2
    while target.exists() or target.with_name(target.name + ".error.json").exists():
        target = folder / f"{stem} ({number}){suffix}"
        number += 1
    return target
