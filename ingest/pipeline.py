"""The intake pipeline: small ordered steps, each a module in ingest/steps with ``run(candidate)``.

Every channel (upload, batch folder, edXML, drop folder) turns what arrived
into Candidates and runs them through ``process``. A step inspects or enriches
the candidate and raises ``Rejected`` (stable code, Vietnamese message) to stop
it. Nothing is stored here: storing is ``ingest.services``' job, in one
transaction, after every file of a document passed.
"""

import hashlib
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.conf import settings

from .errors import Rejected

CHUNK = 1024 * 1024

STEPS = [
    "ingest.steps.size",  # size limit, empty files
    "ingest.steps.filename",  # original name (NFC), extension
    "ingest.steps.filetype",  # real type by libmagic against the extension; accepted formats
    "ingest.steps.archive",  # ZIP expanded with hard limits, no path traversal
    "ingest.steps.xml",  # XML only through defusedxml
    "ingest.steps.pdf",  # PDFs must open; JavaScript, launch actions, embedded files flagged
    "ingest.steps.extract",  # text and page count of every accepted format
    "ingest.steps.signatures",  # PDF signatures validated against the trust roots
]


@dataclass
class Candidate:
    """One file on its way in: bytes in a private temporary file, and what the steps found."""

    path: Path
    name: str  # as the sender named it, NFC, last path part
    size: int
    sha256: str
    role: str = "main"
    extension: str = ""  # lower-case, without the dot
    mime_type: str = ""
    text: str = ""
    text_source: str = ""
    page_count: int | None = None
    needs_ocr: bool = False
    quarantined: bool = False
    flags: list = field(default_factory=list)
    signatures: list = field(default_factory=list)  # dicts of casefiles.FileSignature fields
    children: list = field(default_factory=list)  # Candidates expanded from an archive
    depth: int = 0  # archive nesting level
    skip_store: bool = False  # containers (ZIP) are expanded, not stored themselves

    def open(self):
        return open(self.path, "rb")

    def head(self, size=8192) -> bytes:
        with self.open() as handle:
            return handle.read(size)

    def file_fields(self) -> dict:
        """The casefiles.DocumentFile fields this candidate fills, and its signatures' fields."""
        return {
            "text": self.text, "text_source": self.text_source, "page_count": self.page_count,
            "quarantined": self.quarantined, "flags": self.flags,
            "ocr_status": "pending" if self.needs_ocr else "none", "signatures": self.signatures,
        }


class Workspace:
    """A private temporary folder holding the candidates' bytes; removed on exit."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="hoso-ingest-", dir=settings.HOSO_INGEST_TMP))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)

    def add(self, source, name, role="main", depth=0) -> Candidate:
        """Copy a file object (or bytes) into the workspace, hashing it on the way."""
        digest, size = hashlib.sha256(), 0
        path = Path(tempfile.mkstemp(dir=self.root)[1])
        limit = settings.HOSO_MAX_UPLOAD_BYTES
        if isinstance(source, bytes | bytearray):
            source = _BytesReader(source)
        elif hasattr(source, "seek"):
            source.seek(0)
        with open(path, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise Rejected.of("file_too_large", name, max_mb=limit // (1024 * 1024))
                digest.update(chunk)
                out.write(chunk)
        return Candidate(path=path, name=unicodedata.normalize("NFC", name or ""), size=size,
                         sha256=digest.hexdigest(), role=role, depth=depth)


class _BytesReader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n=-1):
        end = len(self.data) if n < 0 else self.pos + n
        chunk, self.pos = self.data[self.pos:end], min(end, len(self.data))
        return bytes(chunk)


def _steps():
    return [import_module(path) for path in STEPS]


def process(candidate: Candidate, workspace: Workspace) -> list[Candidate]:
    """Run every step on a candidate; return the candidates to store (itself, or its expanded entries)."""
    for step in _steps():
        step.run(candidate, workspace)
        if candidate.skip_store:
            break
    if not candidate.skip_store:
        return [candidate]
    stored = []
    for child in candidate.children:
        stored.extend(process(child, workspace))
    return stored
