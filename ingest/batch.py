"""Batch import of folders of files (digitised historical records): one document per file.

Every file passes the intake pipeline and is stored in its own transaction, so an
interrupted batch keeps what committed and a re-run skips it: a file whose bytes
(SHA-256) already sit in a document of the agency is a duplicate, checked before
the pipeline and again inside the storing transaction. The subject comes from
the metadata sheet (ingest.metadata) or, absent, from the file name. An edXML
package is handed to ingest.edxml instead.

A file's own fault rejects that file (stable code, Vietnamese message) and the
batch goes on; a fault of the system (database, storage) stops the batch.
"""

import logging
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection, transaction

from accounts.errors import HosoError
from accounts.models import Agency
from hoso import batching
from hoso.text import nfc

from . import metadata, pipeline, services
from .errors import Rejected

FLUSH_EVERY = 200  # files whose search indexing is queued as one job

logger = logging.getLogger(__name__)

@dataclass
class SourceFile:
    path: Path  # on disk
    file: str  # as the report names it: the given PATH joined with the relative path
    relative: str  # to the given PATH (NFC, '/'): what metadata rows name


@dataclass
class Outcome:
    file: str
    status: str  # accepted | duplicate | rejected
    sha256: str = ""
    document: int | None = None  # accepted: the new document
    documents: list = field(default_factory=list)  # duplicate: the agency's documents holding the bytes
    code: str = ""  # rejected: why (stable English code) ...
    message: str = ""  # ... and in Vietnamese

    @classmethod
    def rejected(cls, file, error: HosoError, sha256=""):
        return cls(file, "rejected", sha256=sha256, code=error.code, message=error.message)


@dataclass
class BatchReport:
    accepted: list = field(default_factory=list)  # {file, document, sha256}
    duplicates: list = field(default_factory=list)  # {file, sha256, documents}
    rejected: list = field(default_factory=list)  # {file, code, message}
    unmatched_metadata: list = field(default_factory=list)  # {line, file}: rows no file took

    def add(self, outcome: Outcome):
        if outcome.status == "accepted":
            self.accepted.append({"file": outcome.file, "document": outcome.document, "sha256": outcome.sha256})
        elif outcome.status == "duplicate":
            self.duplicates.append({"file": outcome.file, "sha256": outcome.sha256, "documents": outcome.documents})
        else:
            self.rejected.append({"file": outcome.file, "code": outcome.code, "message": outcome.message})

    def as_dict(self) -> dict:
        return asdict(self)


def collect(paths, exclude=()) -> list[SourceFile]:
    """The files under the given paths, folders walked recursively in sorted order, hidden ones skipped.

    Raises FileNotFoundError for a path that does not exist. ``exclude``: paths to leave out
    (the metadata sheet, the report).
    """
    seen = {Path(p).resolve() for p in exclude}
    found = []
    for given in paths:
        root = Path(given)
        if root.is_file():
            entries = [(root, root.name)]
        elif root.is_dir():
            entries = sorted(_walk(root), key=lambda entry: entry[1])
        else:
            raise FileNotFoundError(given)
        for path, relative in entries:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                shown = str(path) if path is root else str(root / relative)
                found.append(SourceFile(path=path, file=nfc(shown), relative=metadata.file_key(relative)))
    return found


def _walk(root):
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if not name.startswith(".") and path.is_file():
                yield path, path.relative_to(root).as_posix()


def import_files(agency, files, *, sheet=None, kind=None, actor=None, report=None, on_file=None) -> BatchReport:
    """Import SourceFiles (see collect), each on its own; ``on_file(outcome)`` after each.

    ``report`` is filled as the batch goes, so a caller that is stopped part way still has it.
    """
    report = BatchReport() if report is None else report
    assignments = sheet.assign([f.relative for f in files]) if sheet is not None else {}
    units = list(agency.units.all())
    base = {"kind": kind} if kind else {}
    # After-commit work (search indexing) is gathered over FLUSH_EVERY files instead of once per file.
    with batching.batch(), _commits_without_flush():
        for count, source in enumerate(files, start=1):
            _import_one(agency, source, assignments.get(source.relative), units, base, actor, report, on_file)
            if count % FLUSH_EVERY == 0:
                batching.flush()
    if sheet is not None:
        report.unmatched_metadata = sheet.unmatched()
    return report


