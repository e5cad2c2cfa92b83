"""The upload channel end to end: POST /api/v1/documents/ runs each file through the pipeline.

Every accepted format is stored with its text; every hostile file is refused with its code, a
Vietnamese message and nothing stored.
"""

import io
import os
import unicodedata

import pytest

from casefiles.models import Blob, Document, DocumentFile
from ingest.errors import Rejected
from ingest.services import ingest_document
from tests.conftest import client_for, pdf_bytes

from . import format_samples as samples
from .format_samples import PHRASE, SHORT

URL = "/api/v1/documents/"


def upload(user, content, name, **extra):
    file = io.BytesIO(content)
    file.name = name
    return client_for(user).post(URL, {"subject": "Về việc tiếp nhận hồ sơ", "file": file, **extra},
                                 format="multipart")


def stored_files(response):
    assert response.status_code == 201, response.json()
    return list(DocumentFile.objects.filter(document_id=response.json()["id"]).order_by("ordinal"))


@pytest.mark.parametrize("name, make, phrase, pages", [
    ("Quyết định 125.pdf", lambda: pdf_bytes(PHRASE, pages=2), PHRASE, 2),
    ("Tờ trình.docx", samples.docx, SHORT, None),
    ("Công văn.odt", samples.odt, PHRASE, None),
    ("Công văn cũ.doc", samples.doc, PHRASE, None),
    ("Công văn.rtf", samples.rtf, PHRASE, None),
    ("Ghi chú.txt", samples.cp1258, PHRASE, None),
    ("Danh sách.csv", lambda: f"stt,ten\n1,{PHRASE}\n".encode("utf-16"), PHRASE, None),
    ("Bảng kê.xlsx", samples.xlsx, PHRASE, None),
    ("Bảng kê cũ.xls", samples.xls, SHORT, None),
    ("Bảng.ods", samples.ods, SHORT, None),
    ("Gói tin.xml", lambda: f'<?xml version="1.0"?><vanBan>{PHRASE}</vanBan>'.encode(), PHRASE, None),
])
def test_every_format_is_stored_with_its_text(clerk_a, name, make, phrase, pages):
    [file] = stored_files(upload(clerk_a, make(), name))
    assert file.original_name == name
    assert phrase in file.text and unicodedata.is_normalized("NFC", file.text)
    assert file.text_source == "extracted" and file.page_count == pages
    assert file.ocr_status == "none" and not file.quarantined and file.flags == []


@pytest.mark.parametrize("name, data, pages", [
    ("Ảnh chụp.jpg", samples.image("JPEG"), 1),
    ("Ảnh.png", samples.image("PNG"), 1),
    ("Bản quét.tiff", samples.image("TIFF", frames=2), 2),
    ("Bản quét.pdf", samples.scanned_pdf(pages=3), 3),
])
def test_images_and_scans_wait_for_ocr(clerk_a, name, data, pages):
    [file] = stored_files(upload(clerk_a, data, name))
    assert file.ocr_status == "pending" and file.page_count == pages and file.text == ""


def test_a_zip_of_two_pdfs_is_one_document_with_both(clerk_a):
    data = samples.zip_of([("Quyết định.pdf", pdf_bytes("Quyết định số 1")),
                           ("Phụ lục/Phụ lục I.pdf", pdf_bytes("Phụ lục kèm theo"))])
    files = stored_files(upload(clerk_a, data, "Hồ sơ.zip"))
    assert Document.objects.count() == 1
    assert [(f.original_name, f.ordinal, f.role) for f in files] == [
        ("Quyết định.pdf", 1, "main"), ("Phụ lục I.pdf", 2, "main")]
    assert "Quyết định số 1" in files[0].text and "Phụ lục kèm theo" in files[1].text
    assert Blob.objects.count() == 2  # the ZIP itself is not kept


def test_risky_pdfs_are_stored_quarantined(clerk_a):
    [file] = stored_files(upload(clerk_a, samples.pdf_with_javascript(), "Có mã.pdf"))
    assert file.quarantined and file.flags == ["pdf_javascript"]
    [file] = stored_files(upload(clerk_a, samples.pdf_with_attachment(), "Có tệp đính kèm.pdf", code_number="2"))
    assert file.quarantined and file.flags == ["pdf_embedded_file"]


def test_a_very_long_vietnamese_name_is_kept_to_255_characters(clerk_a):
    name = "Quyết định về việc phê duyệt " * 11 + ".pdf"
    assert len(name) > 300
    payload = upload(clerk_a, pdf_bytes(), name).json()
    kept = payload["files"][0]["original_name"]
    assert len(kept) == 255 and kept.endswith(".pdf") and kept.startswith("Quyết định về việc")
    stored = payload["files"][0]["stored_name"].rsplit("/", 1)[-1]
    assert stored.isascii() and len(stored) <= 50


