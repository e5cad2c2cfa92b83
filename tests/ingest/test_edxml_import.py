"""Receiving edXML packages: the sample's metadata and file intact, the package kept, status 01, no duplicates."""

import datetime
import hashlib
import io

import pytest
from defusedxml.ElementTree import fromstring

from accounts.models import AuditEntry
from casefiles import blobstore
from casefiles.models import Blob, Document, DocumentFile
from ingest import edxml
from ingest.errors import Rejected
from ingest.models import EdxmlPackage
from tests.conftest import pdf_bytes
from tests.ingest import edxml_samples as samples

NS = {"e": samples.NS}


def read(blob) -> bytes:
    with blobstore.open_blob(blob) as handle:
        return handle.read()


def rejected(agency, data, code):
    with pytest.raises(Rejected) as caught:
        edxml.import_package(agency, data, "goi-tin.xml")
    assert caught.value.code == code, caught.value.message
    return caught.value


def nothing_stored():
    assert not Document.objects.exists()
    assert not EdxmlPackage.objects.exists()
    assert not Blob.objects.exists()


def test_sample_imports_with_its_metadata(agency_a, clerk_a):
    result = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml", actor=clerk_a)
    document = result.document
    assert not result.duplicate
    assert document.agency == agency_a and document.kind == Document.Kind.RECEIVED
    assert (document.code_number, document.code_notation) == ("215", "SKHCN-VP")
    assert document.issued_date == datetime.date(2025, 3, 14)
    assert document.due_date == datetime.date(2025, 3, 28)
    assert document.organ_name == "Sở Khoa học và Công nghệ tỉnh Đông Lâm"
    assert document.type_name == "Công văn"
    assert document.subject == ("V/v hướng dẫn chuẩn hóa tên tệp đính kèm khi gửi, nhận văn bản điện tử "
                                "trên Hệ thống QLVB&ĐH")
    assert document.description.startswith("Sở Khoa học và Công nghệ hướng dẫn các cơ quan")
    assert document.signer_full_name == "Đỗ Minh Đức"
    assert document.signer_position == "KT. GIÁM ĐỐC Phó Giám đốc"
    assert document.priority == 0
    assert document.page_amount == 2
    assert document.issued_amount == 4
    assert document.to_places == "Như trên; Giám đốc Sở (để b/c); Lưu: VT, VP"
    assert document.identifier == samples.SAMPLE_ID
    assert document.arrival_date is not None
    assert document.created_by == clerk_a
    assert [(r.organ_id, r.organ_name) for r in document.recipients.all()] == [
        ("000.00.15.H99", "Sở Nội vụ tỉnh Đông Lâm"), ("000.00.21.H99", "Sở Tài chính tỉnh Đông Lâm"),
    ]
    assert result.warnings == ["agency_not_in_to"]  # the sample is addressed to fictitious agencies
    assert AuditEntry.objects.filter(action="create", object_id=str(document.pk)).exists()


def test_sample_attachment_is_stored_intact(agency_a):
    document = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml").document
    [file] = document.files.all()
    assert file.role == DocumentFile.Role.MAIN
    assert file.original_name == "PhuLuc_QuyUocDatTenTep.txt"
    content = read(file.blob)
    assert content == samples.sample_attachment()
    assert "QUY ƯỚC ĐẶT TÊN TỆP ĐÍNH KÈM" in content.decode("utf-8")
    assert file.blob.sha256 == hashlib.sha256(content).hexdigest()
    assert "Tên tệp không dấu" in file.text  # extracted by the pipeline


def test_original_package_is_kept_byte_for_byte_with_its_header(agency_a):
    result = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml")
    package = result.package
    assert package.direction == EdxmlPackage.Direction.IN
    assert package.business_type == EdxmlPackage.Business.NEW
    assert package.document == result.document
    assert package.document_identifier == samples.SAMPLE_ID
    assert (package.from_organ_id, package.from_organ_name) == ("000.00.12.H99",
                                                                "Sở Khoa học và Công nghệ tỉnh Đông Lâm")
    assert package.blob.sha256 == hashlib.sha256(samples.SAMPLE_PATH.read_bytes()).hexdigest()
    assert read(package.blob) == samples.sample()
    header = package.header
    assert header["MessageHeader"]["ResponseFor"][0]["DocumentId"] == "000.00.15.H99,2025/03/03,88/SNV-CCVC"
    assert header["MessageHeader"]["DocumentId"] == samples.SAMPLE_ID  # the direct child, not ResponseFor's
    assert header["MessageHeader"]["OtherInfo"]["Appendixes"] == ["Phụ lục: Quy ước đặt tên tệp đính kèm"]
    assert header["TraceHeaderList"]["TraceHeader"] == [{"OrganId": "000.00.12.H99",
                                                         "Timestamp": "2025/03/14 15:42:10"}]
    assert header["TraceHeaderList"]["Bussiness"]["StaffInfo"]["Staff"] == "Lê Thị Thu Trang"


