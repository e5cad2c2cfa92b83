"""The search API, the public endpoint, suggestions, exports, saved searches and the staff page."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from search.models import SavedQuery
from tests.conftest import client_for


def test_staff_search_api(corpus, clerk_a):
    response = client_for(clerk_a).get("/api/v1/search/", {"q": "chieng den", "year": 2024, "page_size": 5})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "count_relation", "page", "page_size", "pages", "engine", "results", "facets"}
    assert data["count_relation"] == "eq"
    assert data["count"] >= 1 and len(data["results"]) <= 5
    assert all(hit["year"] == 2024 for hit in data["results"])
    assert {"kind", "year", "doc_type"} <= set(data["facets"])
    assert corpus.other_agency.pk not in {h["id"] for h in data["results"] if h["kind"] == "document"}


def test_facets_can_be_left_out(corpus, clerk_a):
    data = client_for(clerk_a).get("/api/v1/search/", {"q": "chieng den", "facets": "0"}).json()
    assert data["facets"] == {}


def test_search_api_needs_a_login(corpus, api_client):
    response = api_client.get("/api/v1/search/", {"q": "chieng den"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_public_search_api_is_open_and_public_only(corpus, api_client):
    data = api_client.get("/api/v1/public/search/", {"q": "chieng den"}).json()
    documents = {h["id"] for h in data["results"] if h["kind"] == "document"}
    assert documents and documents <= corpus.public_ids
    assert all("url" not in h for h in data["results"])
    assert api_client.get("/api/v1/public/search/", {"q": "xuyenmat"}).json()["count"] == 0
    suggestions = api_client.get("/api/v1/public/search/suggest/", {"q": "phuong an tuyet"}).json()["results"]
    assert suggestions == []


def test_bad_parameters_answer_400_in_the_error_shape(corpus, clerk_a):
    client = client_for(clerk_a)
    for params in ({"year": "abc"}, {"sort": "size"}, {"page": 0}, {"page": 200, "page_size": 100},
                   {"date_from": "2024-05-01", "date_to": "2024-01-01"}):
        response = client.get("/api/v1/search/", params)
        assert response.status_code == 400, params
        body = response.json()
        assert body["code"] == "invalid" and body["message"]


def test_filters_dates_sort_and_pages(corpus, clerk_a):
    client = client_for(clerk_a)
    data = client.get("/api/v1/search/", {"q": "", "kind": "document", "date_from": "2024-01-01",
                                          "date_to": "2024-12-31", "sort": "date"}).json()
    dates = [h["date"] for h in data["results"]]
    assert dates == sorted(dates) and all("2024" in d for d in dates)
    received = client.get("/api/v1/search/", {"register": "internal"}).json()
    assert [h["id"] for h in received["results"]] == [corpus.scattered.pk]
    secret = client.get("/api/v1/search/", {"rights": "03", "kind": "document"}).json()
    assert [h["id"] for h in secret["results"]] == [corpus.secret.pk]
    closed = client.get("/api/v1/search/", {"status": "closed", "kind": "casefile"}).json()
    assert {h["id"] for h in closed["results"]} == {corpus.secret_file.pk, corpus.archive_file.pk}
    typed = client.get("/api/v1/search/", {"doc_type": "Báo cáo"}).json()
    assert [h["id"] for h in typed["results"]] == [corpus.citing.pk]
    kept = client.get("/api/v1/search/", {"retention": "permanent", "kind": "document"}).json()
    assert corpus.marked.pk in {h["id"] for h in kept["results"]}
    by_number = client.get("/api/v1/search/", {"q": "quyet dinh", "kind": "document", "sort": "-number"}).json()
    numbers = [int(h["number_notation"].split("/")[0]) for h in by_number["results"]]
    assert numbers == sorted(numbers, reverse=True)
    first = client.get("/api/v1/search/", {"kind": "document", "page_size": 2, "page": 1}).json()
    second = client.get("/api/v1/search/", {"kind": "document", "page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] and first["pages"] == -(-first["count"] // 2)
    assert not {h["id"] for h in first["results"]} & {h["id"] for h in second["results"]}


def test_unit_filter(corpus, clerk_a, index_now):
    from .conftest import add_document

    unit = clerk_a.unit
    with index_now():
        document = add_document(clerk_a.agency, "Công văn của Văn phòng vanphongrieng", unit=unit)
    data = client_for(clerk_a).get("/api/v1/search/", {"q": "vanphongrieng", "unit": unit.pk}).json()
    assert [h["id"] for h in data["results"]] == [document.pk]
    assert data["results"][0]["unit"] == unit.name


def test_export_xlsx_and_pdf(corpus, clerk_a):
    client = client_for(clerk_a)
    response = client.get("/api/v1/search/export/", {"q": "chieng den", "output": "xlsx",
                                                     "columns": "number_notation,title,date"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["STT", "Số, ký hiệu", "Trích yếu / Tiêu đề", "Ngày"]
    titles = [row[2].value for row in sheet.iter_rows(min_row=3)]
    assert "Phương án tuyệt mật về quyết định nhân sự cấp cao" in titles  # staff export: their agency's
    assert not [t for t in titles if "Sở Nội vụ" in (t or "")]
    pdf = client.get("/api/v1/search/export/", {"q": "chieng den", "output": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = client.get("/api/v1/search/export/", {"q": "x", "columns": "password"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_columns"


def test_saved_searches_belong_to_their_owner(corpus, clerk_a, admin_a):
    client = client_for(clerk_a)
    created = client.post("/api/v1/search/saved/", {"name": "Đường Chiềng Đen", "query": "chieng den",
                                                    "filters": {"year": 2024}, "columns": ["title", "date"]},
                          format="json")
    assert created.status_code == 201, created.json()
    assert client.post("/api/v1/search/saved/", {"name": "Đường Chiềng Đen"}, format="json").status_code == 400
    assert client.post("/api/v1/search/saved/", {"name": "x", "filters": {"year": "abc"}},
                       format="json").status_code == 400
    assert [s["name"] for s in client.get("/api/v1/search/saved/").json()["results"]] == ["Đường Chiềng Đen"]
    other = client_for(admin_a)
    assert other.get("/api/v1/search/saved/").json()["results"] == []
    assert other.delete(f"/api/v1/search/saved/{created.json()['id']}/").status_code == 404
    assert client.delete(f"/api/v1/search/saved/{created.json()['id']}/").status_code == 204


@pytest.fixture
def admin_client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_staff_page_searches_with_facets_columns_and_saves(corpus, clerk_a, admin_client_for):
    client = admin_client_for(clerk_a)
    page = client.get("/admin/records-search/", {"q": "chieng den", "columns": ["title", "number_notation"]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<mark>Chiềng</mark>" in html and "125/QĐ-UBND" in html
    assert "Năm" in html and "Loại văn bản" in html
    assert "Sở Nội vụ về đường" not in html  # another agency's record
    saved = client.post("/admin/records-search/?q=chieng+den&year=2024", {"name": "Chiềng Đen 2024"})
    assert saved.status_code == 302
    assert SavedQuery.objects.get(user=clerk_a).filters == {"year": "2024"}
    export = client.get("/admin/records-search/", {"q": "chieng den", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_page_needs_admin_access(corpus, admin_client_for):
    anonymous = Client().get("/admin/records-search/", {"q": "chieng den"})
    assert anonymous.status_code == 302
