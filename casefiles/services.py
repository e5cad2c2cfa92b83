"""Creating, changing and removing document records, always audited and atomic."""

import posixpath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import audit
from accounts.errors import HosoError
from hoso.text import nfc

from . import blobstore
from .filing import guard_document
from .models import Document, DocumentFile, FileSignature, Recipient

DOCUMENT_FIELDS = (
    "kind", "unit", "type_name", "code_number", "code_notation", "issued_date", "organ_name", "subject",
    "language", "page_amount", "description", "signer_position", "signer_full_name", "priority", "due_date",
    "arrival_date", "arrival_number", "to_places", "issued_amount", "identifier",
)


def original_name(name: str) -> str:
    """The uploaded name as the user knows it: last path part, NFC, at most 255 characters."""
    base = posixpath.basename(nfc(name or "").replace("\\", "/")).strip()
    return base[-255:] or "tep"


def _validate(document):
    try:
        document.full_clean(exclude=["agency", "created_by"])
    except ValidationError as exc:
        raise HosoError("Thông tin văn bản không hợp lệ.", code="invalid_metadata",
                        detail=exc.message_dict) from exc
    if document.unit_id and document.unit.agency_id != document.agency_id:
        raise HosoError("Đơn vị không thuộc cơ quan này.", code="unit_not_in_agency")


class FileInput(NamedTuple):
    """A file to attach: its bytes, the name the user gave it, its role, and fields found at intake
    (text, text_source, page_count, ocr_status, quarantined, flags; signatures: FileSignature fields)."""

    fileobj: object
    name: str
    role: str = DocumentFile.Role.MAIN
    fields: dict = {}


def attach_file(document, fileobj, name, role=DocumentFile.Role.MAIN, **fields):
    guard_document(document)
    return _attach(document, FileInput(fileobj, name, role, fields), document.files.count() + 1)


def _attach(document, file: FileInput, ordinal):
    fields = dict(file.fields)
    signatures = fields.pop("signatures", ())
    blob = blobstore.store(file.fileobj, max_bytes=settings.HOSO_MAX_UPLOAD_BYTES)
    document_file = DocumentFile.objects.create(
        document=document, blob=blob, role=file.role, original_name=original_name(file.name), ordinal=ordinal,
        **fields,
    )
    if signatures:
        FileSignature.objects.bulk_create(FileSignature(document_file=document_file, **s) for s in signatures)
    return document_file


@transaction.atomic
def create_document(*, agency, actor=None, request=None, files=(), recipients=(), **fields):
    """Create a document with its files (FileInput or (fileobj, name, role)) and recipients, audited.

    Either everything is stored or nothing is: a bad file rolls the record back. The new document's
    files, in order, are on ``document.new_files``.
    """
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise HosoError("Trường thông tin không được hỗ trợ.", code="unknown_field", detail=sorted(unknown))
    document = Document(agency=agency, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    _validate(document)
    document.save()
    # A new record is in no case file yet: nothing to guard.
    document.new_files = [_attach(document, FileInput(*file), ordinal) for ordinal, file in enumerate(files, 1)]
    if recipients:
        Recipient.objects.bulk_create(Recipient(document=document, **recipient) for recipient in recipients)
    audit.record(audit.CREATE, document, actor=actor, request=request,
                 detail={"files": [f.blob.sha256 for f in document.new_files]})
    return document


def update_document(document, *, actor=None, request=None, **fields):
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise HosoError("Trường thông tin không được hỗ trợ.", code="unknown_field", detail=sorted(unknown))
    guard_document(document, actor=actor, request=request)
    changed = {}
    for field, value in fields.items():
        old = getattr(document, field)
        if old != value:
            changed[field] = [old, value]
            setattr(document, field, value)
    if changed:
        _validate(document)
        with transaction.atomic():
            document.save()
            audit.record(audit.UPDATE, document, actor=actor, request=request, detail={"changed": changed})
    return document


def delete_document(document, *, actor=None, request=None):
    """Remove the record; its bytes stay in the store (other records may share them)."""
    guard_document(document, actor=actor, request=request)
    if document.case_entries.exists():
        raise HosoError("Văn bản đã được lập vào hồ sơ; rút khỏi hồ sơ trước khi xóa.",
                        code="document_filed", status=409)
    with transaction.atomic():
        audit.record(audit.DELETE, document, actor=actor, request=request,
                     detail={"files": list(document.files.values_list("blob__sha256", flat=True))})
        document.delete()


def record_view(document, *, actor=None, request=None):
    audit.record(audit.VIEW, document, actor=actor, request=request)


def record_download(document_file, *, actor=None, request=None):
    audit.record(audit.DOWNLOAD, document_file.document, actor=actor, request=request,
                 detail={"file": document_file.pk, "sha256": document_file.blob.sha256})