@contextmanager
def _commits_without_flush():
    """PostgreSQL: the batch's commits return before their WAL reaches the disk. A crash may then
    undo the last few files' commits, whole (never part of one): a re-run imports them again, and the
    sweeper removes the bytes they left. Each file still commits on its own."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        was = cursor.fetchone()[0]
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [was])


def _import_one(agency, source, assignment, units, base, actor, report, on_file):
    try:
        if assignment is not None and assignment.problem:
            raise Rejected.of("metadata_invalid", source.file, reason=assignment.problem)
        row = metadata.fields_for(assignment.row, units) if assignment is not None else {}
    except Rejected as exc:
        outcome = Outcome.rejected(source.file, exc)
    else:
        outcome = import_file(agency, source.path, file=source.file, fields={**base, **row}, actor=actor)
    report.add(outcome)
    if on_file is not None:
        on_file(outcome)


def subject_from_name(name: str) -> str:
    stem = Path(nfc(name)).stem.strip()
    return (stem or nfc(name))[:500]


def import_file(agency, path, *, file=None, fields=None, actor=None) -> Outcome:
    """One file -> one document of the agency (or a duplicate, or a refusal)."""
    path = Path(path)
    file = file or nfc(path.name)
    fields = {"subject": subject_from_name(path.name), **(fields or {})}
    with pipeline.Workspace() as workspace:
        try:
            with open(path, "rb") as handle:
                candidate = workspace.add(handle, path.name)
        except OSError as exc:
            return Outcome.rejected(file, Rejected.of("file_unreadable", file, reason=exc.strerror or str(exc)))
        except Rejected as exc:
            return Outcome.rejected(file, exc)
        sha256 = candidate.sha256
        held = services.find_duplicates(agency, [sha256])
        if held:
            return Outcome(file, "duplicate", sha256=sha256, documents=held)
        edxml = _edxml() if candidate.name.lower().endswith(".xml") else None
        if edxml is not None and edxml.is_edxml(candidate.head()):
            return _import_edxml(edxml, agency, candidate, file, actor)
        try:
            candidates = pipeline.process(candidate, workspace)
        except Rejected as exc:
            return Outcome.rejected(file, exc, sha256)
        except Exception as exc:  # a parser's bug on this file must not stop the batch
            logger.exception("intake of %s failed", file)
            return Outcome.rejected(file, Rejected.of("ingest_failed", file, error=type(exc).__name__), sha256)
        try:
            return _store(agency, candidates, file, sha256, fields, actor)
        except HosoError as exc:
            return Outcome.rejected(file, _as_metadata_error(exc, file), sha256)


def _store(agency, candidates, file, sha256, fields, actor) -> Outcome:
    with transaction.atomic():
        # Concurrent batches of one agency take turns here (PostgreSQL; SQLite writers always do),
        # so the second finds the first's document instead of storing the bytes again. NO KEY: rows
        # that merely reference the agency (an upload's document) are not held up.
        if connection.features.has_select_for_update:  # SQLite: the transaction holds the write lock
            Agency.objects.select_for_update(no_key=True).filter(pk=agency.pk).exists()
        held = services.find_duplicates(agency, [c.sha256 for c in candidates])
        if held:
            return Outcome(file, "duplicate", sha256=sha256, documents=held)
        document = services.store(agency, candidates, actor=actor, **fields)
    return Outcome(file, "accepted", sha256=sha256, document=document.pk)


def _as_metadata_error(error: HosoError, file) -> HosoError:
    """casefiles' invalid_metadata (a field the record refuses) is the sheet's fault: metadata_invalid."""
    if error.code != "invalid_metadata":
        return error
    detail = error.detail if isinstance(error.detail, dict) else {}
    reason = "; ".join(f"{name}: {' '.join(map(str, problems))}" for name, problems in detail.items())
    return Rejected.of("metadata_invalid", file, reason=reason or error.message)


def _edxml():
    try:
        from . import edxml
    except ImportError:  # the edXML channel is not installed
        return None
    return edxml


def _import_edxml(edxml, agency, candidate, file, actor) -> Outcome:
    """The package imports itself (its own metadata, files and duplicate check)."""
    try:
        with candidate.open() as handle:
            result = edxml.import_package(agency, handle, candidate.name, actor=actor)
    except HosoError as exc:
        return Outcome.rejected(file, exc, candidate.sha256)
    document = result.document.pk if result.document is not None else None
    if result.duplicate:
        return Outcome(file, "duplicate", sha256=candidate.sha256, documents=[document])
    return Outcome(file, "accepted", sha256=candidate.sha256, document=document)
