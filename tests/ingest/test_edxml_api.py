"""/api/v1/edxml/: import into the caller's agency, export its issued documents, list its packages."""

import datetime
import io

from defusedxml.ElementTree import fromstring

from accounts.roles import Role
from casefiles.models import Document
from casefiles.services import create_document
from ingest.models import EdxmlPackage
from tests.conftest import client_for, make_person, pdf_bytes
from tests.ingest import edxml_samples as samples

URL = "/api/v1/edxml/"


def post_file(client, data, name="sample_edxml.xml"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(URL, {"package": upload}, format="multipart")


def post_body(client, data):
    return client.generic("POST", URL, data, content_type="application/xml")


def issued_document(agency, recipient):
    return create_document(
        agency=agency, kind="issued", type_name="Công văn", code_number="42", code_notation="UBND-VP",
        issued_date=datetime.date(2026, 4, 1), subject="V/v báo cáo tình hình chuyển đổi số",
        recipients=[{"organ_id": recipient.identifier, "organ_name": recipient.name}],
        files=[(io.BytesIO(pdf_bytes("Công văn 42")), "CV42.pdf", "main")],
    )


def test_import_by_upload_then_duplicate(clerk_a):
    client = client_for(clerk_a)
    response = post_file(client, samples.sample())
    assert response.status_code == 201, response.json()
    body = response.json()
    document = body["document"]
    assert (document["number_notation"], document["identifier"]) == ("215/SKHCN-VP", samples.SAMPLE_ID)
    assert document["agency"] == clerk_a.agency_id and document["kind"] == "received"
    assert document["files"][0]["original_name"] == "PhuLuc_QuyUocDatTenTep.txt"
    assert body["duplicate"] is False
    assert body["package"]["direction"] == "in" and body["reply"]["status_code"] == "01"
    assert body["warnings"] == ["agency_not_in_to"]

    again = post_body(client, samples.sample())
    assert again.status_code == 200
    assert again.json()["duplicate"] is True and again.json()["document"]["id"] == document["id"]
    assert Document.objects.count() == 1


def test_import_refusals_answer_in_the_error_shape(clerk_a):
    client = client_for(clerk_a)
    response = post_body(client, samples.XXE)
    assert response.status_code == 422 and response.json()["code"] == "xml_forbidden"
    response = client.post(URL, {"other": "x"}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "package_required"
    assert not Document.objects.exists()


def test_import_needs_the_add_document_permission(admin_a, api_client):
    assert post_file(client_for(admin_a), samples.sample()).status_code == 403
    assert post_file(api_client, samples.sample()).status_code == 401


def test_export_own_issued_document_only(agency_a, agency_b, clerk_a, clerk_b):
    document = issued_document(agency_a, agency_b)
    response = client_for(clerk_a).get(f"{URL}export/{document.pk}/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = fromstring(response.content, forbid_dtd=True)
    assert root.findtext("{%s}edXMLEnvelope/{%s}edXMLHeader/{%s}MessageHeader/{%s}Code/{%s}CodeNumber"
                         % ((samples.NS,) * 5)) == "42"
    other = client_for(clerk_b).get(f"{URL}export/{document.pk}/")
    assert other.status_code == 404 and other.json()["code"] == "not_found"

    # ... and agency_b imports it through its own API.
    imported = post_body(client_for(clerk_b), response.content)
    assert imported.status_code == 201
    assert imported.json()["document"]["number_notation"] == "42/UBND-VP"
    assert imported.json()["warnings"] == []


def test_export_of_a_received_document_is_refused(clerk_a):
    client = client_for(clerk_a)
    document_id = post_file(client, samples.sample()).json()["document"]["id"]
    response = client.get(f"{URL}export/{document_id}/")
    assert response.status_code == 409 and response.json()["code"] == "edxml_not_issued"


def test_packages_list_and_download(agency_a, clerk_a, clerk_b):
    client = client_for(clerk_a)
    post_file(client, samples.sample())
    listing = client.get(f"{URL}packages/").json()["results"]
    assert sorted((p["direction"], p["status_code"]) for p in listing) == [("in", ""), ("out", "01")]
    received = client.get(f"{URL}packages/", {"direction": "in"}).json()["results"]
    assert len(received) == 1
    download = client.get(received[0]["download_url"])
    assert b"".join(download.streaming_content) == samples.sample()
    assert client_for(clerk_b).get(f"{URL}packages/").json()["results"] == []
    assert client_for(clerk_b).get(received[0]["download_url"]).status_code == 404
    leader = make_person(agency_a, "Trần Văn Bình", Role.LEADER)
    assert len(client_for(leader).get(f"{URL}packages/").json()["results"]) == 2
    assert EdxmlPackage.objects.count() == 2


def test_schema_lists_the_edxml_endpoints(client):
    text = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/edxml/", "/api/v1/edxml/export/{document_id}/", "/api/v1/edxml/packages/",
                 "/api/v1/edxml/packages/{id}/download/"):
        assert path in text
