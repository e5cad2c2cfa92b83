import datetime
import hashlib
import io
import json
import zipfile
from xml.etree import ElementTree as ET

from pypdf import PdfReader

from casefiles import filing, outputs, plans

D = datetime.date


def pdf_text(data):
    """The PDF's text with line breaks folded into spaces (table cells wrap)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def filled(open_file, make_document):
    for subject, issued in (("Kế hoạch tổ chức hội nghị", D(2026, 5, 2)),
                            ("Giấy mời dự hội nghị", D(2026, 3, 1)), ("Báo cáo kết quả hội nghị", D(2026, 7, 9))):
        filing.add_document(open_file, make_document(subject, issued=issued, code_number="12",
                                                     code_notation="KH-UBND", organ_name="UBND tỉnh Sơn La"))
    return open_file


def test_document_list_pdf_is_chronological(open_file, make_document):
    text = pdf_text(outputs.document_list_pdf(filled(open_file, make_document)))
    assert "MỤC LỤC VĂN BẢN, TÀI LIỆU" in text and "05.VP" in text
    order = [text.index(s) for s in ("Giấy mời dự hội nghị", "Kế hoạch tổ chức hội nghị", "Báo cáo kết quả")]
    assert order == sorted(order)
    assert "01/03/2026" in text


def test_case_file_xml(open_file, make_document):
    root = ET.fromstring(outputs.case_file_xml(filled(open_file, make_document)))
    assert root.findtext("FileCode") == "000.00.01.H53.2026.05.VP"
    subjects = [d.findtext("Subject") for d in root.iter("Document")]
    assert subjects == ["Giấy mời dự hội nghị", "Kế hoạch tổ chức hội nghị", "Báo cáo kết quả hội nghị"]
    assert [d.findtext("DocOrdinal") for d in root.iter("Document")] == ["1", "2", "3"]


def test_export_zip_with_manifest(open_file, make_document):
    case_file = filled(open_file, make_document)
    out = io.BytesIO()
    outputs.export_zip(case_file, out)
    package = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    manifest = [line.split("  ") for line in package.read("manifest-sha256.txt").decode().splitlines()]
    assert len(manifest) == 6  # three files, two metadata files, the document list
    for sha, name in manifest:
        assert hashlib.sha256(package.read(name)).hexdigest() == sha
    meta = json.loads(package.read("metadata.json"))
    assert meta["file_code"] == case_file.file_code and len(meta["documents"]) == 3
    names = [f["name"] for d in meta["documents"] for f in d["files"]]
    assert all(n.isascii() for n in names)
    ET.fromstring(package.read("metadata.xml"))


def test_plan_pdf_layout(plan):
    plans.approve_plan(plan, decision_number="12/QĐ-UBND", decision_date=D(2026, 1, 2))
    text = pdf_text(outputs.plan_pdf(plan))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "DANH MỤC HỒ SƠ", "Năm 2026", "12/QĐ-UBND",
                     "I. Tổ chức cán bộ (TCCB)", "01.TCCB", "Vĩnh viễn", "Danh mục hồ sơ này có 3 hồ sơ",
                     "1 hồ sơ bảo quản vĩnh viễn", "2 hồ sơ bảo quản có thời hạn"):
        assert expected in text, expected
