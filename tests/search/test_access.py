"""Nothing restricted reaches the anonymous public or another agency: not through hits, snippets,
facets, counts, sorting, notation pins or suggestions."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.errors import HosoError
from accounts.models import User
from search import services

# Words that only restricted records (or agency B's) hold, and queries that would match them too.
SECRET_WORDS = ["xuyenmat", "tuyet mat", "chokiemduyet", "khongcohoso", "nhan su cap cao"]
BROAD = ["", "chieng den", "quyet dinh", "quyết định", "Chiềng Đen", "duong giao thong"]


def run(user, q="", public=False, **filters):
    return services.search(user, services.read_params({"q": q, "page_size": 100, **filters}), public=public)


def everything_shown(results):
    """Every id, text and count a response carries."""
    return results.as_dict()


def restricted_ids(corpus):
    return {d.pk for d in corpus.restricted}


@pytest.mark.parametrize("public_flag", [True, False])
@pytest.mark.parametrize("q", SECRET_WORDS)
def test_anonymous_never_finds_restricted_words(corpus, q, public_flag):
    results = run(AnonymousUser(), q, public=public_flag)
    assert results.total == 0 and results.hits == []
    assert all(not values for values in results.facets.values())


@pytest.mark.parametrize("sort", ["relevance", "date", "-date", "number", "-number"])
@pytest.mark.parametrize("q", BROAD)
def test_public_hits_counts_and_facets_cover_only_public_records(corpus, q, sort):
    results = run(AnonymousUser(), q, public=True, sort=sort)
    shown = {(h["kind"], h["id"]) for h in results.hits}
    documents = {pk for kind, pk in shown if kind == "document"}
    assert documents <= corpus.public_ids
    assert not documents & restricted_ids(corpus)
    assert results.total == len(results.hits)
    for name in ("kind", "year"):  # every record has these: their counts add up to the total
        assert sum(v["count"] for v in results.facets[name]) == results.total
    for values in results.facets.values():
        assert all(v["count"] <= results.total for v in values)
    rights = {v["value"] for v in results.facets.get("rights", [])}
    assert rights <= {"01"}
    text = str(everything_shown(results))
    for word in ["xuyenmat", "chokiemduyet", "khongcohoso", "tuyệt mật", "QĐ-MAT", "bí mật"]:
        assert word not in text


def test_public_facet_counts_match_public_records_only(corpus):
    results = run(AnonymousUser(), "", public=True, kind="document")
    years = {v["value"]: v["count"] for v in results.facets["year"]}
    assert sum(years.values()) == len(corpus.public_ids)
    assert 2024 in years and years[2024] == len([d for d in [corpus.marked, corpus.ocr, corpus.other_agency]])


def test_notation_of_a_restricted_record_pins_nothing_for_the_public(corpus):
    results = run(AnonymousUser(), "9/QĐ-MAT", public=True)
    assert results.total == 0 and results.hits == []
    results = run(AnonymousUser(), "11/QĐ-UBND", public=True)
    assert corpus.pending.pk not in {h["id"] for h in results.hits}


@pytest.mark.parametrize("prefix", ["phuong an tuyet", "quyet dinh chua", "Phương án tuyệt", "hồ sơ tuyệt"])
def test_public_suggestions_never_name_restricted_records(corpus, prefix):
    found = services.suggest(AnonymousUser(), prefix, public=True)
    assert not {f["id"] for f in found if f["kind"] == "document"} & restricted_ids(corpus)
    assert all("tuyệt mật" not in f["title"] and "chưa" not in f["title"] for f in found)


def test_public_suggestions_do_find_public_records(corpus):
    found = services.suggest(AnonymousUser(), "quyet dinh phe du", public=True)
    assert corpus.marked.pk in {f["id"] for f in found if f["kind"] == "document"}


def test_staff_see_their_own_restricted_records(corpus, clerk_a):
    assert [h["id"] for h in run(clerk_a, "xuyenmat").hits] == [corpus.secret.pk]
    assert corpus.pending.pk in {h["id"] for h in run(clerk_a, "chokiemduyet").hits}
    # ...and the staff search of a public record shows its URL, the public one never.
    assert run(clerk_a, "xuyenmat").hits[0]["url"] == f"/api/v1/documents/{corpus.secret.pk}/"
    assert "url" not in run(AnonymousUser(), "chieng den", public=True).hits[0]


@pytest.mark.parametrize("q", ["xuyenmat", "chokiemduyet", "chieng den", "quyet dinh", "", "125/QĐ-UBND"])
def test_another_agency_sees_none_of_agency_a(corpus, clerk_b, q):
    results = run(clerk_b, q)
    assert {h["id"] for h in results.hits} <= {corpus.other_agency.pk, corpus.other_file.pk}
    assert results.total == len(results.hits)
    assert "agency_id" not in results.facets
    assert services.suggest(clerk_b, "phuong an tuyet") == []
    assert not [f for f in services.suggest(clerk_b, "quyet dinh") if f["id"] != corpus.other_agency.pk]


def test_agency_filter_cannot_widen_a_staff_scope(corpus, clerk_b, agency_a):
    results = run(clerk_b, "chieng den", agency=agency_a.abbreviation)
    assert results.total == 0


def test_staff_search_as_public_sees_only_public(corpus, clerk_a):
    results = run(clerk_a, "xuyenmat", public=True)
    assert results.total == 0


def test_people_without_agency_or_role_are_refused(corpus, agency_a):
    stranger = User.objects.create_user("khach", password="x", full_name="Khách")
    with pytest.raises(HosoError) as refused:
        run(stranger, "chieng den")
    assert refused.value.code == "permission_denied"
    no_role = User.objects.create_user("norole", password="x", full_name="Không vai trò", agency=agency_a)
    with pytest.raises(HosoError):
        run(no_role, "chieng den")


def test_operator_sees_every_agency(corpus):
    operator = User(is_superuser=True, is_active=True)
    results = run(operator, "chieng den")
    agencies = {v["value"] for v in results.facets["agency_id"]}
    assert agencies == {corpus.marked.agency_id, corpus.other_agency.agency_id}


def test_narrowing_by_filter_values_never_widens(agency_a, clerk_a, index_now):
    """Values that fold alike share a tag of the embedded engine: the exact filter still decides."""
    from .conftest import add_document

    with index_now():
        marked = add_document(agency_a, "Văn bản hailoai", type_name="Quyết định")
        add_document(agency_a, "Văn bản hailoai", type_name="Quyet dinh")
    assert [h["id"] for h in run(clerk_a, "hailoai", doc_type="Quyết định").hits] == [marked.pk]
