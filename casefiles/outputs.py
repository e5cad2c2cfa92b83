"""Printable and exchangeable outputs of file plans and case files (Decree 30 Appendix V and VI):
the file plan PDF, Mục lục văn bản (PDF, XML), and a case-file export package (ZIP)."""

import hashlib
import io
import json
import zipfile
from xml.etree import ElementTree as ET

from django.utils import timezone

from hoso.fonts import register_fonts

from . import blobstore
from .filing import chronological_entries
from .plans import plan_counts, plan_rows

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def display_date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def pdf_styles():
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = register_fonts()
    return {
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=10, leading=12),
        "head": ParagraphStyle("head", fontName=bold, fontSize=10, leading=12, alignment=TA_CENTER),
        "bold": ParagraphStyle("bold", fontName=bold, fontSize=10, leading=12),
        "title": ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, alignment=TA_CENTER),
        "center": ParagraphStyle("center", fontName=regular, fontSize=10, leading=13, alignment=TA_CENTER),
        "centerbold": ParagraphStyle("centerbold", fontName=bold, fontSize=10, leading=13, alignment=TA_CENTER),
        "text": ParagraphStyle("text", fontName=regular, fontSize=11, leading=14),
    }


def pdf_escape(text):
    return (str(text or "")).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_header(agency, styles, width):
    """Agency block on the left, the national motto on the right (Appendix V header)."""
    from reportlab.platypus import Paragraph, Table

    parent = agency.parent.name.upper() if agency.parent_id else ""
    left = [Paragraph(pdf_escape(parent), styles["center"]), Paragraph(pdf_escape(agency.name.upper()), styles["centerbold"])]
    right = [Paragraph(MOTTO[0], styles["centerbold"]), Paragraph(MOTTO[1], styles["centerbold"])]
    return Table([[left, right]], colWidths=[width * 0.42, width * 0.58])


def pdf_table(rows, widths, styles, heading_rows=()):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    def style_of(index):
        return styles["head"] if index in (0, 1) else styles["bold"] if index in heading_rows else styles["cell"]

    body = [[Paragraph(pdf_escape(cell), style_of(index)) for cell in row] for index, row in enumerate(rows)]
    table = Table(body, colWidths=widths, repeatRows=2)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("SPAN", (1, index), (-1, index)) for index in heading_rows]
    table.setStyle(TableStyle(style))
    return table


def build_pdf(story_builder, landscape_page=False):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    pagesize = landscape(A4) if landscape_page else A4
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=20 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, invariant=1)
    doc.build(story_builder(doc.width))
    return buffer.getvalue()


def plan_pdf(plan) -> bytes:
    """Danh mục hồ sơ in the Appendix V layout: columns (1)-(5) and the footer counting files."""
    from reportlab.platypus import Paragraph, Spacer

    styles = pdf_styles()

    def story(width):
        decision = (f"(Kèm theo Quyết định số {plan.decision_number} ngày {display_date(plan.decision_date)})"
                    if plan.decision_number else "(Dự thảo)")
        rows = [["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản", "Người lập hồ sơ",
                 "Ghi chú"], ["(1)", "(2)", "(3)", "(4)", "(5)"]]
        heading_rows = []
        for row in plan_rows(plan):
            if row[0] == "heading":
                heading_rows.append(len(rows))
                rows.append(["", f"{row[1]} {row[2]}", "", "", ""])
            else:
                item = row[1]
                rows.append([item.file_notation, item.title, item.retention_label, item.creator_name, item.note])
        total, permanent, limited = plan_counts(plan)
        return [
            pdf_header(plan.agency, styles, width), Spacer(1, 12),
            Paragraph("DANH MỤC HỒ SƠ", styles["title"]),
            Paragraph(f"Năm {plan.year}", styles["centerbold"]),
            Paragraph(pdf_escape(decision), styles["center"]), Spacer(1, 10),
            pdf_table(rows, [w * width for w in (0.14, 0.46, 0.12, 0.16, 0.12)], styles, heading_rows),
            Spacer(1, 10),
            Paragraph(f"Danh mục hồ sơ này có {total} hồ sơ, bao gồm: {permanent} hồ sơ bảo quản vĩnh viễn; "
                      f"{limited} hồ sơ bảo quản có thời hạn.", styles["text"]),
        ]

    return build_pdf(story)


def _entry_rows(case_file):
    for entry in chronological_entries(case_file):
        document = entry.document
        yield entry, document


def document_list_pdf(case_file) -> bytes:
    """Mục lục văn bản, tài liệu (Appendix V, IV), documents in chronological order."""
    from reportlab.platypus import Paragraph, Spacer

    styles = pdf_styles()

    def story(width):
        rows = [["STT", "Số, ký hiệu văn bản", "Ngày tháng năm văn bản", "Tên loại và trích yếu nội dung văn bản",
                 "Tác giả văn bản", "Tờ số/Trang số", "Ghi chú"], [f"({n})" for n in range(1, 8)]]
        page = 1
        for number, (_entry, document) in enumerate(_entry_rows(case_file), start=1):
            pages = document.page_amount or 0
            span = f"{page}-{page + pages - 1}" if pages > 1 else (str(page) if pages else "")
            page += pages
            rows.append([str(number), document.number_notation, display_date(document.issued_date),
                         f"{document.type_name} {document.subject}".strip(), document.organ_name, span,
                         document.description])
        return [
            Paragraph("MỤC LỤC VĂN BẢN, TÀI LIỆU", styles["title"]),
            Paragraph(pdf_escape(f"Số, ký hiệu hồ sơ: {case_file.file_notation}"), styles["center"]),
            Paragraph(pdf_escape(f"Tiêu đề hồ sơ: {case_file.title}"), styles["center"]),
            Paragraph(f"Năm {case_file.year}", styles["center"]), Spacer(1, 10),
            pdf_table(rows, [w * width for w in (0.06, 0.14, 0.11, 0.33, 0.16, 0.09, 0.11)], styles),
        ]

    return build_pdf(story, landscape_page=True)


