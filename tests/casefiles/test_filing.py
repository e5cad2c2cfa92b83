import datetime

import pytest

from accounts.errors import HosoError
from accounts.models import AuditEntry
from accounts.roles import Role
from casefiles import filing
from casefiles.models import Blob, CaseFile
from casefiles.services import attach_file, delete_document, update_document
from retention.models import RetentionKind
from tests.conftest import make_person

D = datetime.date


def test_file_code_and_document_identifier(open_file, make_document, agency_a):
    assert open_file.file_code == "000.00.01.H53.2026.05.VP"
    entry = filing.add_document(open_file, make_document())
    assert entry.ordinal == 1 and entry.identifier == "000.00.01.H53.2026.05.VP.001"


def test_open_from_plan_item_inherits(plan, agency_a, clerk_a):
    item = plan.items.get(file_notation="02.TCCB")
    case_file = filing.open_case_file(agency=agency_a, plan_item=item, start_date=D(2026, 2, 1), actor=clerk_a)
    assert (case_file.file_notation, case_file.title, case_file.retention_years, case_file.creator_name,
            case_file.year) == ("02.TCCB", item.title, 10, "Lê Văn B", 2026)
    assert case_file.rights.name == "Công khai"


def test_ad_hoc_needs_the_art_29_fields(agency_a):
    with pytest.raises(HosoError) as err:
        filing.open_case_file(agency=agency_a, title="Hồ sơ ngoài danh mục", start_date=D(2026, 1, 1))
    assert set(err.value.detail["missing"]) == {"file_notation", "retention_kind", "creator"}


def test_ordinals_totals_and_one_document_in_two_files(open_file, make_document, agency_a, clerk_a):
    first, second = make_document("Văn bản A", pages=3), make_document("Văn bản B", pages=4)
    assert [filing.add_document(open_file, d).ordinal for d in (first, second)] == [1, 2]
    assert filing.add_document(open_file, first).ordinal == 1  # filing twice changes nothing
    other = filing.open_case_file(agency=agency_a, title="Hồ sơ khác", file_notation="06.VP",
                                  retention_kind=RetentionKind.PERMANENT, creator=clerk_a, start_date=D(2026, 1, 1))
    assert filing.add_document(other, first).ordinal == 1
    open_file.refresh_from_db()
    assert (open_file.doc_total, open_file.page_total) == (2, 7)
    assert Blob.objects.count() == 2  # the shared document's bytes are not copied


def test_remove_before_close_is_logged(open_file, make_document):
    document = make_document()
    filing.add_document(open_file, document)
    with pytest.raises(HosoError):
        filing.remove_document(open_file, document, reason="")
    filing.remove_document(open_file, document, reason="Bản trùng")
    assert not open_file.entries.exists()
    assert AuditEntry.objects.filter(object_type="casefiles.casefile", detail__reason="Bản trùng").exists()


def test_close_checklist_and_chronological_ordinals(open_file, make_document, clerk_a):
    late, early = make_document("Sau", issued=D(2026, 6, 1)), make_document("Trước", issued=D(2026, 2, 1))
    filing.add_document(open_file, late)
    filing.add_document(open_file, early)
    with pytest.raises(HosoError) as err:
        filing.close_case_file(open_file)
    assert set(err.value.detail["failed"]) == {"end_date", "retention"}
    closed = filing.close_case_file(open_file, end_date=D(2026, 12, 20), retention_confirmed=True, actor=clerk_a)
    assert closed.is_closed and closed.doc_total == 2
    assert [e.document.subject for e in closed.entries.order_by("ordinal")] == ["Trước", "Sau"]


def test_empty_file_cannot_close(open_file):
    with pytest.raises(HosoError) as err:
        filing.close_case_file(open_file, end_date=D(2026, 3, 1), retention_confirmed=True)
    assert err.value.detail["failed"] == ["documents"]


@pytest.fixture
def closed_file(open_file, make_document):
    document = make_document()
    filing.add_document(open_file, document)
    filing.close_case_file(open_file, end_date=D(2026, 12, 1), retention_confirmed=True)
    open_file.refresh_from_db()
    return open_file, document


