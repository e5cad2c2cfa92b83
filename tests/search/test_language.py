"""The staff search page and its exports speak the person's language: Vietnamese unless they chose
English (their admin preference, or the language cookie for the API), with dates dd/mm/yyyy and
Vietnamese records as they are in either language."""

import io
import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from search.models import SavedQuery
from search.views import grouped
from tests.conftest import client_for

from .conftest import add_document
from .test_engines import LIMIT, embedded

PAGE = "/admin/records-search/"
# The page's own words in each language (never words a record could hold).
VIETNAMESE = ["Truy vấn đã lưu", "Cột hiển thị", "Tên truy vấn", "Lưu truy vấn", "Loại bản ghi", "Loại văn bản",
              "Trích yếu / Tiêu đề", "Thời hạn bảo quản", "Điểm phù hợp", "Tra cứu hồ sơ, văn bản", "kết quả",
              "Sắp xếp", "Liên quan nhất"]
ENGLISH = ["Saved queries", "Columns shown", "Query name", "Save the query", "Record kind", "Document type",
           "Subject / Title", "Retention period", "Relevance score", "Search case files and documents",
           "Most relevant"]


def staff_client(user, language=None):
    if language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    client = Client()
    client.force_login(user)
    return client


def page(client, **params):
    response = client.get(PAGE, {"q": "chieng den", **params})
    assert response.status_code == 200
    return response.content.decode()


# What each language shows beyond its own words: lang, the count, the pages, a saved query's delete
# button, a facet title and the kind facet's value.
SHOWN = {
    None: ['<html lang="vi"', r"<strong>\d+</strong> kết quả", r"/ \d+ trang", 'aria-label="Trang"',
           'aria-label="Xóa truy vấn Đường Chiềng Đen"', '<h2 class="w-h3">Năm</h2>', ">Văn bản</a>"],
    "en": ['<html lang="en"', r"<strong>\d+</strong> results", r"/ \d+ pages", 'aria-label="Result pages"',
           'aria-label="Delete the query Đường Chiềng Đen"', '<h2 class="w-h3">Year</h2>', ">Document</a>"],
}


@pytest.mark.parametrize("language, own, other", [(None, VIETNAMESE, ENGLISH), ("en", ENGLISH, VIETNAMESE)])
def test_the_staff_page_is_vietnamese_unless_english_was_chosen(corpus, clerk_a, language, own, other):
    SavedQuery.objects.create(user=clerk_a, name="Đường Chiềng Đen", query="chieng den")  # the name stays as given
    html = page(staff_client(clerk_a, language), page_size=2)
    assert [text for text in own if text not in html] == []
    assert [text for text in other if text in html] == []
    assert [pattern for pattern in SHOWN[language] if not re.search(pattern, html)] == []


@pytest.mark.parametrize("language", [None, "en"])
def test_dates_are_day_month_year_in_both_languages(corpus, clerk_a, language):
    html = page(staff_client(clerk_a, language), year=2023)  # corpus.unmarked: 6 May 2023
    assert "06/05/2023" in html and "2023-05-06" not in html


@pytest.mark.parametrize("language, unnamed, saved", [
    (None, "Hãy đặt tên cho truy vấn cần lưu.", "Đã lưu truy vấn “Chiềng Đen”."),
    ("en", "Name the query to save it.", "Saved the query “Chiềng Đen”."),
])
def test_messages_of_saving_a_query(corpus, clerk_a, language, unnamed, saved):
    client = staff_client(clerk_a, language)
    assert unnamed in client.post(f"{PAGE}?q=chieng+den", {"name": " "}, follow=True).content.decode()
    assert saved in client.post(f"{PAGE}?q=chieng+den", {"name": "Chiềng Đen"}, follow=True).content.decode()


@embedded
@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
@pytest.mark.parametrize("language, more, approximate", [
    (None, "Hơn <strong>5</strong> kết quả", "Số lượng tính trên 5 kết quả mới nhất."),
    ("en", "More than <strong>5</strong> results", "Counts are taken over the newest 5 results."),
])
def test_a_lower_bound_says_more_than(agency_a, clerk_a, index_now, language, more, approximate):
    with index_now():
        for number in range(LIMIT + 3):
            add_document(agency_a, f"Báo cáo điều tra dân số đợt {number}", number=str(number + 1))
    html = page(staff_client(clerk_a, language), q="điều tra dân số")
    assert more in html and approximate in html


def test_totals_are_grouped_as_the_language_writes_them():
    assert grouped(2000) == "2.000"  # Vietnamese, the default
    with translation.override("en"):
        assert grouped(2000) == "2,000" and grouped(999) == "999"
    with translation.override("vi"):
        assert grouped(1234567) == "1.234.567"


def export(client, output, **params):
    response = client.get(PAGE, {"q": "chieng den", "export": output, "columns": ["number_notation", "title", "date"],
                                 **params})
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("language, title, header", [
    (None, "Kết quả tìm kiếm: chieng den", ["STT", "Số, ký hiệu", "Trích yếu / Tiêu đề", "Ngày"]),
    ("en", "Search results: chieng den", ["No.", "Number and notation", "Subject / Title", "Date"]),
])
def test_exports_are_headed_in_the_persons_language(corpus, clerk_a, language, title, header):
    client = staff_client(clerk_a, language)
    sheet = load_workbook(io.BytesIO(export(client, "xlsx"))).active
    assert sheet["A1"].value == title and [c.value for c in sheet[2]] == header
    assert "06/05/2023" in [row[3].value for row in sheet.iter_rows(min_row=3)]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(export(client, "pdf"))).pages)
    # The number column is narrow: its heading may wrap.
    assert title in text and all(label in text for label in header[1:]) and "06/05/2023" in text


def test_the_api_export_follows_the_language_cookie(corpus, clerk_a):
    client = client_for(clerk_a)
    params = {"q": "chieng den", "output": "xlsx", "columns": "title,kind"}
    sheet = load_workbook(io.BytesIO(client.get("/api/v1/search/export/", params).content)).active
    assert [c.value for c in sheet[2]] == ["STT", "Trích yếu / Tiêu đề", "Loại bản ghi"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sheet = load_workbook(io.BytesIO(client.get("/api/v1/search/export/", params).content)).active
    assert [c.value for c in sheet[2]] == ["No.", "Subject / Title", "Record kind"]
