"""Writing edXML packages in the layout of the SDK builders and the sample package.

The root ``edXML`` declares the QCVN namespace as default, the envelope binds the
``edXML:`` prefix to the same URI, and file payloads travel base64-encoded in
unprefixed ``AttachmentEncoded/Attachment`` elements outside the envelope.
"""

import base64
import io
import uuid
import xml.etree.ElementTree as ET

from accounts.errors import HosoError
from casefiles import blobstore
from casefiles.models import Document

from ..models import EdxmlPackage
from . import fields
from .tree import NAMESPACE, PREFIX, append

XLINK = "http://www.w3.org/1999/xlink"


def render(header_parts: dict, files=()) -> bytes:
    """A package: header parts ({"MessageHeader": {...}, "TraceHeaderList": {...}} or {"Status": {...}})
    and files [(bytes, name, content type, description)], UTF-8 with an XML declaration."""
    root = ET.Element("edXML", {"xmlns": NAMESPACE})
    envelope = ET.SubElement(root, f"{PREFIX}:edXMLEnvelope", {f"xmlns:{PREFIX}": NAMESPACE})
    header = ET.SubElement(envelope, f"{PREFIX}:edXMLHeader")
    for name, value in header_parts.items():
        append(header, name, value)
    if files:
        ids = [str(uuid.uuid4()) for _ in files]
        body = ET.SubElement(envelope, f"{PREFIX}:edXMLBody")
        manifest = ET.SubElement(body, f"{PREFIX}:edXMLManifest", {"version": "1.0"})
        encoded = ET.SubElement(root, "AttachmentEncoded")
        for cid, (data, name, content_type, description) in zip(ids, files):
            reference = {"xmlns:xlink": XLINK, "xlink:href": f"cid:{cid}", "xlink:role": "XLinkRole",
                         "xlink:type": "simple"}
            append(manifest, "Reference", {"ContentId": f"cid:{cid}", "ContentType": content_type,
                                           "Description": description, "AttachmentName": name}, attrs=reference)
            append(encoded, "Attachment", {
                "ContentType": content_type, "ContentId": cid, "Description": description,
                "ContentTransferEncoded": base64.b64encode(data).decode("ascii"), "AttachmentName": name,
            }, prefix="")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")


def trace(agency, business_type=0, reason="Gửi văn bản điện tử mới") -> dict:
    return {
        "TraceHeader": [{"OrganId": agency.identifier, "Timestamp": fields.timestamp()}],
        "Bussiness": {"BussinessDocType": business_type, "BussinessDocReason": reason, "Paper": 0},
    }


def _file(document_file) -> tuple:
    with blobstore.open_blob(document_file.blob) as handle:
        data = handle.read()
    return data, document_file.original_name, document_file.blob.mime_type, document_file.get_role_display()


def build_document_package(document, business_type=0, reason="Gửi văn bản điện tử mới") -> bytes:
    """The edXML package of an issued document: its metadata, recipients and every file's bytes.
    ``business_type`` 1 makes it a recall (thu hồi) of the document, with ``reason``."""
    if document.kind != Document.Kind.ISSUED:
        raise HosoError("Chỉ xuất gói tin edXML cho văn bản đi.", code="edxml_not_issued", status=409)
    if not (document.code_number and document.issued_date):
        raise HosoError("Văn bản đi chưa có số hoặc ngày ban hành, chưa xuất được gói tin edXML.",
                        code="edxml_not_numbered", status=409)
    files = [_file(f) for f in document.files.select_related("blob").order_by("ordinal", "id")]
    return render({"MessageHeader": fields.message_header(document),
                   "TraceHeaderList": trace(document.agency, business_type, reason)}, files)


def send_document(document, *, actor=None, business_type=0, reason="Gửi văn bản điện tử mới") -> EdxmlPackage:
    """Build an issued document's package and keep it as outgoing (direction out) for the transport."""
    data = build_document_package(document, business_type, reason)
    return EdxmlPackage.objects.create(
        agency=document.agency, document=document, direction=EdxmlPackage.Direction.OUT,
        business_type=business_type, document_identifier=fields.identifier_of(document),
        from_organ_id=document.agency.identifier, from_organ_name=document.agency.name,
        blob=blobstore.store(io.BytesIO(data)), created_by=actor if getattr(actor, "pk", None) else None,
        header={"reason": reason, "to": [r.organ_id or r.organ_name for r in document.recipients.all()]},
    )