def _sub(parent, tag, text):
    element = ET.SubElement(parent, tag)
    element.text = "" if text is None else str(text)
    return element


def case_file_xml(case_file, with_files=False) -> bytes:
    """The file's Appendix VI metadata and its documents (chronological) as XML."""
    root = ET.Element("HoSo", {"version": "1.0"})
    _sub(root, "FileCode", case_file.file_code)
    for tag, value in (("OrganId", case_file.agency.identifier), ("FileCatalog", case_file.year),
                       ("FileNotation", case_file.file_notation), ("Title", case_file.title),
                       ("Maintenance", case_file.retention_label), ("Rights", case_file.rights.name),
                       ("Creator", case_file.creator_name), ("Language", case_file.language),
                       ("StartDate", display_date(case_file.start_date)), ("EndDate", display_date(case_file.end_date)),
                       ("DocTotal", case_file.doc_total), ("PageTotal", case_file.page_total),
                       ("Description", case_file.description)):
        _sub(root, tag, value)
    documents = ET.SubElement(root, "Documents")
    for number, (entry, document) in enumerate(_entry_rows(case_file), start=1):
        element = ET.SubElement(documents, "Document")
        for tag, value in (("DocOrdinal", number), ("Identifier", entry.identifier),
                           ("TypeName", document.type_name), ("CodeNumber", document.code_number),
                           ("CodeNotation", document.code_notation), ("IssuedDate", display_date(document.issued_date)),
                           ("OrganName", document.organ_name), ("Subject", document.subject),
                           ("Language", document.language), ("PageAmount", document.page_amount or ""),
                           ("Description", document.description)):
            _sub(element, tag, value)
        if with_files:
            files = ET.SubElement(element, "Files")
            for document_file in document.files.select_related("blob"):
                _sub(files, "File", _export_name(entry, document_file)).set("sha256", document_file.blob.sha256)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def case_file_json(case_file) -> dict:
    return {
        "file_code": case_file.file_code, "organ_id": case_file.agency.identifier, "file_catalog": case_file.year,
        "file_notation": case_file.file_notation, "title": case_file.title,
        "maintenance": case_file.retention_label, "rights": case_file.rights.name,
        "creator": case_file.creator_name, "language": case_file.language,
        "start_date": display_date(case_file.start_date), "end_date": display_date(case_file.end_date),
        "doc_total": case_file.doc_total, "page_total": case_file.page_total, "description": case_file.description,
        "status": case_file.status,
        "documents": [
            {"doc_ordinal": number, "identifier": entry.identifier, "type_name": document.type_name,
             "code_number": document.code_number, "code_notation": document.code_notation,
             "issued_date": display_date(document.issued_date), "organ_name": document.organ_name,
             "subject": document.subject, "page_amount": document.page_amount,
             "files": [{"name": _export_name(entry, f), "original_name": f.original_name, "role": f.role,
                        "sha256": f.blob.sha256, "size": f.blob.size} for f in document.files.select_related("blob")]}
            for number, (entry, document) in enumerate(_entry_rows(case_file), start=1)
        ],
    }


def _export_name(entry, document_file):
    """'<file code>.<ordinal>.<n>.<ext>': ASCII, as Circular 05/2025 names files in a package."""
    extension = document_file.original_name.rpartition(".")[2].lower() if "." in document_file.original_name else "bin"
    extension = "".join(ch for ch in extension if ch.isascii() and ch.isalnum())[:5] or "bin"
    return f"files/{entry.identifier}.{document_file.ordinal}.{extension}"


def export_zip(case_file, out) -> None:
    """Write the case-file package to ``out``: files, metadata XML and JSON, and a SHA-256 manifest."""
    manifest = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for entry, document in _entry_rows(case_file):
            for document_file in document.files.select_related("blob"):
                name = _export_name(entry, document_file)
                with blobstore.open_blob(document_file.blob) as source, package.open(name, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
                manifest.append((document_file.blob.sha256, name))
        for name, data in (("metadata.xml", case_file_xml(case_file, with_files=True)),
                           ("metadata.json", json.dumps(case_file_json(case_file), ensure_ascii=False,
                                                        indent=2).encode()),
                           ("muc-luc-van-ban.pdf", document_list_pdf(case_file))):
            package.writestr(name, data)
            manifest.append((hashlib.sha256(data).hexdigest(), name))
        package.writestr("manifest-sha256.txt", "".join(f"{sha}  {name}\n" for sha, name in manifest))
        package.comment = f"hoso {case_file.file_code} {timezone.now():%Y-%m-%dT%H:%M:%S%z}".encode()
