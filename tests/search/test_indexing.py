"""Indexing on commit, through the task queue, in batches; idempotent refresh; reindex and check."""

import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from casefiles.models import AccessRegime, Document
from search import indexing, maintenance, services, tasks
from search.engines import get_engine
from search.models import SearchEntry

from .conftest import ELASTIC, add_case_file, add_document


def hits(q, user=None, public=True):
    params = services.read_params({"q": q, "page_size": 100, "kind": "document"})
    return [h["id"] for h in services.search(user or AnonymousUser(), params, public=public).hits]


@pytest.fixture
def queued(monkeypatch):
    """The batches handed to the task queue (the task still runs, for real)."""
    batches = []
    original = tasks.index_records.delay

    def delay(refs):
        batches.append(refs)
        return original(refs)

    monkeypatch.setattr(tasks.index_records, "delay", delay)
    return batches


def test_many_changes_in_one_transaction_make_one_job(agency_a, index_now, queued):
    with index_now():
        with transaction.atomic():
            documents = [add_document(agency_a, f"Công văn số {n} về rừng", number=str(n)) for n in range(30)]
            for document in documents:
                document.subject += " đã sửa"
                document.save()
    assert len(queued) == 1
    assert {tuple(ref) for ref in queued[0]} >= {("document", d.pk) for d in documents}
    assert SearchEntry.objects.filter(kind="document").count() == 30


def test_nothing_is_queued_for_a_rollback(agency_a, index_now, queued):
    with index_now():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    add_document(agency_a, "Văn bản bị hủy giữa chừng")
                    raise RuntimeError
            except RuntimeError:
                pass
            kept = add_document(agency_a, "Văn bản được giữ lại")
    assert len(queued) == 1
    assert SearchEntry.objects.filter(kind="document").count() == 1
    assert SearchEntry.objects.get().object_id == kept.pk


def test_a_case_file_change_is_one_job_for_all_its_documents(agency_a, index_now, queued):
    with index_now():
        documents = [add_document(agency_a, f"Tờ trình {n} về thủy lợi thuyloi", number=str(n)) for n in range(12)]
        case_file = add_case_file(agency_a, "07.TL", "Hồ sơ thủy lợi", documents, accepted=False)
    assert hits("thuyloi") == []
    queued.clear()
    with index_now():
        case_file.accepted_at = timezone.now()
        case_file.save()
    assert len(queued) == 1
    assert len(hits("thuyloi")) == 12


def test_edits_and_deletions_reach_the_index(agency_a, index_now):
    with index_now():
        document = add_document(agency_a, "Kế hoạch trồng cây keo", text="Trồng rừng sản xuất.")
        add_case_file(agency_a, "08.NN", "Hồ sơ nông nghiệp", [document])
    assert hits("cay keo") == [document.pk]
    with index_now():
        document.subject = "Kế hoạch trồng cây mắc ca"
        document.save()
    assert hits("cay keo") == [] and hits("mac ca") == [document.pk]
    with index_now():
        file = document.files.get()
        file.text = "Văn bản được nhận dạng OCR: trồng sơn tra"
        file.text_source = "ocr"
        file.save()
    assert hits("son tra") == [document.pk]


def test_regime_change_withdraws_records_from_the_public(corpus, index_now):
    assert corpus.marked.pk in hits("chieng den")
    with index_now():
        regime = AccessRegime.objects.get(code="01")
        regime.public = False
        regime.save()
    assert hits("chieng den") == []


def test_recalled_documents_leave_public_search(corpus, index_now):
    with index_now():
        corpus.marked.recalled_at = timezone.now()
        corpus.marked.save()
    assert corpus.marked.pk not in hits("chieng den")


def test_refresh_is_idempotent_and_drops_deleted_records(corpus, index_now):
    refs = [("document", corpus.ocr.pk), ("casefile", corpus.archive_file.pk)]
    assert indexing.refresh(refs) == indexing.refresh(refs)
    gone = corpus.unfiled.pk
    with index_now():
        corpus.unfiled.delete()
    assert not SearchEntry.objects.filter(kind="document", object_id=gone).exists()
    assert indexing.refresh([("document", gone)]) == {"indexed": 0, "deleted": 0}


def test_check_finds_and_repairs_drift(corpus):
    engine = get_engine()
    lost = SearchEntry.objects.get(kind="document", object_id=corpus.ocr.pk)
    engine.delete_ids([lost.pk])  # the index lost one
    stray = SearchEntry.objects.create(kind="document", object_id=999999, agency_id=corpus.ocr.agency_id,
                                       heading="Bản ghi đã xóa")  # an entry outliving its record
    engine.refresh()
    out = io.StringIO()
    drifts, orphans = maintenance.check(repair=False)
    documents = next(d for d in drifts if d.kind == "document")
    assert documents.missing == [corpus.ocr.pk] and documents.extra == [999999]
    call_command("search", "check", stdout=out)
    assert "Đã sửa." in out.getvalue()
    drifts, orphans = maintenance.check(repair=False)
    assert all(d.clean for d in drifts) and not orphans
    assert not SearchEntry.objects.filter(pk=stray.pk).exists()
    assert hits("rung phong ho") == [corpus.ocr.pk]


@pytest.fixture
def planted(agency_a, index_now):
    """A public document and its case file, indexed."""
    with index_now():
        document = add_document(agency_a, "Kế hoạch trồng cây keo", text="Trồng rừng sản xuất.")
        case_file = add_case_file(agency_a, "08.NN", "Hồ sơ nông nghiệp", [document])
    assert hits("cay keo") == [document.pk]
    return document, case_file


