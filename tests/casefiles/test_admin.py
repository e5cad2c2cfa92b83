"""Documents in the Wagtail admin: scoped to the agency, created through the services, audited."""

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import AuditEntry
from casefiles import services
from casefiles.models import Document
from tests.conftest import PASSWORD, make_person, pdf_bytes

INDEX = "/admin/records/"


def admin_client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def make_document(agency, user, subject="Về việc phê duyệt kế hoạch cải cách hành chính năm 2026", content=None,
                  **fields):
    content = pdf_bytes() if content is None else content
    fields = {"kind": "received", "code_number": "125", "code_notation": "QĐ-UBND",
              "issued_date": datetime.date(2026, 3, 5), "organ_name": "UBND tỉnh Sơn La", **fields}
    return services.create_document(agency=agency, actor=user, subject=subject,
                                    files=[(io.BytesIO(content), "Quyết định 125.pdf", "main")], **fields)


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def document_a(clerk_a):
    return make_document(clerk_a.agency, clerk_a)


@pytest.fixture
def document_b(clerk_b):
    return make_document(clerk_b.agency, clerk_b, subject="Kế hoạch tuyển dụng công chức của Sở",
                         code_number="77", code_notation="KH-SNV")


def file_urls(document):
    document_file = document.files.get()
    base = f"{INDEX}{document.pk}/files/{document_file.pk}"
    return f"{base}/download/", f"{base}/preview/"


def test_dashboard_loads_for_a_clerk(clerk_a):
    response = admin_client(clerk_a).get("/admin/")
    assert response.status_code == 200
    assert INDEX.encode() in response.content  # the documents menu item


def test_list_shows_own_agency_documents_only(clerk_a, document_a, document_b):
    response = admin_client(clerk_a).get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "125/QĐ-UBND" in html and "05/03/2026" in html
    assert document_a.subject in html
    assert document_b.subject not in html and "KH-SNV" not in html


def test_list_search_and_filters(clerk_a, document_a):
    other = make_document(clerk_a.agency, clerk_a, subject="Báo cáo tình hình quý I", kind="issued",
                          code_number="12", code_notation="BC-UBND", type_name="Báo cáo",
                          issued_date=datetime.date(2025, 1, 2), content=b"bao cao")
    client = admin_client(clerk_a)

    def listed(**params):
        html = client.get(INDEX, params).content.decode()
        return {d.subject for d in (document_a, other) if d.subject in html}

    assert listed(q="125/QĐ") == {document_a.subject}
    assert listed(q="quý i") == {other.subject}
    assert listed(kind="issued") == {other.subject}
    assert listed(year="2026") == {document_a.subject}
    assert listed(type_name="Báo cáo") == {other.subject}
    assert listed(unit=clerk_a.agency.units.first().pk) == set()


def test_other_agency_document_urls_answer_404(clerk_a, document_b):
    client = admin_client(clerk_a)
    download, preview = file_urls(document_b)
    for url in (f"{INDEX}inspect/{document_b.pk}/", f"{INDEX}edit/{document_b.pk}/",
                f"{INDEX}delete/{document_b.pk}/", download, preview):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{INDEX}delete/{document_b.pk}/").status_code == 404
    assert Document.objects.filter(pk=document_b.pk).exists()
    assert not AuditEntry.objects.filter(action__in=["view", "download"], object_id=str(document_b.pk)).exists()


