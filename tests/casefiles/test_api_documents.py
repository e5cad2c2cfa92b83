import hashlib
import io
import json

import pytest
from django.core.files.storage import storages

from accounts.models import AuditEntry
from casefiles.models import Blob, Document, DocumentFile
from tests.conftest import client_for, pdf_bytes

URL = "/api/v1/documents/"


def upload(client, content, name="Quyết định 125.pdf", **fields):
    data = {"subject": "Về việc phê duyệt kế hoạch cải cách hành chính năm 2026", "kind": "received",
            "code_number": "125", "code_notation": "QĐ-UBND", "issued_date": "2026-03-05",
            "organ_name": "UBND tỉnh Sơn La", "file": io.BytesIO(content), **fields}
    data["file"].name = name
    return client.post(URL, data, format="multipart")


def download(client, payload, index=0):
    return client.get(payload["files"][index]["download_url"])


def body(response):
    return b"".join(response.streaming_content)


def test_upload_stores_metadata_and_file(clerk_a):
    client = client_for(clerk_a)
    content = pdf_bytes()
    response = upload(client, content, recipients=json.dumps([{"organ_id": "000.00.02.H53", "organ_name": "Sở Nội vụ"}]))
    assert response.status_code == 201, response.json()
    payload = response.json()
    assert payload["number_notation"] == "125/QĐ-UBND"
    assert payload["agency"] == clerk_a.agency_id
    assert payload["recipients"] == [{"organ_id": "000.00.02.H53", "organ_name": "Sở Nội vụ"}]
    file = payload["files"][0]
    assert file["original_name"] == "Quyết định 125.pdf"
    assert file["sha256"] == hashlib.sha256(content).hexdigest()
    assert file["mime_type"] == "application/pdf"
    stored = file["stored_name"].rsplit("/", 1)[-1]
    assert stored.isascii() and len(stored) <= 50
    assert AuditEntry.objects.filter(action="create", object_type="casefiles.document",
                                     object_id=str(payload["id"])).exists()


def test_same_pdf_twice_is_stored_once_and_downloads_identical(clerk_a, tmp_path):
    client = client_for(clerk_a)
    content = pdf_bytes("Công văn về việc báo cáo tình hình", pages=2)
    first = upload(client, content, name="cong-van.pdf").json()
    second = upload(client, content, name="Công văn (bản sao).pdf", code_number="126").json()
    assert first["files"][0]["sha256"] == second["files"][0]["sha256"]
    assert Blob.objects.count() == 1
    assert DocumentFile.objects.count() == 2
    storage = storages["records"]
    name = first["files"][0]["stored_name"]
    directory, _files = storage.listdir(name.rsplit("/", 1)[0])
    assert _files == [name.rsplit("/", 1)[1]]
    for payload in (first, second, first):
        response = download(client, payload)
        assert response.status_code == 200
        assert body(response) == content
        assert response["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    assert "attachment" in download(client, second)["Content-Disposition"]
    assert AuditEntry.objects.filter(action="download").count() == 4


def test_inline_preview_only_for_pdf(clerk_a):
    client = client_for(clerk_a)
    payload = upload(client, pdf_bytes()).json()
    response = client.get(payload["files"][0]["download_url"] + "?inline=1")
    assert response["Content-Disposition"].startswith("inline")
    text = upload(client, "Nội dung văn bản\n".encode(), name="ghi chú.txt", code_number="9").json()
    response = client.get(text["files"][0]["download_url"] + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment")


def test_appendices_and_attachments(clerk_a):
    client = client_for(clerk_a)
    appendix = io.BytesIO(pdf_bytes("Phụ lục I"))
    appendix.name = "Phụ lục I.pdf"
    attachment = io.BytesIO(b"a,b\n1,2\n")
    attachment.name = "bang.csv"
    response = upload(client, pdf_bytes(), appendices=[appendix], attachments=[attachment])
    assert response.status_code == 201, response.json()
    roles = [(f["role"], f["original_name"]) for f in response.json()["files"]]
    assert roles == [("main", "Quyết định 125.pdf"), ("appendix", "Phụ lục I.pdf"), ("attachment", "bang.csv")]


def test_bad_metadata_stores_nothing(clerk_a):
    client = client_for(clerk_a)
    response = upload(client, pdf_bytes(), subject="x" * 600)
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid" and "subject" in payload["detail"]
    assert payload["message"]
    assert not Document.objects.exists() and not Blob.objects.exists()


def test_oversized_file_is_refused_and_nothing_kept(clerk_a, settings):
    settings.HOSO_MAX_UPLOAD_BYTES = 1000
    response = upload(client_for(clerk_a), b"%PDF-" + b"0" * 2000)
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert not Document.objects.exists() and not Blob.objects.exists()


def test_update_and_delete_are_audited(clerk_a, admin_a):
    client = client_for(clerk_a)
    payload = upload(client, pdf_bytes()).json()
    response = client.patch(f"{URL}{payload['id']}/", {"subject": "Trích yếu mới"}, format="json")
    assert response.status_code == 200 and response.json()["subject"] == "Trích yếu mới"
    entry = AuditEntry.objects.filter(action="update").latest("seq")
    assert entry.detail["changed"]["subject"][1] == "Trích yếu mới"
    # a clerk may not delete; an administrator may
    assert client.delete(f"{URL}{payload['id']}/").status_code == 403
    assert client_for(admin_a).delete(f"{URL}{payload['id']}/").status_code == 204
    assert AuditEntry.objects.filter(action="delete", object_id=str(payload["id"])).exists()
    assert Blob.objects.count() == 1  # bytes stay: other records may share them


def test_view_is_audited(clerk_a):
    client = client_for(clerk_a)
    payload = upload(client, pdf_bytes()).json()
    assert client.get(f"{URL}{payload['id']}/").status_code == 200
    assert AuditEntry.objects.filter(action="view", object_id=str(payload["id"])).count() == 1


@pytest.mark.parametrize(
    "raw",
    [b"{", b"[]", b'{"subject": null}', b'{"priority": "cao"}', b'{"issued_date": "31/02/2026"}',
     b'{"recipients": "not json"}', b'{"unit": 999999}', b"\xff\xfe"],
)
def test_malformed_json_never_500(clerk_a, raw):
    response = client_for(clerk_a).post(URL, raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    payload = response.json()
    assert set(payload) == {"code", "message", "detail"}


def test_malformed_multipart_never_500(clerk_a):
    client = client_for(clerk_a)
    response = client.post(URL, b"--xx\r\nbroken", content_type="multipart/form-data; boundary=xx")
    assert 400 <= response.status_code < 500
    response = client.post(URL, {"subject": "a", "file": "not a file"}, format="multipart")
    assert response.status_code == 400


def test_dates_accept_vietnamese_format(clerk_a):
    response = upload(client_for(clerk_a), pdf_bytes(), issued_date="05/03/2026")
    assert response.status_code == 201, response.json()
    assert response.json()["issued_date"] == "2026-03-05"
