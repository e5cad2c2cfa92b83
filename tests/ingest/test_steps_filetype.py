"""The type step alone: the real type must be accepted and agree with the extension."""

import io
import zipfile

import pytest

from ingest.errors import Rejected
from ingest.steps import filetype
from tests.conftest import pdf_bytes

from . import format_samples as samples
from .format_samples import intake


def run(data, name):
    with intake(data, name) as (candidate, workspace):
        filetype.run(candidate, workspace)
        return candidate


def refused(data, name):
    with pytest.raises(Rejected) as caught:
        run(data, name)
    return caught.value


@pytest.mark.parametrize("name, make, mime", [
    ("quyet-dinh.pdf", pdf_bytes, "application/pdf"),
    ("to-trinh.docx", samples.docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("bang-ke.xlsx", samples.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("cong-van.odt", samples.odt, "application/vnd.oasis.opendocument.text"),
    ("bang.ods", samples.ods, "application/vnd.oasis.opendocument.spreadsheet"),
    ("cong-van.rtf", samples.rtf, "text/rtf"),
    ("cong-van.doc", samples.doc, "application/msword"),
    ("bang.xls", samples.xls, "application/vnd.ms-excel"),
    ("ghi-chu.txt", lambda: samples.PHRASE.encode(), "text/plain"),
    ("ghi-chu-cu.txt", samples.cp1258, "text/plain"),
    ("utf16.txt", lambda: samples.PHRASE.encode("utf-16"), "text/plain"),
    ("danh-sach.csv", lambda: f"stt,ten\n1,{samples.PHRASE}\n".encode(), "text/plain"),
    ("anh.jpg", lambda: samples.image("JPEG"), "image/jpeg"),
    ("anh.JPEG", lambda: samples.image("JPEG"), "image/jpeg"),
    ("anh.png", lambda: samples.image("PNG"), "image/png"),
    ("scan.tif", lambda: samples.image("TIFF"), "image/tiff"),
    ("scan.tiff", lambda: samples.image("TIFF", frames=2), "image/tiff"),
    ("ho-so.zip", lambda: samples.zip_of([("a.pdf", pdf_bytes())]), "application/zip"),
    ("goi-tin.xml", lambda: f'<?xml version="1.0"?><r>{samples.PHRASE}</r>'.encode(), "text/xml"),
    ("khong-khai-bao.xml", lambda: f"<r>{samples.PHRASE}</r>".encode(), "text/plain"),
])
def test_accepted_formats(name, make, mime):
    assert run(make(), name).mime_type == mime


def test_office_file_seen_as_plain_zip_is_recognised_by_its_parts():
    """Some writers put [Content_Types].xml last: libmagic then only sees a ZIP."""
    source = zipfile.ZipFile(io.BytesIO(samples.docx()))
    names = sorted(source.namelist(), key=lambda name: name == "[Content_Types].xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, source.read(name))
    data = buffer.getvalue()
    assert run(data, "to-trinh.docx").mime_type in {"application/zip", filetype.OOXML_WORD}
    assert refused(data, "to-trinh.xlsx").code == "type_mismatch"


@pytest.mark.parametrize("name, make", [
    ("quyet-dinh.docx", pdf_bytes),  # a PDF renamed
    ("to-trinh.pdf", samples.docx),
    ("trang-web.pdf", lambda: samples.HTML),
    ("chuong-trinh.pdf", lambda: samples.ELF),
    ("setup.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 300),
    ("trang-web.txt", lambda: samples.HTML),  # HTML is never plain text
    ("anh.jpg", lambda: samples.image("PNG")),
    ("ho-so.docx", lambda: samples.zip_of([("a.pdf", pdf_bytes())])),  # a plain ZIP is no Word file
    ("ho-so.zip", samples.docx),  # an office file is no container
    ("bang.doc", samples.xls),
    ("cong-van.xls", samples.doc),
    ("cong-van.odt", samples.ods),
])
def test_mismatches_are_refused(name, make):
    error = refused(make(), name)
    assert error.code == "type_mismatch"
    assert error.detail["extension"] == name.rsplit(".", 1)[1].lower()
    assert error.detail["detected"]
    assert "Nội dung tệp không khớp" in error.message


@pytest.mark.parametrize("name", ["setup.exe", "trang.html", "anh.gif", "khong-duoi", "tep.", "bao-cao.pptx"])
def test_formats_outside_the_list_are_refused(name):
    assert refused(pdf_bytes(), name).code == "type_not_allowed"
