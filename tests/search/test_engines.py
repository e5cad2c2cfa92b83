"""Broad searches: above settings.SEARCH_EXACT_LIMIT hits the embedded engine counts "at least",
ranks and facets the newest hits, and still sorts by date or number over every hit; pages stay
consistent, and nothing restricted leaks through the approximation."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client, override_settings

from search import services
from search.engines import Fts5Engine, get_engine

from .conftest import add_document
from .test_access import BROAD, SECRET_WORDS, everything_shown, restricted_ids

LIMIT = 5


def embedded(test):
    """Only the embedded engine (SQLite FTS5) stops counting at the limit: skipped on PostgreSQL,
    and left out of the OpenSearch stage (-m "not embedded_engine"), which runs every test it selects."""
    skip = pytest.mark.skipif(not isinstance(get_engine(), Fts5Engine),
                              reason="only the embedded engine (SQLite FTS5) stops counting at the limit")
    return pytest.mark.embedded_engine(skip(test))


def run(user, q, **params):
    return services.search(user, services.read_params({"q": q, **params}))


@pytest.fixture
def survey(agency_a, index_now):
    """Ten documents holding "khảo sát", created oldest first; their dates and numbers follow
    another order. Two have it in the title (an old one and a new one); one is typed without marks."""
    documents = []
    with index_now():
        for i in range(10):
            subject = "Báo cáo khảo sát địa bàn" if i in (2, 8) else f"Thông báo lịch công tác tuần {i}"
            text = "Ket qua khao sat thuc dia." if i == 7 else "Kết quả khảo sát thực địa."
            issued = None if i == 1 else datetime.date(2015 + i * 3 % 10, 1 + i, 1 + i)
            documents.append(add_document(agency_a, subject, number=str(i * 7 % 10 + 1), notation="TB-UBND",
                                          type_name="Thông báo" if i % 2 else "Báo cáo", text=text,
                                          issued=issued))
    return documents


def ids(results):
    return [hit["id"] for hit in results.hits]


@embedded
@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
def test_above_the_limit_the_count_is_a_lower_bound_and_facets_count_the_newest(survey, clerk_a):
    results = run(clerk_a, "khảo sát")
    newest = survey[-LIMIT:]
    assert results.total == LIMIT and results.relation == "gte" and not results.exact
    assert results.as_dict()["count"] == LIMIT and results.as_dict()["count_relation"] == "gte"
    assert set(ids(results)) == {d.pk for d in newest}
    types = {v["value"]: v["count"] for v in results.facets["doc_type"]}
    assert types == {"Thông báo": 3, "Báo cáo": 2}  # of the 5 newest; all ten are 5 and 5


@embedded
@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
def test_ranking_covers_the_newest_hits_title_and_marks_first(survey, clerk_a):
    order = ids(run(clerk_a, "khảo sát"))
    assert order[0] == survey[8].pk  # the word in the title
    assert order[-1] == survey[7].pk  # without marks: no exact bonus
    assert survey[2].pk not in order  # a title match among the older hits: not ranked
    titles = ids(run(clerk_a, '"khảo sát địa bàn"'))
    assert titles == [survey[8].pk, survey[2].pk]  # equal scores: newest first
    scores = [hit["score"] for hit in run(clerk_a, "khảo sát").hits]
    assert scores == sorted(scores, reverse=True)


@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
def test_at_most_the_limit_everything_is_exact(survey, clerk_a):
    results = run(clerk_a, "khảo sát", year=2017)
    assert results.relation == "eq" and results.total == len(results.hits) <= LIMIT
    results = run(clerk_a, "\"khảo sát địa bàn\"")
    assert results.relation == "eq" and set(ids(results)) == {survey[2].pk, survey[8].pk}


@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
@pytest.mark.parametrize("sort", ["-date", "date", "-number", "number"])
def test_sorting_reads_every_hit_not_only_the_newest(survey, clerk_a, sort):
    key = sort.lstrip("-")
    value = {"date": lambda d: d.issued_date, "number": lambda d: int(d.code_number)}[key]
    valued = [d for d in survey if value(d) is not None]  # where undated records go differs by engine
    expected = [d.pk for d in sorted(valued, key=value, reverse=sort.startswith("-"))]
    pages = [run(clerk_a, "khảo sát", sort=sort, page=page, page_size=2) for page in (1, 2, 3, 4, 5)]
    found = [pk for page in pages for pk in ids(page)]
    assert len(found) == len(set(found)) == 10
    assert [pk for pk in found if pk in expected] == expected


@embedded
@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
def test_undated_records_sort_as_sqlite_orders_null(survey, clerk_a):
    assert ids(run(clerk_a, "khảo sát", sort="date"))[0] == survey[1].pk
    assert ids(run(clerk_a, "khảo sát", sort="-date"))[-1] == survey[1].pk


@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
@pytest.mark.parametrize("sort", ["relevance", "-date"])
def test_every_page_the_count_promises_has_hits(survey, clerk_a, sort):
    first = run(clerk_a, "khảo sát", sort=sort, page_size=2)
    pages = [run(clerk_a, "khảo sát", sort=sort, page_size=2, page=n) for n in range(1, first.pages + 1)]
    assert first.pages == -(-first.total // 2)
    assert all(page.hits for page in pages)
    shown = [pk for page in pages for pk in ids(page)]
    assert len(shown) == len(set(shown)) >= first.total


@embedded
@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
def test_a_listing_without_words_counts_up_to_the_limit_too(survey, clerk_a):
    results = run(clerk_a, "", kind="document")
    assert results.total == LIMIT and results.relation == "gte"
    dates = [hit["date"] for hit in results.hits if hit["date"]]
    assert dates == sorted(dates, reverse=True) and len(results.hits) == 10  # the page still sorts them all


@override_settings(SEARCH_EXACT_LIMIT=1)
@pytest.mark.parametrize("sort", ["relevance", "-date", "number"])
@pytest.mark.parametrize("q", [*BROAD, *SECRET_WORDS])
def test_the_newest_hits_are_those_the_caller_may_see(corpus, clerk_b, q, sort):
    for user, public in [(AnonymousUser(), True), (clerk_b, False)]:
        results = services.search(user, services.read_params({"q": q, "sort": sort}), public=public)
        shown = {hit["id"] for hit in results.hits if hit["kind"] == "document"}
        allowed = corpus.public_ids if public else {corpus.other_agency.pk}
        assert shown <= allowed and not shown & restricted_ids(corpus)
        assert results.exact or results.total == 1
        assert {v["value"] for v in results.facets.get("rights", [])} <= {"01"}
        text = str(everything_shown(results))
        for word in ["xuyenmat", "chokiemduyet", "khongcohoso", "tuyệt mật", "QĐ-MAT", "bí mật"]:
            assert word not in text



@embedded
@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
def test_staff_page_says_more_than_and_marks_facet_counts_approximate(survey, clerk_a):
    client = Client()
    client.force_login(clerk_a)
    html = client.get("/admin/records-search/", {"q": "khảo sát"}).content.decode()
    assert "Hơn <strong>5</strong> kết quả" in html
    assert "data-facets-approximate" in html and "(≈3)" in html
    exact = client.get("/admin/records-search/", {"q": '"khảo sát địa bàn"'}).content.decode()
    assert "<strong>2</strong> kết quả" in exact and "Hơn" not in exact and "≈" not in exact


@pytest.mark.parametrize("q", ["khảo sát", ""])
@pytest.mark.parametrize("date_from, date_to", [("2016-08-09", "2019-09-09"), ("2000-01-01", "2030-12-31")])
def test_date_ranges_stay_exact_where_months_narrow_them(survey, clerk_a, q, date_from, date_to):
    """A range's months narrow the embedded engine's MATCH (up to tags.MAX_MONTHS of them); the
    days at its ends are the queryset's."""
    low, high = datetime.date.fromisoformat(date_from), datetime.date.fromisoformat(date_to)
    expected = {d.pk for d in survey if d.issued_date and low <= d.issued_date <= high}
    results = run(clerk_a, q, date_from=date_from, date_to=date_to, kind="document", page_size=100)
    assert set(ids(results)) == expected and results.total == len(expected)


@override_settings(SEARCH_EXACT_LIMIT=2)
@pytest.mark.parametrize("sort", ["-date", "date"])
def test_a_sort_within_a_date_range_starts_and_stops_at_its_ends(survey, clerk_a, sort):
    low, high = datetime.date(2017, 1, 1), datetime.date(2022, 12, 31)
    in_range = [d for d in survey if d.issued_date and low <= d.issued_date <= high]
    expected = [d.pk for d in sorted(in_range, key=lambda d: d.issued_date, reverse=sort == "-date")]
    results = run(clerk_a, "khảo sát", sort=sort, date_from="2017-01-01", date_to="2022-12-31")
    assert ids(results) == expected


@embedded
@override_settings(SEARCH_EXACT_LIMIT=LIMIT)
def test_query_command_says_more_than(survey):
    call_command("search", "khảo sát", stdout=(out := io.StringIO()))
    assert out.getvalue().startswith("Hơn 5 kết quả")
    call_command("search", "khảo sát", "--json", stdout=(out := io.StringIO()))
    assert json.loads(out.getvalue())["count_relation"] == "gte"
