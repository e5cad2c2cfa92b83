"""A recall package (BussinessDocType 1) withdraws the received document: files refused, text cleared,
metadata and the recall kept."""

import pytest

from accounts.models import AuditEntry
from casefiles.models import DocumentFile
from ingest import edxml
from ingest.errors import Rejected
from ingest.models import EdxmlPackage
from tests.conftest import client_for
from tests.ingest import edxml_samples as samples


@pytest.fixture
def received(agency_a):
    document = edxml.import_package(agency_a, samples.sample(), "sample_edxml.xml").document
    assert DocumentFile.objects.filter(document=document).exclude(text="").exists()
    return document


def test_recall_withdraws_the_document(agency_a, clerk_a, received):
    client = client_for(clerk_a)
    file = received.files.get()
    url = f"/api/v1/documents/{received.pk}/files/{file.pk}/download/"
    assert client.get(url).status_code == 200

    result = edxml.import_package(agency_a, samples.recall(), "thu-hoi.xml", actor=clerk_a)

    assert result.document == received and not result.duplicate
    received.refresh_from_db()
    assert received.is_recalled
    assert received.recall_info == {
        "reason": "Văn bản ban hành sai thẩm quyền", "from_organ_id": "000.00.12.H99",
        "from_organ_name": "Sở Khoa học và Công nghệ tỉnh Đông Lâm", "time": "2025/03/15 08:00:00",
        "package": result.package.pk,
    }
    response = client.get(url)
    assert response.status_code == 410
    assert response.json()["code"] == "document_recalled"
    file.refresh_from_db()
    assert file.text == ""
    # Metadata and files' records are kept.
    assert (received.code_number, received.subject[:3], received.files.count()) == ("215", "V/v", 1)
    assert result.package.business_type == EdxmlPackage.Business.RECALL
    assert result.reply.status_code == EdxmlPackage.Status.RECALL_AGREED
    entry = AuditEntry.objects.filter(action="update", object_id=str(received.pk)).get()
    assert entry.detail["recall"]["reason"] == "Văn bản ban hành sai thẩm quyền"


def test_recall_twice_changes_nothing_more(agency_a, received):
    first = edxml.import_package(agency_a, samples.recall(), "thu-hoi.xml")
    again = edxml.import_package(agency_a, samples.recall(reason="Gửi lại yêu cầu thu hồi"), "thu-hoi-2.xml")
    assert again.duplicate and again.package == first.package
    received.refresh_from_db()
    assert received.recall_info["reason"] == "Văn bản ban hành sai thẩm quyền"
    assert EdxmlPackage.objects.filter(business_type=EdxmlPackage.Business.RECALL).count() == 1


@pytest.mark.parametrize("package, words", [
    (samples.recall(document_id="000.00.12.H99,2025/03/14,999/SKHCN-VP"), "không có văn bản đến"),
    (samples.recall(sender="000.00.77.H99"), "chỉ cơ quan đã gửi"),
], ids=["unknown-document", "other-sender"])
def test_recall_refused(agency_a, received, package, words):
    with pytest.raises(Rejected) as caught:
        edxml.import_package(agency_a, package, "thu-hoi.xml")
    assert caught.value.code == "edxml_invalid" and words in caught.value.message
    received.refresh_from_db()
    assert not received.is_recalled
    assert not EdxmlPackage.objects.filter(business_type=EdxmlPackage.Business.RECALL).exists()


def test_recall_of_another_agencys_document_is_refused(agency_b, received):
    with pytest.raises(Rejected) as caught:
        edxml.import_package(agency_b, samples.recall(), "thu-hoi.xml")
    assert caught.value.code == "edxml_invalid"