def test_arrival_produces_status_01_for_the_sender(agency_a, clerk_a):
    result = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml", actor=clerk_a)
    reply = result.reply
    assert reply == EdxmlPackage.objects.get(direction=EdxmlPackage.Direction.OUT)
    assert (reply.status_code, reply.document, reply.agency) == ("01", result.document, agency_a)
    root = fromstring(read(reply.blob), forbid_dtd=True)
    status = root.find("e:edXMLEnvelope/e:edXMLHeader/e:Status", NS)
    assert status.findtext("e:StatusCode", namespaces=NS) == "01"
    assert status.findtext("e:Description", namespaces=NS) == "Đã đến"
    assert status.findtext("e:ResponseFor/e:DocumentId", namespaces=NS) == samples.SAMPLE_ID
    assert status.findtext("e:ResponseFor/e:OrganId", namespaces=NS) == "000.00.12.H99"
    assert status.findtext("e:ResponseFor/e:Code", namespaces=NS) == "215/SKHCN-VP"
    assert status.findtext("e:ResponseFor/e:PromulgationDate", namespaces=NS) == "2025/03/14"
    assert status.findtext("e:From/e:OrganId", namespaces=NS) == agency_a.identifier
    assert status.findtext("e:From/e:OrganName", namespaces=NS) == agency_a.name
    assert status.findtext("e:StaffInfo/e:Staff", namespaces=NS) == clerk_a.full_name
    assert len(status.findtext("e:Timestamp", namespaces=NS)) == len("2025/03/14 16:05:33")


def test_importing_twice_keeps_one_document(agency_a):
    first = edxml.import_package(agency_a, samples.sample(), "a.xml")
    again = edxml.import_package(agency_a, samples.sample(), "a.xml")
    # Same DocumentId, other bytes (the sender's gateway sent it again with another trace time).
    resent = samples.replace(samples.sample_text(), "2025/03/14 15:42:10", "2025/03/14 15:50:00").encode()
    third = edxml.import_package(agency_a, resent, "b.xml")
    assert (again.duplicate, third.duplicate) == (True, True)
    assert again.document == third.document == first.document
    assert Document.objects.count() == 1
    assert EdxmlPackage.objects.filter(direction="in").count() == 1
    assert EdxmlPackage.objects.filter(direction="out").count() == 1  # one status 01


def test_same_package_goes_to_two_agencies(agency_a, agency_b):
    edxml.import_package(agency_a, samples.sample(), "a.xml")
    edxml.import_package(agency_b, samples.sample(), "a.xml")
    assert Document.objects.filter(identifier=samples.SAMPLE_ID).count() == 2


def test_main_file_and_attachments_in_manifest_order(agency_a):
    pdf = pdf_bytes("Công văn số 215")
    data = samples.with_attachments([("CongVan215.pdf", "application/pdf", pdf),
                                     ("PhuLuc.txt", "text/plain", "Phụ lục đính kèm".encode())])
    document = edxml.import_package(agency_a, data, "goi-tin.xml").document
    files = list(document.files.order_by("ordinal"))
    assert [(f.original_name, f.role) for f in files] == [("CongVan215.pdf", "main"), ("PhuLuc.txt", "attachment")]
    assert read(files[0].blob) == pdf


def test_manifest_references_without_cid_prefix(agency_a):
    data = samples.with_attachments([("PhuLuc.txt", "text/plain", "Phụ lục đính kèm".encode())], manifest_prefix="")
    document = edxml.import_package(agency_a, data, "goi-tin.xml").document
    assert read(document.files.get().blob) == "Phụ lục đính kèm".encode()


