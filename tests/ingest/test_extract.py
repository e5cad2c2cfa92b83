"""Text and pages of every accepted format (ingest.extractors), and the extract step around them."""

import io
import unicodedata
import zipfile

import pytest

from ingest.extractors import EXTRACTORS, TextBuffer
from ingest.extractors.text import decode
from ingest.steps import extract
from tests.conftest import pdf_bytes

from . import format_samples as samples
from .format_samples import PHRASE, SHORT, intake


def run(data, name):
    with intake(data, name) as (candidate, workspace):
        extract.run(candidate, workspace)
        return candidate


@pytest.mark.parametrize("name, make, expected", [
    ("quyet-dinh.pdf", lambda: pdf_bytes(PHRASE), [PHRASE]),
    ("to-trinh.docx", samples.docx, [PHRASE, SHORT]),  # the table cell too
    ("cong-van.odt", samples.odt, [SHORT, PHRASE]),
    ("bang.ods", samples.ods, [PHRASE, SHORT]),
    ("bang.xlsx", samples.xlsx, ["Danh mục", f"{PHRASE}\t125", SHORT]),
    ("bang.xls", samples.xls, ["Trang 1", f"{PHRASE}\t{SHORT}"]),
    ("cong-van.doc", samples.doc, [PHRASE]),
    ("cong-van.rtf", samples.rtf, [PHRASE]),
    ("ghi-chu.txt", lambda: PHRASE.encode(), [PHRASE]),
    ("ghi-chu.txt", lambda: PHRASE.encode("utf-8-sig"), [PHRASE]),
    ("ghi-chu.txt", lambda: PHRASE.encode("utf-16"), [PHRASE]),
    ("ghi-chu.txt", lambda: PHRASE.encode("utf-16-be"), []),  # no BOM: not guessed as Vietnamese, but no crash
    ("ghi-chu-cu.txt", samples.cp1258, [PHRASE]),
    ("danh-sach.csv", lambda: f"stt;ten\n1;{PHRASE}\n".encode("cp1258", "ignore") + samples.cp1258(SHORT), [SHORT]),
    ("nfd.txt", lambda: unicodedata.normalize("NFD", PHRASE).encode(), [PHRASE]),
])
def test_text_of_every_format_in_nfc(name, make, expected):
    candidate = run(make(), name)
    assert unicodedata.is_normalized("NFC", candidate.text)
    for part in expected:
        assert part in candidate.text
    assert candidate.text_source == ("extracted" if candidate.text else "")
    assert candidate.flags == []


@pytest.mark.parametrize("text", ["Quyết định số 5", "Đà Lạt", "tiếng Việt", SHORT])
def test_short_windows_1258_texts_decode_right(text):
    assert unicodedata.normalize("NFC", decode(samples.cp1258(text))) == text


@pytest.mark.parametrize("text, encoding", [
    ("Le président de la République a signé le décret relatif à la réforme administrative. "
     "Les élèves étudient à l'école.", "cp1252"),
    ("Заявление о приёме на работу в отдел кадров министерства", "cp1251"),
])
def test_other_legacy_texts_are_guessed(text, encoding):
    assert decode(text.encode(encoding)) == text


def test_pdf_pages_and_ocr_need():
    text_pdf = run(pdf_bytes(PHRASE, pages=3), "a.pdf")
    assert text_pdf.page_count == 3 and not text_pdf.needs_ocr
    assert "trang 3" in text_pdf.text
    scan = run(samples.scanned_pdf(pages=2), "scan.pdf")
    assert scan.page_count == 2 and scan.needs_ocr and scan.text == "" and scan.text_source == ""
    assert scan.file_fields()["ocr_status"] == "pending"


@pytest.mark.parametrize("name, data, pages", [
    ("anh.jpg", samples.image("JPEG"), 1),
    ("anh.png", samples.image("PNG"), 1),
    ("scan.tiff", samples.image("TIFF", frames=3), 3),
])
def test_images_wait_for_ocr(name, data, pages):
    candidate = run(data, name)
    assert candidate.needs_ocr and candidate.page_count == pages and candidate.text == ""


def test_a_damaged_file_is_kept_with_a_flag():
    source = zipfile.ZipFile(io.BytesIO(samples.docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as document:
        for name in source.namelist():
            document.writestr(name, b"<w:document" if name == "word/document.xml" else source.read(name))
    candidate = run(buffer.getvalue(), "hong.docx")
    assert candidate.text == "" and candidate.text_source == "" and candidate.flags == ["extraction_failed"]


def test_antiword_that_crashes_or_is_missing(monkeypatch):
    assert run(samples.compound_file([("WordDocument", b"\xec\xa5" + b"\0" * 100)]), "hong.doc").flags == [
        "extraction_failed"]
    monkeypatch.setenv("PATH", "")
    candidate = run(samples.doc(), "cong-van.doc")
    assert candidate.text == "" and candidate.flags == ["extractor_missing"]


def test_text_is_bounded(settings):
    settings.HOSO_MAX_TEXT_CHARS = 40
    for name, data in [("dai.txt", (PHRASE * 50).encode()), ("dai.pdf", pdf_bytes(PHRASE, pages=5)),
                       ("dai.docx", samples.docx(PHRASE * 5))]:
        candidate = run(data, name)
        assert 30 < len(candidate.text) <= 40 and candidate.flags == ["text_truncated"], name
        assert PHRASE.startswith(candidate.text[:30])


def test_a_cut_inside_a_character_still_reads_as_utf8(tmp_path):
    """Past the text limit a file is read only in part, and the cut may fall inside a character."""
    assert decode(PHRASE.encode()[:12]) == "Quyết đ"  # the 12th byte begins "ị"
    path = tmp_path / "dai.txt"
    path.write_bytes(PHRASE.encode())
    buffer = TextBuffer(limit=2)  # reads 4 bytes a character and 4 more: 12
    EXTRACTORS["txt"](path, buffer)
    assert buffer.text() == "Qu" and buffer.truncated


def test_nul_characters_never_reach_the_database():
    assert run(f"{PHRASE}\x00 hết".encode(), "nul.txt").text == f"{PHRASE} hết"


def test_every_accepted_format_has_an_extractor():
    from ingest.steps.filetype import ACCEPTED

    assert set(ACCEPTED) - set(EXTRACTORS) == {"zip", "xml"}  # expanded, or read by the xml step



def test_pdf_fonts_are_parsed_once_per_document_and_the_text_is_unchanged(tmp_path):
    """Pages sharing a font object get the Font pypdf built for the first of them; outside a PDF's
    extraction, and for each new document, pypdf builds its fonts as it always does."""
    from pypdf import PdfReader
    from pypdf.generic._font import Font

    from ingest.extractors.pdf import pdf

    path = tmp_path / "nhieu-trang.pdf"
    path.write_bytes(pdf_bytes(PHRASE, pages=4))
    plain = "".join(page.extract_text() + "\n\n" for page in PdfReader(path).pages)
    built = []
    build = Font.from_font_resource

    def counting(font_dict):
        built.append(build(font_dict))  # kept: no id is reused
        return built[-1]

    buffer = TextBuffer()
    Font.from_font_resource = counting  # what pdf() receives; inside it, sharing happens before this
    try:
        found = pdf(path, buffer)
    finally:
        Font.from_font_resource = build
    assert buffer.text() == plain and found.page_count == 4
    reader = PdfReader(path)
    fonts = {id(f.get_object()) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert len(built) == 4 * len(fonts) and len({id(font) for font in built}) == len(fonts)
