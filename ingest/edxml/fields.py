"""MessageHeader <-> Document record (Decree 30 Appendix VI names), both ways in one place.

Dates are written yyyy/MM/dd and timestamps yyyy/MM/dd HH:mm:ss, Vietnam time, as
every SDK builder does. DocumentId is OrganId,yyyy/MM/dd,Number/Notation.
"""

import datetime
import re

from django.utils import timezone

from casefiles.models import Document

from .parse import invalid
from .tree import text

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
# Free text the sender may write longer than Appendix VI sizes: kept whole in the header JSON, clipped on the record.
CLIPPED = ("organ_name", "subject", "description", "type_name", "signer_position", "signer_full_name", "to_places")
# Signing authority written before the position ("KT. GIÁM ĐỐC" + "Phó Giám đốc"), NĐ 30 Phụ lục I.
AUTHORITIES = {"TM.", "KT.", "TL.", "TUQ.", "Q."}


def format_date(value) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def timestamp(moment=None) -> str:
    return timezone.localtime(moment or timezone.now()).strftime(TIMESTAMP_FORMAT)


def parse_date(value: str, label, name):
    """'2025/03/14' (also '2025-03-14', with or without a time after it) -> date; '' -> None."""
    if not value:
        return None
    match = re.match(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T].*)?$", value)
    try:
        return datetime.date(*map(int, match.groups()))
    except (AttributeError, ValueError) as exc:
        raise invalid(name, f"{label} «{value}» không đúng định dạng yyyy/MM/dd") from exc


def parse_number(value: str, label, name, maximum):
    if not value:
        return None
    if not value.isdigit() or int(value) > maximum:
        raise invalid(name, f"{label} «{value}» phải là số từ 0 đến {maximum}")
    return int(value)


def document_identifier(organ_id, date, number_notation) -> str:
    return f"{organ_id},{format_date(date)},{number_notation}"


def organ_id(value: str, name) -> str:
    if len(value) > 35:
        raise invalid(name, f"mã định danh «{value[:40]}…» dài quá 35 ký tự")
    return value


def _clip(fields):
    for field in CLIPPED:
        fields[field] = fields[field][: Document._meta.get_field(field).max_length]
    return fields


def split_signer(position: str):
    """'KT. GIÁM ĐỐC Phó Giám đốc' -> ('KT. GIÁM ĐỐC', 'Phó Giám đốc'); no authority -> ('', position)."""
    words = position.split()
    if not words or words[0].upper() not in AUTHORITIES:
        return "", " ".join(words)
    # The authority runs on in capitals (KT. GIÁM ĐỐC); the position starts at the first word that is not.
    cut = next((i for i, word in enumerate(words[1:], 1) if word != word.upper()), len(words))
    return " ".join(words[:cut]), " ".join(words[cut:])


def document_fields(message: dict, name):
    """(Document fields, recipients, DocumentId) of a received document from its MessageHeader."""
    if not text(message, "Subject"):
        raise invalid(name, "thiếu trích yếu (Subject)")
    issued_date = parse_date(text(message, "PromulgationInfo", "PromulgationDate"), "ngày ban hành", name)
    signer = " ".join(filter(None, (text(message, "SignerInfo", "Competence"),
                                    text(message, "SignerInfo", "Position"))))
    places = message.get("ToPlaces")
    fields = {
        "kind": Document.Kind.RECEIVED,
        "organ_name": text(message, "From", "OrganName"),
        "code_number": text(message, "Code", "CodeNumber"),
        "code_notation": text(message, "Code", "CodeNotation"),
        "issued_date": issued_date,
        "type_name": text(message, "DocumentType", "TypeName"),
        "subject": text(message, "Subject"),
        "description": text(message, "Content"),
        "signer_position": signer,
        "signer_full_name": text(message, "SignerInfo", "FullName"),
        "due_date": parse_date(text(message, "DueDate"), "hạn xử lý", name),
        "priority": parse_number(text(message, "OtherInfo", "Priority") or "0", "độ khẩn", name, 4),
        "page_amount": parse_number(text(message, "OtherInfo", "PageAmount"), "số trang", name, 999),
        "issued_amount": parse_number(text(message, "OtherInfo", "PromulgationAmount"), "số lượng phát hành",
                                      name, 999),
        "to_places": "; ".join(p for p in places if isinstance(p, str) and p) if isinstance(places, list) else "",
        "arrival_date": timezone.now(),
    }
    recipients = [
        {"organ_id": organ_id(text(to, "OrganId"), name), "organ_name": text(to, "OrganName")[:200]}
        for to in message.get("To", []) if isinstance(to, dict)
    ]
    return _clip(fields), recipients, message_identifier(message, name)


def message_identifier(message: dict, name) -> str:
    """MessageHeader/DocumentId, or the one its sender, date, number and notation make."""
    identifier = text(message, "DocumentId")
    sender = text(message, "From", "OrganId")
    issued_date = parse_date(text(message, "PromulgationInfo", "PromulgationDate"), "ngày ban hành", name)
    if not identifier and sender and issued_date:
        number_notation = "/".join(filter(None, (text(message, "Code", "CodeNumber"),
                                                 text(message, "Code", "CodeNotation"))))
        identifier = document_identifier(sender, issued_date, number_notation)
    if not identifier or len(identifier) > 120:
        raise invalid(name, "thiếu hoặc sai mã văn bản (DocumentId)")
    return identifier


def organ(agency) -> dict:
    """An agency as edXML From/To (8 fields; those the record does not hold are left empty)."""
    return {
        "OrganId": agency.identifier, "OrganizationInCharge": agency.parent.name if agency.parent else "",
        "OrganName": agency.name, "OrganAdd": agency.address, "Email": "", "Telephone": "", "Fax": "",
        "Website": "",
    }


def identifier_of(document) -> str:
    return document.identifier or document_identifier(document.agency.identifier, document.issued_date,
                                                      document.number_notation)


def message_header(document) -> dict:
    """The MessageHeader of an issued document, in QCVN 102 element order."""
    competence, position = split_signer(document.signer_position)
    return {
        "From": organ(document.agency),
        "To": [{"OrganId": r.organ_id, "OrganizationInCharge": "", "OrganName": r.organ_name, "OrganAdd": "",
                "Email": "", "Telephone": "", "Fax": "", "Website": ""} for r in document.recipients.all()],
        "Code": {"CodeNumber": document.code_number, "CodeNotation": document.code_notation},
        "PromulgationInfo": {"Place": "", "PromulgationDate": format_date(document.issued_date)},
        "DocumentType": {"TypeName": document.type_name},
        "Subject": document.subject,
        "Content": document.description,
        "SignerInfo": {"Competence": competence, "Position": position, "FullName": document.signer_full_name},
        "DueDate": format_date(document.due_date),
        "ToPlaces": [p.strip() for p in document.to_places.split(";") if p.strip()],
        "OtherInfo": {"Priority": document.priority, "PromulgationAmount": _blank(document.issued_amount),
                      "PageAmount": _blank(document.page_amount)},
        "SteeringType": 0,  # value set NOT CONFIRMED; every builder seen sends 0
        "DocumentId": identifier_of(document),
    }


def _blank(number):
    return "" if number is None else number