def stale(drifts):
    return {drift.kind: drift.stale for drift in drifts}


def test_check_content_finds_and_repairs_entries_older_than_the_records(planted):
    document, case_file = planted
    # Committed without its indexing (a crash before the commit-time job): update() sends no signal.
    Document.objects.filter(pk=document.pk).update(subject="Kế hoạch trồng cây mắc ca")
    drifts, orphans = maintenance.check(repair=False)
    assert all(d.clean for d in drifts) and not orphans  # the ids agree
    drifts, orphans = maintenance.check(repair=False, content=True)
    # The case file's text names its documents' subjects.
    assert stale(drifts) == {"document": [document.pk], "casefile": [case_file.pk]}
    assert hits("cay keo") == [document.pk] and hits("mac ca") == []
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "check", "--content", stdout=out, stderr=err)
    assert "document: 1 bản ghi, 1 mục chỉ mục, thiếu 0, thừa 0, nội dung cũ 1" in out.getvalue()
    assert "Đã sửa." in out.getvalue()
    get_engine().refresh()
    assert hits("cay keo") == [] and hits("mac ca") == [document.pk]
    drifts, orphans = maintenance.check(repair=False, content=True)
    assert all(d.clean for d in drifts) and not orphans


def test_check_content_counts_entries_without_a_fingerprint_as_stale(planted):
    document, case_file = planted
    SearchEntry.objects.filter(kind="casefile").update(fingerprint="")  # rows from before fingerprints
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("search", "check", "--content", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "casefile: 1 bản ghi, 1 mục chỉ mục, thiếu 0, thừa 0, nội dung cũ 1" in out.getvalue()
    drifts, orphans = maintenance.check(content=True)
    assert stale(drifts) == {"document": [], "casefile": [case_file.pk]}
    drifts, orphans = maintenance.check(repair=False, content=True)
    assert all(d.clean for d in drifts) and not orphans


@pytest.mark.skipif(not ELASTIC, reason="the database engines write an entry's row and its index in one "
                                        "transaction: the index cannot lag behind the row")
def test_check_content_finds_index_documents_older_than_their_rows(planted):
    document, case_file = planted
    # The rows were rewritten, the write to the index failed.
    Document.objects.filter(pk=document.pk).update(subject="Kế hoạch trồng cây mắc ca")
    load = indexing.LOADERS["document"][0]
    indexing.build_entries("document", load([document.pk]))
    assert SearchEntry.objects.get(kind="document").heading == "Kế hoạch trồng cây mắc ca"
    drifts, orphans = maintenance.check(repair=False, content=True)
    assert stale(drifts) == {"document": [document.pk], "casefile": [case_file.pk]}
    maintenance.check(content=True)
    get_engine().refresh()
    assert hits("cay keo") == [] and hits("mac ca") == [document.pk]
    drifts, orphans = maintenance.check(repair=False, content=True)
    assert all(d.clean for d in drifts) and not orphans


@pytest.mark.skipif(not ELASTIC, reason="only an Elasticsearch/OpenSearch index has a mapping of its own")
def test_an_index_made_before_fingerprints_gets_their_mapping_on_the_first_write(planted):
    engine = get_engine()
    index = engine.index()
    mapping = engine.backend.mapping_class(SearchEntry).get_mapping()
    del mapping["properties"]["fingerprint_filter"]
    index.delete()
    index.put()
    engine.backend.es.indices.put_mapping(index=index.name, body=mapping)
    engine._index_ready = False  # a process started after the upgrade
    for kind, ids in indexing.expand([("casefile_tree", planted[1].pk)]).items():
        indexing.refresh_batch(kind, sorted(ids), engine)
    engine.refresh()
    assert engine.backend.es.indices.get_mapping(index=index.name)[index.name]["mappings"]["properties"][
        "fingerprint_filter"]["type"] == "keyword"
    drifts, orphans = maintenance.check(repair=False, content=True)
    assert all(d.clean for d in drifts) and not orphans


def test_reindex_command_rebuilds_everything(corpus):
    SearchEntry.objects.filter(kind="casefile").delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "reindex", stdout=out, stderr=err)
    assert "casefile: 6 bản ghi, 6 mục chỉ mục" in out.getvalue()
    drifts, orphans = maintenance.check(repair=False)
    assert all(d.clean for d in drifts) and not orphans
    assert corpus.marked.pk in hits("chieng den")


def test_query_command_prints_json_hits(corpus):
    out = io.StringIO()
    call_command("search", "125/QD-UBND", "--json", "--agency", "ubnd", stdout=out)
    data = json.loads(out.getvalue())
    first = data["results"][0]
    assert first["document_id"] == corpus.marked.pk
    assert first["number_notation"] == "125/QĐ-UBND"
    assert first["files"] == ["QĐ 125 đường Chiềng Đen.pdf"]
    assert first["subject"].startswith("Quyết định phê duyệt") and first["score"] > 0
    call_command("search", "chieng", "den", "--year", "2023", stdout=(out := io.StringIO()))
    assert "kết quả" in out.getvalue()


def test_query_command_searches_the_word_check_with_query_option(corpus):
    out = io.StringIO()
    call_command("search", "--query", "check", stdout=out)
    assert out.getvalue().startswith("0 kết quả")

