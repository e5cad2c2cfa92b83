"""The PDF step alone: it must open; risky content quarantines it; the walk is bounded."""

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from ingest.errors import Rejected
from ingest.steps import pdf
from tests.conftest import pdf_bytes

from . import format_samples as samples
from .format_samples import intake


def run(data, name="van-ban.pdf"):
    with intake(data, name) as (candidate, workspace):
        pdf.run(candidate, workspace)
        return candidate


def refused(data):
    with pytest.raises(Rejected) as caught:
        run(data)
    return caught.value.code


def test_a_plain_pdf_passes():
    candidate = run(pdf_bytes(pages=3))
    assert not candidate.quarantined and candidate.flags == []


def test_empty_user_password_is_no_protection():
    candidate = run(samples.pdf_encrypted(""))
    assert not candidate.quarantined


def test_a_user_password_refuses_it():
    assert refused(samples.pdf_encrypted("mat-khau")) == "pdf_encrypted"


@pytest.mark.parametrize("data", [
    samples.HTML_AS_PDF,
    b"%PDF-1.4\n<html><body>x</body></html>",
    samples.truncated_pdf(),
    pdf_bytes()[:-7],  # only the end marker lost
    b"%PDF-1.4\n" + b"\x00" * 2000 + b"\n%%EOF\n",
])
def test_what_does_not_open_is_refused(data):
    assert refused(data) == "pdf_unreadable"


def test_a_pdf_without_pages_is_refused():
    writer = PdfWriter()
    writer.add_metadata({"/Title": "Không có trang"})
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refused(buffer.getvalue()) == "pdf_unreadable"


def action(kind, **entries):
    return DictionaryObject({NameObject("/S"): NameObject(kind),
                             **{NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()}})


def launch_on_open(writer):
    writer.root_object[NameObject("/OpenAction")] = action("/Launch", F="cmd.exe")


def javascript_on_page_open(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/JavaScript", JS="app.alert(1)")})


def annotation(subtype, **entries):
    return DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
                             NameObject("/Rect"): ArrayObject([]),
                             **{NameObject(f"/{key}"): value for key, value in entries.items()}})


def javascript_in_a_link(writer):
    link = annotation("/Link", A=action("/JavaScript", JS="this.exportDataObject()"))
    writer.add_annotation(page_number=0, annotation=link)


def rich_media(writer):
    writer.add_annotation(page_number=0, annotation=annotation("/RichMedia"))


def xfa_form(writer):
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")})


@pytest.mark.parametrize("data, flags", [
    (samples.pdf_with_javascript(), ["pdf_javascript"]),
    (samples.pdf_with_attachment(), ["pdf_embedded_file"]),
    (samples.pdf_with(launch_on_open), ["pdf_launch"]),
    (samples.pdf_with(javascript_on_page_open), ["pdf_javascript"]),
    (samples.pdf_with(javascript_in_a_link), ["pdf_javascript"]),
    (samples.pdf_with(rich_media), ["pdf_rich_media"]),
    (samples.pdf_with(xfa_form), ["pdf_xfa"]),
])
def test_risky_content_is_quarantined(data, flags):
    candidate = run(data)
    assert candidate.quarantined and candidate.flags == flags


def test_the_walk_survives_cycles_and_is_bounded():
    """Pages point to their parent and annotations to their page: the graph has cycles."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(pages=2)))
    page = writer.pages[0].indirect_reference
    writer.add_annotation(page_number=0, annotation=annotation("/Text", P=page))
    writer.root_object[NameObject("/Loop")] = ArrayObject([page, writer.root_object.indirect_reference])
    assert pdf.risks(writer.root_object) == []
    assert pdf.risks(writer.root_object, budget=3) == ["pdf_too_complex"]


def test_other_files_are_left_alone():
    assert not run(samples.HTML, "trang.html").quarantined
