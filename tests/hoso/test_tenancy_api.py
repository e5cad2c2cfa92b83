"""A user of agency A never reads, lists or downloads agency B's records through the API."""

import io

import pytest

from accounts.models import User
from casefiles.services import create_document
from tests.conftest import client_for, make_person, pdf_bytes


@pytest.fixture
def document_b(agency_b, clerk_b):
    return create_document(
        agency=agency_b, actor=clerk_b, subject="Văn bản mật của Sở Nội vụ", kind="issued",
        files=[(io.BytesIO(pdf_bytes("Bí mật")), "bi-mat.pdf", "main")],
        recipients=[{"organ_id": "", "organ_name": "UBND tỉnh"}],
    )


@pytest.fixture
def admin_b(agency_b):
    from accounts.roles import Role

    return make_person(agency_b, "Phạm Thị Lan", Role.ADMIN)


def other_agency_urls(document_b, agency_b, clerk_b):
    file_b = document_b.files.first()
    unit_b = agency_b.units.first()
    return [
        f"/api/v1/documents/{document_b.pk}/",
        f"/api/v1/documents/{document_b.pk}/files/{file_b.pk}/download/",
        f"/api/v1/documents/{document_b.pk}/files/{file_b.pk}/download/?inline=1",
        f"/api/v1/agencies/{agency_b.pk}/",
        f"/api/v1/units/{unit_b.pk}/",
        f"/api/v1/users/{clerk_b.pk}/",
    ]


def test_cross_agency_reads_are_404(clerk_a, admin_a, document_b, agency_b, clerk_b):
    for user in (clerk_a, admin_a):
        client = client_for(user)
        for url in other_agency_urls(document_b, agency_b, clerk_b):
            response = client.get(url)
            assert response.status_code == 404, (user.username, url, response.status_code)
            assert response.json()["code"] == "not_found"


def test_cross_agency_writes_are_404(clerk_a, admin_a, document_b, agency_b, clerk_b):
    """Users holding the permission still find nothing in another agency."""
    client = client_for(admin_a)
    unit_b = agency_b.units.first()
    patch = {"name": "x", "subject": "x", "full_name": "x"}
    assert client_for(clerk_a).patch(f"/api/v1/documents/{document_b.pk}/", patch, format="json").status_code == 404
    for url in (f"/api/v1/units/{unit_b.pk}/", f"/api/v1/users/{clerk_b.pk}/", f"/api/v1/agencies/{agency_b.pk}/"):
        assert client.patch(url, patch, format="json").status_code == 404
    for url in (f"/api/v1/documents/{document_b.pk}/", f"/api/v1/units/{unit_b.pk}/"):
        assert client.delete(url).status_code == 404
    document_b.refresh_from_db()
    assert document_b.subject == "Văn bản mật của Sở Nội vụ"


def test_cross_agency_file_under_own_document_is_404(clerk_a, document_b):
    """Pairing one's own document with another agency's file id finds nothing."""
    own = create_document(agency=clerk_a.agency, subject="Của tôi",
                          files=[(io.BytesIO(pdf_bytes()), "a.pdf", "main")])
    response = client_for(clerk_a).get(f"/api/v1/documents/{own.pk}/files/{document_b.files.first().pk}/download/")
    assert response.status_code == 404


def test_lists_show_only_own_agency(clerk_a, admin_a, document_b, agency_a, agency_b, clerk_b):
    own = create_document(agency=agency_a, subject="Văn bản của UBND tỉnh")
    client = client_for(admin_a)
    documents = client.get("/api/v1/documents/").json()["results"]
    assert [d["id"] for d in documents] == [own.pk]
    assert [a["id"] for a in client.get("/api/v1/agencies/").json()["results"]] == [agency_a.pk]
    assert {u["agency"] for u in client.get("/api/v1/units/").json()["results"]} == {agency_a.pk}
    users = client.get("/api/v1/users/").json()["results"]
    assert {u["username"] for u in users} == {"hadtt.ubnd", "annv.ubnd"}
    by_hash = client.get("/api/v1/documents/", {"sha256": document_b.files.first().blob.sha256}).json()
    assert by_hash["count"] == 0


def test_cannot_attach_other_agency_unit(clerk_a, agency_b):
    response = client_for(clerk_a).post(
        "/api/v1/documents/", {"subject": "x", "unit": agency_b.units.first().pk}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()["detail"]


def test_anonymous_gets_401_everywhere(api_client, document_b, agency_b, clerk_b):
    for url in ["/api/v1/documents/", "/api/v1/users/", *other_agency_urls(document_b, agency_b, clerk_b)]:
        response = api_client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"


def test_operator_sees_all(document_b, agency_a):
    operator = User.objects.create_superuser("admin", password="x", full_name="Quản trị hệ thống")
    client = client_for(operator)
    assert client.get(f"/api/v1/documents/{document_b.pk}/").status_code == 200
    assert client.get("/api/v1/agencies/").json()["count"] == 2