def test_a_decomposed_name_is_kept_composed(clerk_a):
    name = unicodedata.normalize("NFD", "Tờ trình số 5.pdf")
    assert name != "Tờ trình số 5.pdf"
    assert upload(clerk_a, pdf_bytes(), name).json()["files"][0]["original_name"] == "Tờ trình số 5.pdf"


def traversal_zip(entry):
    placeholder = "p" * len(entry.encode())
    data = samples.zip_of([("ok.pdf", pdf_bytes()), (placeholder, b"x")])
    return data.replace(placeholder.encode(), entry.encode())


HOSTILE = [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 300, "type_not_allowed"),
    ("trang.html", samples.HTML, "type_not_allowed"),
    ("Quyết định.docx", pdf_bytes(), "type_mismatch"),
    ("trang-web.pdf", samples.HTML, "type_mismatch"),
    ("gia-pdf.pdf", samples.HTML_AS_PDF, "pdf_unreadable"),
    ("chuong-trinh.pdf", samples.ELF, "type_mismatch"),
    ("bi-cat.pdf", samples.truncated_pdf(), "pdf_unreadable"),
    ("mat-khau.pdf", samples.pdf_encrypted("mat-khau"), "pdf_encrypted"),
    ("bom.zip", samples.zip_bomb(20), "zip_ratio"),
    ("long-nhau.zip", samples.nested_zip(3), "zip_nesting"),
    ("duong-dan-1.zip", traversal_zip("../../etc/passwd"), "zip_path_traversal"),
    ("duong-dan-2.zip", traversal_zip("/abs"), "zip_path_traversal"),
    ("duong-dan-3.zip", traversal_zip("C:\\x"), "zip_path_traversal"),
    ("xxe.xml", samples.XXE, "xml_forbidden"),
    ("billion-laughs.xml", samples.BILLION_LAUGHS, "xml_forbidden"),
    ("hong.xml", b"<r><a></r>", "xml_malformed"),
]


@pytest.mark.parametrize("name, data, code", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_files_are_refused_and_nothing_is_stored(clerk_a, name, data, code):
    assert_refused(upload(clerk_a, data, name), code)


def assert_refused(response, code, status=422):
    assert response.status_code == status, response.json()
    payload = response.json()
    assert set(payload) == {"code", "message", "detail"}
    assert payload["code"] == code
    assert any(ord(ch) > 127 for ch in payload["message"])  # Vietnamese, with its diacritics
    assert payload["detail"]["file"]
    assert not Document.objects.exists() and not Blob.objects.exists()
    return payload


def test_an_empty_file(clerk_a):
    """Intake refuses an empty upload with its own code, through the API and for other channels."""
    response = upload(clerk_a, b"", "rong.pdf")
    assert response.status_code == 422 and response.json()["code"] == "empty_file"
    assert not Document.objects.exists() and not Blob.objects.exists()
    with pytest.raises(Rejected) as caught:
        ingest_document(clerk_a.agency, [(b"", "rong.pdf", "main")], actor=clerk_a, subject="Rỗng")
    assert caught.value.code == "empty_file" and caught.value.message == "Tệp rỗng."
    assert not Document.objects.exists() and not Blob.objects.exists()


def test_oversize(clerk_a, settings):
    settings.HOSO_MAX_UPLOAD_BYTES = 1000
    payload = assert_refused(upload(clerk_a, pdf_bytes(), "lon.pdf"), "file_too_large", status=413)
    assert payload["detail"] == {"file": "lon.pdf", "max_mb": 0}


def test_zip_limits_from_settings(clerk_a, settings):
    settings.HOSO_ZIP_MAX_ENTRIES = 2
    many = samples.zip_of([(f"{i}.txt", b"Van ban") for i in range(3)])
    assert_refused(upload(clerk_a, many, "nhieu.zip"), "zip_too_many_entries")
    settings.HOSO_ZIP_MAX_TOTAL_BYTES = 1024 * 1024
    big = samples.zip_of([("a.txt", os.urandom(700_000)), ("b.txt", os.urandom(700_000))])
    assert_refused(upload(clerk_a, big, "lon.zip"), "zip_too_large")


def test_one_bad_attachment_refuses_the_whole_document(clerk_a):
    attachment = io.BytesIO(samples.HTML)
    attachment.name = "phu-luc.pdf"
    payload = assert_refused(upload(clerk_a, pdf_bytes(), "Quyết định.pdf", attachments=[attachment]),
                             "type_mismatch")
    assert payload["detail"]["file"] == "phu-luc.pdf"
