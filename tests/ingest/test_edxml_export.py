"""Issued documents leave as edXML packages that another agency re-imports unchanged; status replies
travel back to the issuer."""

import datetime
import io

import pytest
from defusedxml.ElementTree import fromstring
from django.core.management import CommandError, call_command

from accounts.errors import HosoError
from casefiles import blobstore
from casefiles.services import create_document
from ingest import edxml
from ingest.models import EdxmlPackage
from tests.conftest import pdf_bytes
from tests.ingest import edxml_samples as samples

NS = {"e": samples.NS}
PDF = pdf_bytes("Quyết định về việc phê duyệt kế hoạch chuyển đổi số", pages=2)
APPENDIX = "Phụ lục: danh mục nhiệm vụ năm 2026\n".encode()
FIELDS = ("kind", "code_number", "code_notation", "issued_date", "type_name", "subject", "description",
          "signer_position", "signer_full_name", "priority", "due_date", "page_amount", "issued_amount", "to_places")


@pytest.fixture
def issued(agency_a, agency_b, clerk_a):
    return create_document(
        agency=agency_a, actor=clerk_a, kind="issued", type_name="Quyết định", code_number="125",
        code_notation="QĐ-UBND", issued_date=datetime.date(2026, 3, 5),
        subject="Về việc phê duyệt kế hoạch chuyển đổi số năm 2026 & các năm tiếp theo",
        description="Giao các sở triển khai kế hoạch", signer_position="KT. CHỦ TỊCH Phó Chủ tịch",
        signer_full_name="Hoàng Quốc Khánh", priority=2, due_date=datetime.date(2026, 3, 31), page_amount=2,
        issued_amount=10, to_places="Như Điều 3; Lưu: VT",
        recipients=[{"organ_id": agency_b.identifier, "organ_name": agency_b.name},
                    {"organ_id": "000.00.03.H53", "organ_name": "Sở Tài chính tỉnh Sơn La"}],
        files=[(io.BytesIO(PDF), "QĐ 125 chuyển đổi số.pdf", "main"),
               (io.BytesIO(APPENDIX), "Phụ lục.txt", "appendix")],
    )


def read(blob):
    with blobstore.open_blob(blob) as handle:
        return handle.read()


def test_export_has_the_sample_layout(issued, agency_a):
    data = edxml.build_document_package(issued)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">' in data
    assert b'<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">' in data
    root = fromstring(data, forbid_dtd=True)
    header = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", NS)
    assert header.findtext("e:DocumentId", namespaces=NS) == f"{agency_a.identifier},2026/03/05,125/QĐ-UBND"
    assert header.findtext("e:PromulgationInfo/e:PromulgationDate", namespaces=NS) == "2026/03/05"
    assert header.findtext("e:SignerInfo/e:Competence", namespaces=NS) == "KT. CHỦ TỊCH"
    assert header.findtext("e:SignerInfo/e:Position", namespaces=NS) == "Phó Chủ tịch"
    assert [p.text for p in header.findall("e:ToPlaces/e:Place", NS)] == ["Như Điều 3", "Lưu: VT"]
    trace = root.find("e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList", NS)
    assert trace.findtext("e:TraceHeader/e:OrganId", namespaces=NS) == agency_a.identifier
    assert trace.findtext("e:Bussiness/e:BussinessDocType", namespaces=NS) == "0"
    references = root.findall("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference", NS)
    attachments = root.findall("e:AttachmentEncoded/e:Attachment", NS)
    assert [r.findtext("e:AttachmentName", namespaces=NS) for r in references] == [
        "QĐ 125 chuyển đổi số.pdf", "Phụ lục.txt"]
    assert [r.findtext("e:ContentId", namespaces=NS) for r in references] == [
        f"cid:{a.findtext('e:ContentId', namespaces=NS)}" for a in attachments]


