"""Vietnamese queries: marks or not, NFC or NFD, đ or d, any case; exact marks rank first; notations;
phrases; AND by default, OR on request; OCR text. The same suite on every backend."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search import services

from .conftest import nfd


def found(q, user=None, public=True, **filters):
    params = services.read_params({"q": q, "page_size": 100, **filters})
    return services.search(user or AnonymousUser(), params, public=public)


def ids(results):
    return [hit["id"] for hit in results.hits if hit["kind"] == "document"]


@pytest.mark.parametrize("query", ["quyet dinh", "duong giao thong", "chieng den"])
def test_folded_words_find_marked_text(corpus, query):
    assert corpus.marked.pk in ids(found(query))


@pytest.mark.parametrize("variant", ["Chiềng Đen", "chiềng đen", "CHIỀNG ĐEN", "chieng den", "CHIENG DEN",
                                     "Chieng Den", nfd("Chiềng Đen"), nfd("CHIỀNG đen")])
def test_every_spelling_finds_the_same_records(corpus, variant):
    assert set(ids(found(variant))) == set(ids(found("chieng den")))
    assert corpus.marked.pk in ids(found(variant))


def test_nfd_query_finds_nfc_text(corpus):
    query = nfd("Đường giao thông")
    assert query != "Đường giao thông"
    assert corpus.marked.pk in ids(found(query))


def test_d_and_đ_are_one_letter(corpus):
    assert set(ids(found("đường"))) == set(ids(found("duong"))) >= {corpus.marked.pk, corpus.unmarked.pk}


@pytest.mark.parametrize("query", ["Quyết định phê duyệt dự án", "quyết định phê duyệt", "Chiềng Đen"])
def test_exact_marks_rank_above_folded_matches(corpus, query):
    order = ids(found(query))
    assert order.index(corpus.marked.pk) < order.index(corpus.unmarked.pk)


def test_query_without_marks_finds_both_spellings(corpus):
    assert {corpus.marked.pk, corpus.unmarked.pk} <= set(ids(found("quyet dinh phe duyet du an")))


@pytest.mark.parametrize("notation", ["125/QĐ-UBND", "125/QD-UBND", "125/qđ-ubnd", "125/qd-ubnd",
                                      nfd("125/QĐ-UBND"), " 125/QĐ-UBND "])
def test_notation_puts_that_document_first(corpus, notation):
    order = ids(found(notation))
    assert order[0] == corpus.marked.pk
    assert corpus.citing.pk in order  # the text citing it is found too, below


def test_notation_with_date_sort_keeps_the_sort(corpus):
    order = ids(found("125/QĐ-UBND", sort="-date"))
    assert order.index(corpus.citing.pk) < order.index(corpus.marked.pk)  # 2025 before 2024


def test_quoted_phrase_matches_as_phrase(corpus):
    assert corpus.scattered.pk in ids(found("giao thông"))  # both words, apart: found without quotes
    phrase = ids(found('"giao thông"'))
    assert corpus.scattered.pk not in phrase
    assert corpus.marked.pk in phrase


def test_unbalanced_quote_is_read_as_words(corpus):
    assert corpus.marked.pk in ids(found('"chieng den'))


def test_words_are_anded(corpus):
    both = ids(found("chieng den rung"))
    assert both == []
    assert ids(found("rung phong ho")) == [corpus.ocr.pk]


def test_explicit_or(corpus):
    either = set(ids(found("rung phong ho OR thong tin giao nhan")))
    assert either == {corpus.ocr.pk, corpus.scattered.pk}
    assert set(ids(found("rừng phòng hộ HOẶC thông tin giao nhận"))) == either


def test_relevance_orders_by_score(corpus):
    results = found("chieng den")
    scores = [hit["score"] for hit in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_ocr_text_is_searchable(corpus):
    assert ids(found("hien trang rung phong ho dau nguon")) == [corpus.ocr.pk]
    assert ids(found("Nà Sài")) == [corpus.ocr.pk]


def test_every_metadata_field_is_searchable(corpus):
    assert corpus.marked.pk in ids(found("Nguyen Van An"))  # signer
    assert corpus.marked.pk in ids(found("uy ban nhan dan tinh son la"))  # issuing organ
    assert corpus.marked.pk in ids(found("01/03/2024"))  # issued date
    assert corpus.marked.pk in ids(found("QĐ 125 đường"))  # file name
    assert corpus.marked.pk in ids(found("01.TCCB"))  # its case file's code


def test_snippet_and_title_mark_the_original_words(corpus):
    hit = next(h for h in found("chieng den").hits if h["id"] == corpus.marked.pk and h["kind"] == "document")
    assert "<mark>Chiềng</mark> <mark>Đen</mark>" in hit["title_html"]
    assert "<mark>Chiềng</mark>" in hit["snippet"]


def test_snippet_escapes_html(agency_a, index_now):
    from .conftest import add_case_file, add_document

    with index_now():
        document = add_document(agency_a, "Văn bản <b>đậm</b>", text="<script>alert(1)</script> kịch bản xyzzy")
        add_case_file(agency_a, "05.X", "Hồ sơ", [document])
    hit = found("xyzzy").hits[0]
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;" in hit["snippet"]
    assert "<b>" not in hit["title_html"]


def test_case_files_are_searchable(corpus):
    results = found("ho so du an duong giao thong", kind="casefile")
    assert results.hits[0]["id"] == corpus.public_file.pk
    assert [h["id"] for h in found("01.TCCB", kind="casefile").hits][:1] == [corpus.public_file.pk]
    assert {h["kind"] for h in results.hits} == {"casefile"}


def test_empty_query_lists_by_date(corpus):
    results = found("", kind="document")
    dates = [h["date"] for h in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert results.total == len(corpus.public_ids)
