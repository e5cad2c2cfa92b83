"""Reading an edXML package from untrusted bytes.

Only defusedxml parses: a DTD, an entity declaration or an external reference is
refused (xml_forbidden), broken XML is xml_malformed, a tree that is not a usable
package is edxml_invalid. Elements are found by local name, so the edXML: prefix
and the default namespace are equally accepted (the SDK builders mix them).
"""

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import Rejected
from .tree import NAMESPACE, child, children, local, text, to_json

ZIP_TYPES = {"application/zip", "application/x-zip-compressed"}


@dataclass
class Attachment:
    content_id: str
    name: str
    content_type: str
    description: str
    data: bytes

    @property
    def zipped(self) -> bool:
        return self.content_type.lower() in ZIP_TYPES or self.name.lower().endswith(".zip")


@dataclass
class Package:
    """A parsed package: its header as JSON ({"MessageHeader", "TraceHeaderList"} or {"Status"}) and files."""

    header: dict
    attachments: list = field(default_factory=list)  # in manifest order
    business_type: int | None = None  # 0 new, 1 recall, 2 update, 3 replace; None for a status package

    @property
    def is_status(self) -> bool:
        return "Status" in self.header

    @property
    def message(self) -> dict:
        return self.header.get("MessageHeader", {})

    @property
    def business(self) -> dict:
        business = self.header.get("TraceHeaderList", {}).get("Bussiness", {})
        return business if isinstance(business, dict) else {}


def invalid(name, reason):
    return Rejected.of("edxml_invalid", name, reason=reason)


def read_tree(data: bytes, name):
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Rejected.of("xml_forbidden", name) from exc
    except (ET.ParseError, ValueError) as exc:
        raise Rejected.of("xml_malformed", name) from exc


def parse(data: bytes, name="") -> Package:
    root = read_tree(data, name)
    if local(root.tag) != "edXML" or not root.tag.startswith(f"{{{NAMESPACE}}}"):
        raise invalid(name, f"phần tử gốc phải là edXML trong không gian tên {NAMESPACE}")
    header = child(child(root, "edXMLEnvelope"), "edXMLHeader")
    if header is None:
        raise invalid(name, "thiếu edXMLEnvelope/edXMLHeader")
    status = child(header, "Status")
    if status is not None:
        return Package(header={"Status": to_json(status)})
    message = child(header, "MessageHeader")
    if message is None or not children(message):
        raise invalid(name, "thiếu MessageHeader")
    parsed = {"MessageHeader": to_json(message)}
    trace = child(header, "TraceHeaderList")
    if trace is not None and children(trace):
        parsed["TraceHeaderList"] = to_json(trace)
    business_type = text(parsed, "TraceHeaderList", "Bussiness", "BussinessDocType") or "0"
    if business_type not in {"0", "1", "2", "3"}:
        raise invalid(name, "BussinessDocType phải là 0, 1, 2 hoặc 3")
    return Package(header=parsed, attachments=_attachments(root, name), business_type=int(business_type))


def content_id(value: str) -> str:
    """'cid:<id>' and '<id>' name the same attachment (the prefix is used inconsistently)."""
    value = value.strip().strip("<>")
    return value[4:] if value.lower().startswith("cid:") else value


def _decode(encoded: str, package_name, name) -> bytes:
    try:
        return base64.b64decode(re.sub(r"\s+", "", encoded), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid(package_name, f"nội dung tệp «{name}» không phải base64 hợp lệ") from exc


def _attachments(root, package_name) -> list:
    """Attachments in the order the manifest references them (then any it does not name)."""
    encoded = {}
    container = child(root, "AttachmentEncoded")
    for element in children(container, "Attachment") if container is not None else []:
        fields = to_json(element)
        cid = content_id(text(fields, "ContentId"))
        name = text(fields, "AttachmentName")
        if cid in encoded:
            raise invalid(package_name, f"hai tệp cùng ContentId {cid}")
        if not text(fields, "ContentTransferEncoded"):
            raise invalid(package_name, f"tệp «{name or cid}» không có nội dung")
        encoded[cid] = Attachment(cid, name, text(fields, "ContentType"), text(fields, "Description"),
                                  _decode(text(fields, "ContentTransferEncoded"), package_name, name or cid))
    manifest = child(child(child(root, "edXMLEnvelope"), "edXMLBody"), "edXMLManifest")
    ordered = []
    for reference in children(manifest, "Reference") if manifest is not None else []:
        fields = to_json(reference) if children(reference) else {}
        href = next((v for k, v in reference.attrib.items() if local(k) == "href"), "")
        cid = content_id(text(fields, "ContentId") or href)
        attachment = encoded.pop(cid, None)
        if attachment is None:
            raise invalid(package_name, f"tệp «{text(fields, 'AttachmentName') or cid}» có trong danh mục "
                                        "nhưng không có trong gói tin")
        attachment.name = attachment.name or text(fields, "AttachmentName")
        ordered.append(attachment)
    for attachment in (*ordered, *encoded.values()):
        attachment.name = attachment.name or attachment.content_id or "tep"
    return ordered + list(encoded.values())
