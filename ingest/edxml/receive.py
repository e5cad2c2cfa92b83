"""Receiving an edXML package into an agency: a new document, a recall, an update or a status.

The package is refused whole or taken whole: its files pass the intake pipeline
first, then the document, its files, the original package bytes and the status
01 reply are stored in one transaction.
"""

import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import audit
from casefiles import blobstore
from casefiles.models import Document

from .. import pipeline, services
from ..errors import Rejected
from ..models import EdxmlPackage
from . import fields
from .parse import Package, invalid, parse
from .status import build_status
from .tree import text

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
# A package carries several files, base64-encoded (a third larger than the files themselves).
PACKAGE_LIMIT_FILES = 4


@dataclass
class EdxmlResult:
    document: Document | None
    package: EdxmlPackage | None  # the received package as recorded
    duplicate: bool = False  # already imported: nothing new was stored
    reply: EdxmlPackage | None = None  # the status package produced in answer (01 arrived, 15 recall done)
    duplicate_of: list = field(default_factory=list)  # other documents of the agency holding the same file bytes
    warnings: list = field(default_factory=list)  # stable codes, e.g. "agency_not_in_to"


def _read(source, name) -> bytes:
    limit = settings.HOSO_MAX_UPLOAD_BYTES * PACKAGE_LIMIT_FILES
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        parts, size = [], 0
        while size <= limit and (chunk := source.read(CHUNK)):
            parts.append(chunk)
            size += len(chunk)
        data = b"".join(parts)
    if len(data) > limit:
        raise Rejected.of("file_too_large", name, max_mb=limit // (1024 * 1024))
    if not data:
        raise Rejected.of("empty_file", name)
    return data


def _record(agency, package: Package, data, document, actor, **values) -> EdxmlPackage:
    return EdxmlPackage.objects.create(
        agency=agency, document=document, direction=EdxmlPackage.Direction.IN, header=package.header,
        blob=blobstore.store(io.BytesIO(data)), created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )


def _sender(package: Package, name) -> dict:
    source = package.header["Status"] if package.is_status else package.message
    return {"from_organ_id": fields.organ_id(text(source, "From", "OrganId"), name),
            "from_organ_name": text(source, "From", "OrganName")[:200]}


def _files(package: Package) -> list:
    """[(bytes, name, role)]: the first file is the main one; a zipped file is named .zip for the archive step."""
    files = []
    for index, attachment in enumerate(package.attachments):
        name = attachment.name
        if attachment.zipped and not name.lower().endswith(".zip"):
            name = f"{name}.zip"
        files.append((attachment.data, name, "main" if index == 0 else "attachment"))
    return files


def _receive_document(agency, package, data, name, actor, request) -> EdxmlResult:
    metadata, recipients, identifier = fields.document_fields(package.message, name)
    sender = _sender(package, name)
    warnings = []
    if agency.identifier not in {r["organ_id"] for r in recipients}:
        warnings.append("agency_not_in_to")
        logger.warning("edXML %s imported into %s, which its To does not name", identifier, agency.identifier)
    with pipeline.Workspace() as workspace:
        candidates = services.prepare(workspace, _files(package))
        if not candidates:
            raise invalid(name, "gói tin không có tệp văn bản")
        duplicate_of = services.find_duplicates(agency, [c.sha256 for c in candidates])
        with transaction.atomic():
            document = services.store(agency, candidates, actor=actor, request=request, recipients=recipients,
                                      **metadata)
            document.identifier = identifier
            document.save(update_fields=["identifier"])
            record = _record(agency, package, data, document, actor, business_type=package.business_type,
                             document_identifier=identifier, **sender)
            reply = build_status(record, EdxmlPackage.Status.ARRIVED, actor)
    return EdxmlResult(document, record, reply=reply, duplicate_of=duplicate_of, warnings=warnings)


def _recall(agency, package, data, name, actor, request) -> EdxmlResult:
    """Withdraw a received document: files refused, text cleared; metadata and the recall kept."""
    business = package.business
    identifier = text(business, "DocumentId") or text(package.message, "DocumentId")
    sender = _sender(package, name)
    document = (Document.objects.filter(agency=agency, kind=Document.Kind.RECEIVED, identifier=identifier)
                .order_by("-id").first() if identifier else None)
    if document is None:
        raise invalid(name, f"không có văn bản đến mã {identifier or '(trống)'} để thu hồi")
    original = document.edxml_packages.filter(direction=EdxmlPackage.Direction.IN, status_code="").first()
    if original is not None and original.from_organ_id != sender["from_organ_id"]:
        raise invalid(name, "chỉ cơ quan đã gửi văn bản mới được thu hồi văn bản")
    if document.is_recalled:
        return EdxmlResult(document, document.edxml_packages.filter(
            direction=EdxmlPackage.Direction.IN, business_type=EdxmlPackage.Business.RECALL).first(), duplicate=True)
    traces = package.header.get("TraceHeaderList", {}).get("TraceHeader", [])
    with transaction.atomic():
        record = _record(agency, package, data, document, actor, business_type=EdxmlPackage.Business.RECALL,
                         document_identifier=identifier, **sender)
        document.recalled_at = timezone.now()
        document.recall_info = {
            "reason": text(business, "BussinessDocReason"), "from_organ_id": sender["from_organ_id"],
            "from_organ_name": sender["from_organ_name"],
            "time": text(traces[-1], "Timestamp") if traces else "", "package": record.pk,
        }
        document.save(update_fields=["recalled_at", "recall_info", "updated_at"])
        for document_file in document.files.all():
            document_file.text, document_file.text_source = "", ""
            document_file.save(update_fields=["text", "text_source"])
        audit.record(audit.UPDATE, document, actor=actor, request=request, detail={"recall": document.recall_info})
        reply = build_status(record, EdxmlPackage.Status.RECALL_AGREED, actor, description="Đã thu hồi văn bản")
    return EdxmlResult(document, record, reply=reply)


def _receive_status(agency, package, data, name, actor, request) -> EdxmlResult:
    """A recipient's status about a document we issued: recorded against it."""
    status = package.header["Status"]
    responses = status.get("ResponseFor") or [{}]
    identifier = text(responses[0], "DocumentId")
    code = text(status, "StatusCode")
    if code not in EdxmlPackage.Status.values:
        raise invalid(name, f"mã trạng thái «{code}» không có trong danh mục")
    document = _issued_document(agency, identifier, name) if identifier else None
    if document is None:
        raise invalid(name, f"không có văn bản đi mã {identifier or '(trống)'} ứng với trạng thái")
    with transaction.atomic():
        record = _record(agency, package, data, document, actor, status_code=code, document_identifier=identifier,
                         **_sender(package, name))
    return EdxmlResult(document, record)


def _issued_document(agency, identifier, name):
    """Our issued document with this DocumentId, stored or (when none was stored) derived from its fields."""
    query = Q(identifier=identifier)
    parts = identifier.split(",")
    if len(parts) == 3 and parts[0] == agency.identifier:
        query |= Q(identifier="", issued_date=fields.parse_date(parts[1], "ngày ban hành", name))
    issued = Document.objects.filter(query, agency=agency, kind=Document.Kind.ISSUED).select_related("agency")
    return next((d for d in issued if fields.identifier_of(d) == identifier), None)


def _existing(agency, package: Package, sha256, name) -> EdxmlPackage | None:
    received = EdxmlPackage.objects.filter(agency=agency, direction=EdxmlPackage.Direction.IN)
    same = received.filter(blob__sha256=sha256).first()
    if same is None and package.business_type == EdxmlPackage.Business.NEW:
        same = received.filter(business_type=EdxmlPackage.Business.NEW,
                               document_identifier=fields.message_identifier(package.message, name)).first()
    return same


def import_package(agency, source, name="", actor=None, request=None) -> EdxmlResult:
    """Import one edXML package (bytes or a binary file object) into `agency`.

    A new document (BussinessDocType 0, also 2 update and 3 replace, noted in the package header) is
    stored as a received document with its files through the intake pipeline, and a status 01 (đã đến)
    is produced for the sender. A recall (1) withdraws the received document it names. A status
    package is recorded against the issued document it answers. The same package (bytes, or a new
    document's DocumentId) imported again returns what is already stored, flagged ``duplicate``.
    Raises ``Rejected`` (xml_forbidden, xml_malformed, edxml_invalid, and the pipeline's codes);
    nothing is stored then.
    """
    name = name or "edxml.xml"
    data = _read(source, name)
    package = parse(data, name)
    sha256 = hashlib.sha256(data).hexdigest()
    if existing := _existing(agency, package, sha256, name):
        return _duplicate(existing, name)
    if package.is_status:
        receive = _receive_status
    elif package.business_type == EdxmlPackage.Business.RECALL:
        receive = _recall
    else:
        receive = _receive_document
    try:
        return receive(agency, package, data, name, actor, request)
    except IntegrityError:
        # The same package was stored meanwhile by a concurrent import.
        existing = _existing(agency, package, sha256, name)
        if existing is None:
            raise
        return _duplicate(existing, name)


def _duplicate(existing: EdxmlPackage, name) -> EdxmlResult:
    if existing.document is None:
        raise invalid(name, "gói tin đã được nhận trước đây nhưng văn bản đã bị xóa")
    return EdxmlResult(existing.document, existing, duplicate=True)
