"""Intake: every channel ends here. Files pass the pipeline, then the document is stored whole
(record, files, text, signatures) in one transaction, or nothing is."""

import logging
from dataclasses import dataclass, field

from django.db import transaction

from casefiles.models import Blob, DocumentFile
from casefiles.services import FileInput, create_document

from . import pipeline
from .errors import Rejected

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    document: object = None
    duplicate_of: list = field(default_factory=list)  # ids of the agency's documents holding the same bytes
    candidates: list = field(default_factory=list)


def find_duplicates(agency, sha256s):
    """The agency's documents that already hold any of these bytes (SHA-256)."""
    sha256s = list(sha256s)
    if not Blob.objects.filter(sha256__in=sha256s).exists():  # bytes new to the store: the usual case
        return []
    return sorted(set(
        DocumentFile.objects.filter(document__agency=agency, blob__sha256__in=sha256s)
        .values_list("document_id", flat=True)
    ))


def prepare(workspace, files):
    """Run the pipeline on [(fileobj or bytes, name, role)]; return the candidates to store."""
    stored = []
    for source, name, role in files:
        candidate = workspace.add(source, name, role)
        stored.extend(pipeline.process(candidate, workspace))
    return stored


def store(agency, candidates, *, actor=None, request=None, recipients=(), on_commit=None, **metadata):
    """Create the document from candidates that passed the pipeline, atomically.

    ``on_commit(document)`` runs after the commit (queueing OCR and indexing there, never before).
    """
    handles = [candidate.open() for candidate in candidates]
    try:
        document = create_document(
            agency=agency, actor=actor, request=request, recipients=recipients,
            files=[FileInput(handle, c.name, c.role, c.file_fields()) for handle, c in zip(handles, candidates)],
            **metadata,
        )
    finally:
        for handle in handles:
            handle.close()
    for_ocr = [f.pk for f in document.new_files if f.ocr_status == DocumentFile.OcrStatus.PENDING]
    transaction.on_commit(lambda: _after_commit(document, for_ocr, on_commit))
    return document


def _after_commit(document, for_ocr, callback):
    from .tasks import queue_ocr

    for pk in for_ocr:
        queue_ocr(pk)
    if callback is not None:
        callback(document)


def ingest_document(agency, files, *, actor=None, request=None, recipients=(), **metadata):
    """One document from one or more files [(fileobj or bytes, name, role)] with its metadata."""
    with pipeline.Workspace() as workspace:
        candidates = prepare(workspace, files)
        if not candidates:
            raise Rejected("empty_file", "Không có tệp nào để lưu.")
        duplicates = find_duplicates(agency, [c.sha256 for c in candidates])
        document = store(agency, candidates, actor=actor, request=request, recipients=recipients, **metadata)
    return IngestResult(document=document, duplicate_of=duplicates, candidates=candidates)