def test_detail_shows_metadata_files_and_pdf_preview(clerk_a, document_a):
    response = admin_client(clerk_a).get(f"{INDEX}inspect/{document_a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    document_file = document_a.files.get()
    download, preview = file_urls(document_a)
    assert "Trích yếu" in html and document_a.subject in html  # Vietnamese label of "subject"
    assert "05/03/2026" in html
    assert "Quyết định 125.pdf" in html and document_file.blob.sha256 in html
    assert download in html
    assert f'<iframe src="{preview}"' in html
    assert AuditEntry.objects.filter(action="view", object_id=str(document_a.pk)).exists()


def test_download_and_preview_serve_the_stored_bytes(clerk_a):
    content = pdf_bytes("Công văn về việc báo cáo")
    document = make_document(clerk_a.agency, clerk_a, content=content)
    client = admin_client(clerk_a)
    download, preview = file_urls(document)

    response = client.get(download)
    assert response.status_code == 200
    assert body(response) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Quy%E1%BA%BFt" in response["Content-Disposition"]

    response = client.get(preview)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert body(response) == content
    assert AuditEntry.objects.filter(action="download", object_id=str(document.pk)).count() == 2


def test_preview_of_a_non_pdf_is_a_download(clerk_a):
    document = make_document(clerk_a.agency, clerk_a, content=b"plain text, not a PDF")
    _download, preview = file_urls(document)
    response = admin_client(clerk_a).get(preview)
    assert response["Content-Disposition"].startswith("attachment;")


def test_create_document_with_files_goes_through_the_services(clerk_a):
    client = admin_client(clerk_a)
    assert client.get(f"{INDEX}new/").status_code == 200
    main = pdf_bytes("Quyết định số 9")
    response = client.post(f"{INDEX}new/", {
        "kind": "issued", "type_name": "Quyết định", "code_number": "9", "code_notation": "QĐ-UBND",
        "issued_date": "05/03/2026", "organ_name": "UBND tỉnh Sơn La", "subject": "Về việc thành lập tổ công tác",
        "priority": "1", "language": "Tiếng Việt", "unit": clerk_a.unit_id,
        "recipients": "000.00.02.H53 | Sở Nội vụ\nVăn phòng UBND tỉnh",
        "main_file": SimpleUploadedFile("Quyết định 9.pdf", main, "application/pdf"),
        "appendices": [SimpleUploadedFile("Phụ lục 1.txt", b"phu luc 1"), SimpleUploadedFile("Phụ lục 2.txt", b"2")],
        "attachments": SimpleUploadedFile("Đính kèm.txt", b"dinh kem"),
    })
    assert response.status_code == 302, response.content.decode()
    document = Document.objects.get(code_number="9")
    assert document.agency == clerk_a.agency and document.created_by == clerk_a
    assert document.issued_date == datetime.date(2026, 3, 5)
    assert [(f.role, f.original_name) for f in document.files.all()] == [
        ("main", "Quyết định 9.pdf"), ("appendix", "Phụ lục 1.txt"), ("appendix", "Phụ lục 2.txt"),
        ("attachment", "Đính kèm.txt"),
    ]
    assert document.files.get(role="main").blob.sha256 == hashlib.sha256(main).hexdigest()
    assert [(r.organ_id, r.organ_name) for r in document.recipients.all()] == [
        ("000.00.02.H53", "Sở Nội vụ"), ("", "Văn phòng UBND tỉnh")]
    assert AuditEntry.objects.filter(action="create", object_id=str(document.pk)).exists()


def test_create_refuses_another_agency_unit(clerk_a, clerk_b):
    response = admin_client(clerk_a).post(f"{INDEX}new/", {
        "kind": "received", "subject": "Thử đơn vị khác", "priority": "0", "unit": clerk_b.unit_id,
    })
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_edit_updates_through_the_service_and_is_audited(clerk_a, document_a):
    client = admin_client(clerk_a)
    url = f"{INDEX}edit/{document_a.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="05/03/2026"' in response.content.decode()
    response = client.post(url, {
        "kind": "received", "code_number": "125", "code_notation": "QĐ-UBND", "issued_date": "06/03/2026",
        "organ_name": "UBND tỉnh Sơn La", "subject": "Trích yếu đã sửa", "priority": "2", "language": "Tiếng Việt",
    })
    assert response.status_code == 302
    document_a.refresh_from_db()
    assert document_a.subject == "Trích yếu đã sửa"
    assert document_a.issued_date == datetime.date(2026, 3, 6)
    entry = AuditEntry.objects.get(action="update", object_id=str(document_a.pk))
    assert set(entry.detail["changed"]) == {"subject", "issued_date", "priority"}


def test_roles_limit_what_staff_can_do(agency_a, admin_a, document_a):
    leader = make_person(agency_a, "Trần Văn Bình", "leader")
    client = admin_client(leader)
    assert client.get(f"{INDEX}inspect/{document_a.pk}/").status_code == 200
    assert client.get(f"{INDEX}edit/{document_a.pk}/").status_code in (302, 403)
    assert client.get(f"{INDEX}new/").status_code in (302, 403)
    # The agency administrator may delete (here an internal document, which nothing else holds on to).
    internal = make_document(agency_a, admin_a, kind="internal", code_number="3", content=b"noi bo")
    response = admin_client(admin_a).post(f"{INDEX}delete/{internal.pk}/")
    assert response.status_code == 302
    assert not Document.objects.filter(pk=internal.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(internal.pk)).exists()


def test_superuser_sees_every_agency(django_user_model, document_a, document_b):
    operator = django_user_model.objects.create_superuser("operator", password=PASSWORD, full_name="Operator")
    html = admin_client(operator).get(INDEX).content.decode()
    assert document_a.subject in html and document_b.subject in html
