import io
import zipfile

import pytest

from accounts.roles import Role
from casefiles import filing
from tests.conftest import client_for, make_person

URL = "/api/v1/case-files/"


@pytest.fixture
def officer(agency_a):
    return make_person(agency_a, "Vũ Thị Mai", Role.OFFICER)


def open_via_api(client, **fields):
    data = {"title": "Hồ sơ giải quyết khiếu nại năm 2026", "file_notation": "12.TTr", "retention_kind": "years",
            "retention_years": 10, "start_date": "2026-02-01", **fields}
    return client.post(URL, data, format="json")


def test_open_add_close_export_reopen(officer, make_document, agency_a):
    client = client_for(officer)
    response = open_via_api(client)
    assert response.status_code == 201, response.json()
    case_file = response.json()
    assert case_file["file_code"] == "000.00.01.H53.2026.12.TTr"
    assert case_file["creator_name"] == "Vũ Thị Mai" and case_file["rights"] == "01"
    url = f"{URL}{case_file['id']}/"
    document = make_document()
    added = client.post(url + "add-document/", {"document": document.pk}, format="json")
    assert added.status_code == 201 and added.json()["identifier"].endswith(".001")
    refused = client.post(url + "close/", {"retention_confirmed": False}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "close_checklist_failed"
    closed = client.post(url + "close/", {"end_date": "2026-10-01", "retention_confirmed": True}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["transfer_due_date"] == "2027-10-01"
    # the document is now immutable through the API
    patch = client.patch(f"/api/v1/documents/{document.pk}/", {"subject": "Sửa"}, format="json")
    assert patch.status_code == 409 and patch.json()["code"] == "document_frozen"
    again = client.post(url + "add-document/", {"document": make_document("Khác").pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "case_file_closed"
    export = client.get(url + "export/")
    package = zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content)))
    assert "manifest-sha256.txt" in package.namelist()
    assert client.get(url + "document-list/")["Content-Type"] == "application/pdf"
    assert b"<HoSo" in client.get(url + "document-list/?as=xml").content
    assert client.post(url + "reopen/", {"reason": "Bổ sung"}, format="json").status_code == 409
    leader = make_person(agency_a, "Hoàng Văn Lãnh", Role.LEADER)
    reopened = client_for(leader).post(url + "reopen/", {"reason": "Bổ sung"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"


def test_remove_document_with_reason(officer, make_document):
    client = client_for(officer)
    case_file = open_via_api(client).json()
    document = make_document()
    client.post(f"{URL}{case_file['id']}/add-document/", {"document": document.pk}, format="json")
    response = client.post(f"{URL}{case_file['id']}/remove-document/", {"document": document.pk,
                                                                         "reason": "Bản trùng"}, format="json")
    assert response.status_code == 200 and response.json()["doc_total"] == 0


def test_ad_hoc_without_required_fields(officer):
    response = client_for(officer).post(URL, {"title": "Thiếu"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "case_file_fields_missing"


def test_cross_agency_case_files_and_plans_are_404(officer, clerk_b, agency_b, plan):
    own = open_via_api(client_for(officer)).json()
    other = client_for(clerk_b)
    for url in (f"{URL}{own['id']}/", f"{URL}{own['id']}/export/", f"{URL}{own['id']}/documents/",
                f"{URL}{own['id']}/document-list/", f"/api/v1/file-plans/{plan.pk}/",
                f"/api/v1/file-plans/{plan.pk}/pdf/", f"/api/v1/file-plans/{plan.pk}/xlsx/"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"{URL}{own['id']}/close/", {}, format="json").status_code == 404
    assert other.get(URL).json()["count"] == 0


def test_cannot_file_other_agency_document(officer, agency_b):
    from casefiles.services import create_document

    foreign = create_document(agency=agency_b, subject="Của Sở Nội vụ")
    case_file = open_via_api(client_for(officer)).json()
    response = client_for(officer).post(f"{URL}{case_file['id']}/add-document/", {"document": foreign.pk},
                                        format="json")
    assert response.status_code == 404


def test_plan_api(clerk_a, agency_a):
    client = client_for(clerk_a)
    plan = client.post("/api/v1/file-plans/", {"year": 2027}, format="json").json()
    url = f"/api/v1/file-plans/{plan['id']}/"
    heading = client.post(url + "headings/", {"title": "Văn phòng", "abbreviation": "VP"}, format="json").json()
    top = heading["headings"][0]["id"]
    body = client.post(url + "items/", {"heading": top, "title": "Hồ sơ hội nghị", "retention_kind": "years",
                                        "retention_years": 10, "creator_name": "Đặng Thị Thu Hà"}, format="json")
    assert body.json()["items"][0]["file_notation"] == "01.VP"
    assert body.json()["items"][0]["retention_label"] == "10 năm"
    # a clerk drafts; only a leader or an administrator approves
    assert client.post(url + "approve/", {"decision_number": "5/QĐ", "decision_date": "2027-01-02"},
                       format="json").status_code == 403
    leader = client_for(make_person(agency_a, "Hoàng Văn Lãnh", Role.LEADER))
    approved = leader.post(url + "approve/", {"decision_number": "5/QĐ", "decision_date": "2027-01-02"},
                           format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    locked = client.post(url + "items/", {"heading": top, "title": "Mới", "retention_kind": "permanent"},
                         format="json")
    assert locked.status_code == 409 and locked.json()["code"] == "plan_approved"
    amended = client.post(url + "items/", {"heading": top, "title": "Mới", "retention_kind": "permanent",
                                           "reason": "Bổ sung"}, format="json")
    assert amended.status_code == 200
    copy = client.post(url + "copy/", {"year": 2028}, format="json")
    assert copy.status_code == 201 and copy.json()["status"] == "draft" and len(copy.json()["items"]) == 2
    assert client.get(url + "pdf/")["Content-Type"] == "application/pdf"
    assert client.get(url + "xlsx/").status_code == 200


def test_open_from_plan_item_via_api(officer, plan):
    item = plan.items.get(file_notation="01.TCCB")
    response = client_for(officer).post(URL, {"plan_item": item.pk, "start_date": "2026-03-01"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["file_notation"] == "01.TCCB" and response.json()["retention_kind"] == "permanent"


def test_filing_api_uses_the_service(officer, make_document):
    """The due-date list the beat job uses sees files closed through the API."""
    client = client_for(officer)
    case_file = open_via_api(client).json()
    client.post(f"{URL}{case_file['id']}/add-document/", {"document": make_document().pk}, format="json")
    client.post(f"{URL}{case_file['id']}/close/", {"end_date": "2026-10-01", "retention_confirmed": True},
                format="json")
    import datetime

    upcoming, _ = filing.due_for_transfer(today=datetime.date(2027, 9, 15))
    assert [c.pk for c, _ in upcoming] == [case_file["id"]]
