"""Status packages (phản hồi trạng thái, QĐ 28/2018 Art. 9) sent back to the sender of a document.

Layout of the domain reference §1.7 / Appendix A: edXMLHeader/Status with ResponseFor
(the original's OrganId, Code, PromulgationDate, DocumentId), From (us), StatusCode,
Description, Timestamp and StaffInfo. The status is addressed to the sender through
ResponseFor/OrganId; the package is stored as an outgoing EdxmlPackage for the
transport to deliver.
"""

import io

from django.db import transaction

from accounts.errors import HosoError
from casefiles import blobstore

from ..models import EdxmlPackage
from . import fields
from .build import render
from .tree import text

# Code -> Vietnamese meaning, for routing to report progress (01 on arrival is sent by import_package).
status_codes = dict(EdxmlPackage.Status.choices)
# Codes that must say why (refusals).
REASON_REQUIRED = {EdxmlPackage.Status.REFUSED, EdxmlPackage.Status.RECALL_REFUSED}


def _incoming(document_or_package) -> EdxmlPackage:
    """The received package a status answers (for a document: the one that carried it)."""
    if isinstance(document_or_package, EdxmlPackage):
        return document_or_package
    package = (document_or_package.edxml_packages.filter(direction=EdxmlPackage.Direction.IN, status_code="")
               .exclude(business_type=EdxmlPackage.Business.RECALL).order_by("-id").first())
    if package is None:
        raise HosoError("Văn bản không được nhận qua liên thông edXML, không gửi được trạng thái.",
                        code="edxml_no_package", status=409)
    return package


def _response_for(package: EdxmlPackage) -> dict:
    message = package.header.get("MessageHeader", {})
    number_notation = "/".join(filter(None, (text(message, "Code", "CodeNumber"),
                                             text(message, "Code", "CodeNotation"))))
    return {
        "OrganId": package.from_organ_id, "Code": number_notation,
        "PromulgationDate": text(message, "PromulgationInfo", "PromulgationDate"),
        "DocumentId": package.document_identifier,
    }


def _staff(actor) -> dict:
    unit = getattr(actor, "unit", None)
    return {"Department": unit.name if unit else "", "Staff": actor.get_full_name() if actor else "",
            "Mobile": "", "Email": getattr(actor, "email", "") or ""}


def build_status(document_or_package, code, actor=None, description="") -> EdxmlPackage:
    """Produce and store (direction out) the status package `code` for a received document or package."""
    if code not in status_codes:
        raise HosoError(f"Mã trạng thái {code} không có trong danh mục.", code="edxml_status_unknown")
    if code in REASON_REQUIRED and not description.strip():
        raise HosoError("Từ chối phải nêu lý do.", code="edxml_reason_required")
    incoming = _incoming(document_or_package)
    agency = incoming.agency
    status = {
        "ResponseFor": [_response_for(incoming)], "From": fields.organ(agency), "StatusCode": code,
        "Description": description or status_codes[code], "Timestamp": fields.timestamp(), "StaffInfo": _staff(actor),
    }
    data = render({"Status": status})
    with transaction.atomic():
        return EdxmlPackage.objects.create(
            agency=agency, document=incoming.document, direction=EdxmlPackage.Direction.OUT,
            document_identifier=incoming.document_identifier, from_organ_id=agency.identifier,
            from_organ_name=agency.name, status_code=code, blob=blobstore.store(io.BytesIO(data)),
            header={"Status": status}, created_by=actor if getattr(actor, "pk", None) else None,
        )

