"""Content-addressed, write-once storage of document bytes.

Bytes are named by their SHA-256: ``ab/cd/<first 48 hex digits>`` in the
"records" storage (Django's storage API: local folder or S3). The file name
part is 48 ASCII characters, within the 50 the Sơn La regulation allows; the
full digest is kept in the database and checked on every write. The same bytes
are stored once, and an existing object is never overwritten.
"""

import hashlib
import tempfile

import magic
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from accounts.errors import HosoError

from .models import Blob

CHUNK = 1024 * 1024
NAME_DIGITS = 48


def records_storage():
    return storages["records"]


def blob_name(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256[:NAME_DIGITS]}"


def _spool(fileobj, max_bytes):
    """Copy an upload to a temporary file, hashing it; refuse it past max_bytes."""
    digest = hashlib.sha256()
    size = 0
    spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    while chunk := fileobj.read(CHUNK):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            spool.close()
            raise HosoError(
                f"Tệp vượt quá dung lượng cho phép ({max_bytes // (1024 * 1024)} MB).",
                code="file_too_large", detail={"max_bytes": max_bytes}, status=413,
            )
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    return spool, digest.hexdigest(), size


def _stored_digest(storage, name):
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def store(fileobj, max_bytes=None) -> Blob:
    """Store the bytes of fileobj once and return their Blob."""
    spool, sha256, size = _spool(fileobj, max_bytes)
    with spool:
        existing = Blob.objects.filter(sha256=sha256).first()
        if existing is not None:
            return existing
        head = spool.read(8192)
        spool.seek(0)
        mime_type = magic.from_buffer(head, mime=True) if head else "application/x-empty"
        storage = records_storage()
        name = blob_name(sha256)
        reused = storage.exists(name)
        if reused:
            # Left by an earlier write whose transaction did not commit: reuse it only if it is whole.
            if _stored_digest(storage, name) != sha256:
                raise HosoError("Tệp lưu trữ trùng tên nhưng khác nội dung.", code="blob_conflict",
                                detail={"name": name}, status=500)
        else:
            _save(storage, name, spool)
        try:
            with transaction.atomic():
                blob = Blob.objects.create(sha256=sha256, size=size, mime_type=mime_type, name=name)
        except IntegrityError:
            return Blob.objects.get(sha256=sha256)
        if reused and not storage.exists(name):
            # The orphan sweeper removed that old object between the check and the row (PostgreSQL; on
            # SQLite it waits for this transaction). From the row on it waits for the commit: write again.
            _save(storage, name, spool)
        return blob


def _save(storage, name, spool):
    spool.seek(0)
    saved = storage.save(name, File(spool, name=name))
    if saved != name:
        # Another writer stored the same bytes at the same moment: keep theirs, drop ours.
        storage.delete(saved)


def open_blob(blob: Blob):
    return records_storage().open(blob.name, "rb")