def test_exported_package_reimports_with_the_same_metadata_and_files(issued, agency_b):
    result = edxml.import_package(agency_b, edxml.build_document_package(issued), "edxml-125.xml")
    received = result.document
    assert result.warnings == []  # agency_b is among the recipients
    assert received.agency == agency_b
    for field in FIELDS:
        if field != "kind":
            assert getattr(received, field) == getattr(issued, field), field
    assert received.kind == "received"
    assert received.organ_name == issued.agency.name
    assert received.identifier == f"{issued.agency.identifier},2026/03/05,125/QĐ-UBND"
    assert list(received.recipients.values_list("organ_id", "organ_name")) == list(
        issued.recipients.values_list("organ_id", "organ_name"))
    files = list(received.files.order_by("ordinal"))
    assert [(f.original_name, read(f.blob)) for f in files] == [
        ("QĐ 125 chuyển đổi số.pdf", PDF), ("Phụ lục.txt", APPENDIX)]
    assert [f.role for f in files] == ["main", "attachment"]


def test_status_reply_travels_back_to_the_issuer(issued, agency_a, agency_b, clerk_b):
    reply = edxml.import_package(agency_b, edxml.build_document_package(issued), "edxml-125.xml").reply
    accepted = edxml.build_status(reply.document, "03", clerk_b, description="Văn thư đã tiếp nhận")
    for package in (reply, accepted):
        result = edxml.import_package(agency_a, read(package.blob), "trang-thai.xml")
        assert result.document == issued
        assert result.package.direction == "in"
        assert result.package.from_organ_id == agency_b.identifier
    statuses = EdxmlPackage.objects.filter(agency=agency_a, document=issued).order_by("id")
    assert list(statuses.values_list("status_code", flat=True)) == ["01", "03"]
    assert statuses.last().header["Status"]["Description"] == "Văn thư đã tiếp nhận"


def test_status_codes_and_refusals_need_reasons(agency_a):
    received = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml").document
    assert edxml.status_codes["01"] == "Đã đến" and edxml.status_codes["06"] == "Hoàn thành"
    with pytest.raises(HosoError) as caught:
        edxml.build_status(received, "02")
    assert caught.value.code == "edxml_reason_required"
    with pytest.raises(HosoError) as caught:
        edxml.build_status(received, "99")
    assert caught.value.code == "edxml_status_unknown"
    refused = edxml.build_status(received, "02", description="Gửi nhầm cơ quan")
    assert refused.header["Status"]["Description"] == "Gửi nhầm cơ quan"


def test_only_numbered_issued_documents_are_exported(agency_a, issued):
    received = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml").document
    with pytest.raises(HosoError) as caught:
        edxml.build_document_package(received)
    assert caught.value.code == "edxml_not_issued"
    draft = create_document(agency=agency_a, kind="issued", subject="Dự thảo")
    with pytest.raises(HosoError) as caught:
        edxml.build_document_package(draft)
    assert caught.value.code == "edxml_not_numbered"


def test_export_command(issued, tmp_path):
    out = io.StringIO()
    call_command("edxml", "export", str(issued.pk), stdout=out)
    assert "<edXML:CodeNumber>125</edXML:CodeNumber>" in out.getvalue()
    target = tmp_path / "out.xml"
    call_command("edxml", "export", str(issued.pk), "-o", str(target))
    fromstring(target.read_bytes(), forbid_dtd=True)
    with pytest.raises(CommandError, match="Không có văn bản số 999999"):
        call_command("edxml", "export", "999999")
    with pytest.raises(CommandError, match="không được nhận qua liên thông edXML"):
        call_command("edxml", "status", str(issued.pk), "03")


def test_status_command(agency_a):
    received = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml").document
    out = io.StringIO()
    call_command("edxml", "status", str(received.pk), "03", "-o", "-", stdout=out, stderr=io.StringIO())
    assert "<edXML:StatusCode>03</edXML:StatusCode>" in out.getvalue()
    assert received.edxml_packages.filter(direction="out", status_code="03").exists()
