import io

from django.utils import timezone

from casefiles.models import DocumentFile
from casefiles.services import create_document
from tests.conftest import PASSWORD, client_for, pdf_bytes


def make(agency, **fields):
    return create_document(agency=agency, subject="Quyết định", **fields,
                           files=[(io.BytesIO(pdf_bytes()), "qd.pdf", "main")])


def test_recalled_content_is_withdrawn_everywhere(agency_a, clerk_a, client):
    document = make(agency_a)
    document.recalled_at, document.recall_info = timezone.now(), {"reason": "Ban hành nhầm"}
    document.save()
    file = document.files.get()
    api = client_for(clerk_a).get(f"/api/v1/documents/{document.pk}/files/{file.pk}/download/")
    assert api.status_code == 410 and api.json()["code"] == "document_recalled"
    client.login(username=clerk_a.username, password=PASSWORD)
    for view in ("download", "preview"):
        response = client.get(f"/admin/records/{document.pk}/files/{file.pk}/{view}/")
        assert response.status_code == 410, view


def test_quarantined_pdf_is_never_inline(agency_a, clerk_a):
    document = make(agency_a)
    DocumentFile.objects.filter(document=document).update(quarantined=True, flags=["pdf_javascript"])
    file = document.files.get()
    response = client_for(clerk_a).get(f"/api/v1/documents/{document.pk}/files/{file.pk}/download/?inline=1")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