def test_closed_file_and_its_documents_are_immutable(closed_file, make_document, clerk_a):
    case_file, document = closed_file
    for attempt in (
        lambda: filing.add_document(case_file, make_document("Mới")),
        lambda: filing.remove_document(case_file, document, reason="x"),
        lambda: update_document(document, subject="Sửa", actor=clerk_a),
        lambda: delete_document(document, actor=clerk_a),
        lambda: attach_file(document, __import__("io").BytesIO(b"x"), "x.txt"),
        lambda: filing.close_case_file(case_file, end_date=D(2026, 12, 2), retention_confirmed=True),
    ):
        with pytest.raises(HosoError) as err:
            attempt()
        assert err.value.code in {"case_file_closed", "document_frozen"}
    document.refresh_from_db()
    assert document.subject == "Công văn về việc báo cáo"
    assert AuditEntry.objects.filter(action="denied").count() == 6


def test_reopen_needs_role_and_reason(closed_file, clerk_a, agency_a):
    case_file, _document = closed_file
    with pytest.raises(HosoError) as err:
        filing.reopen_case_file(case_file, actor=clerk_a, reason="Bổ sung")
    assert err.value.code == "reopen_not_allowed"
    leader = make_person(agency_a, "Hoàng Văn Lãnh", Role.LEADER)
    with pytest.raises(HosoError):
        filing.reopen_case_file(case_file, actor=leader, reason="")
    filing.reopen_case_file(case_file, actor=leader, reason="Bổ sung văn bản còn thiếu")
    assert CaseFile.objects.get(pk=case_file.pk).status == "open"
    assert AuditEntry.objects.filter(actor_id=leader.pk, detail__reason="Bổ sung văn bản còn thiếu").exists()


def test_transfer_due_dates(open_file, settings):
    open_file.end_date = D(2026, 2, 28)
    assert filing.transfer_due_date(open_file) == D(2027, 2, 28)
    open_file.end_date = D(2028, 2, 29)
    assert filing.transfer_due_date(open_file) == D(2029, 2, 28)
    open_file.construction, open_file.settlement_date = True, D(2026, 11, 30)
    assert filing.transfer_due_date(open_file) == D(2027, 2, 28)
    settings.HOSO_TRANSFER_XDCB_MONTHS = 6
    assert filing.transfer_due_date(open_file) == D(2027, 5, 30)
    open_file.settlement_date = None
    assert filing.transfer_due_date(open_file) is None


def test_review_year(open_file):
    open_file.end_date = D(2026, 12, 1)
    assert filing.review_year(open_file) == 2036
    open_file.retention_kind, open_file.retention_years = RetentionKind.PERMANENT, None
    assert filing.review_year(open_file) is None


def test_hold_back_at_most_two_years(closed_file):
    case_file, _ = closed_file
    due = filing.transfer_due_date(case_file)
    assert due == D(2027, 12, 1)
    with pytest.raises(HosoError) as err:
        filing.hold_back(case_file, until=D(2029, 12, 2), approval="CV 5/UBND")
    assert err.value.code == "hold_back_too_long"
    with pytest.raises(HosoError):
        filing.hold_back(case_file, until=D(2028, 6, 1), approval="")
    filing.hold_back(case_file, until=D(2029, 12, 1), approval="Công văn 5/UBND-VP đồng ý giữ lại")
    assert filing.effective_due_date(case_file) == D(2029, 12, 1)


def test_due_for_transfer_lists(closed_file):
    case_file, _ = closed_file
    upcoming, overdue = filing.due_for_transfer(today=D(2027, 11, 10))
    assert [c.pk for c, _ in upcoming] == [case_file.pk] and overdue == []
    upcoming, overdue = filing.due_for_transfer(today=D(2027, 12, 2))
    assert upcoming == [] and [c.pk for c, _ in overdue] == [case_file.pk]
    assert filing.due_for_transfer(today=D(2027, 10, 1)) == ([], [])