def test_sample_with_prefix_free_manifest_ids(agency_a):
    data = samples.sample_text().replace(f"cid:{samples.SAMPLE_CID}", samples.SAMPLE_CID).encode()
    document = edxml.import_package(agency_a, data, "goi-tin.xml").document
    assert read(document.files.get().blob) == samples.sample_attachment()


def test_zipped_attachment_is_expanded_by_the_pipeline(agency_a):
    inner = {"CongVan215.pdf": pdf_bytes("Công văn số 215"), "PhuLuc.txt": "Phụ lục đính kèm".encode()}
    data = samples.with_attachments([("CongVan215", "application/zip", samples.zipped(inner))])
    document = edxml.import_package(agency_a, data, "goi-tin.xml").document
    stored = {f.original_name: read(f.blob) for f in document.files.all()}
    assert stored == inner


def test_garbage_base64_is_refused(agency_a):
    data = samples.replace(samples.sample_text(), "<ContentTransferEncoded>UEjhu6Qg",
                           "<ContentTransferEncoded>@@ không phải base64 @@").encode()
    error = rejected(agency_a, data, "edxml_invalid")
    assert "base64" in error.message
    nothing_stored()


@pytest.mark.parametrize("data", [samples.XXE, samples.BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_entities_and_dtds_are_forbidden(agency_a, data):
    rejected(agency_a, data, "xml_forbidden")
    nothing_stored()


@pytest.mark.parametrize("data, code", [
    (b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><unclosed>", "xml_malformed"),
    (b"<edXML xmlns='urn:other'><edXMLEnvelope/></edXML>", "edxml_invalid"),
    (f"<edXML xmlns='{samples.NS}'><edXMLEnvelope><edXMLHeader/></edXMLEnvelope></edXML>".encode(),
     "edxml_invalid"),
    (b"", "empty_file"),
])
def test_broken_packages_are_refused(agency_a, data, code):
    rejected(agency_a, data, code)
    nothing_stored()


def test_missing_payload_and_bad_fields_are_refused(agency_a):
    missing = samples.replace(samples.sample_text(), f"<ContentId>{samples.SAMPLE_CID}</ContentId>",
                              "<ContentId>khac</ContentId>")
    bad_date = samples.replace(samples.sample_text(), "<edXML:PromulgationDate>2025/03/14",
                               "<edXML:PromulgationDate>14/03/2025")
    bad_priority = samples.replace(samples.sample_text(), "<edXML:Priority>0", "<edXML:Priority>9")
    no_subject = samples.replace(samples.sample_text(), "edXML:Subject>", "edXML:Title>", count=2)
    for data, words in [(missing, "không có trong gói tin"), (bad_date, "yyyy/MM/dd"), (bad_priority, "độ khẩn"),
                        (no_subject, "Subject")]:
        assert words in rejected(agency_a, data.encode(), "edxml_invalid").message
    nothing_stored()


def test_a_file_refused_by_the_pipeline_refuses_the_whole_package(agency_a):
    data = samples.with_attachments([("CongVan215.pdf", "application/pdf", pdf_bytes()),
                                     ("chay-toi.exe", "application/octet-stream", b"MZ\x90\x00" + bytes(200))])
    rejected(agency_a, data, "type_not_allowed")
    nothing_stored()


def test_is_edxml_sniffs_the_head():
    assert edxml.is_edxml(samples.sample()[:4096])
    assert not edxml.is_edxml(b'<?xml version="1.0"?><root xmlns="urn:x"/>')
    assert not edxml.is_edxml(pdf_bytes()[:4096])


def test_update_package_is_a_new_document_noting_it(agency_a):
    edxml.import_package(agency_a, samples.sample(), "a.xml")
    update = samples.replace(samples.sample_text(), "<edXML:BussinessDocType>0<", "<edXML:BussinessDocType>2<")
    result = edxml.import_package(agency_a, update.encode(), "cap-nhat.xml")
    assert not result.duplicate
    assert result.package.business_type == EdxmlPackage.Business.UPDATE
    assert result.package.header["TraceHeaderList"]["Bussiness"]["BussinessDocType"] == "2"
    assert Document.objects.filter(identifier=samples.SAMPLE_ID).count() == 2


def test_oversized_package_is_refused_before_parsing(agency_a, settings):
    settings.HOSO_MAX_UPLOAD_BYTES = 1024
    error = rejected(agency_a, io.BytesIO(samples.sample() + b" " * 4096), "file_too_large")
    assert error.status == 413
    nothing_stored()
