"""Case files by Decree 30 Article 29: open, file documents, close, reopen; transfer due dates (Art. 30)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone

from accounts import audit
from accounts.errors import HosoError
from accounts.roles import Role
from retention.services import check_retention

from .models import AccessRegime, CaseFile, CaseFileEntry, Document

CLOSED = CaseFile.Status.CLOSED
REOPEN_ROLES = (Role.LEADER, Role.ARCHIVIST, Role.ADMIN)


def _refuse(obj, code, message, *, actor=None, request=None, detail=None):
    """Record the refused attempt in the audit trail (committed on its own), then refuse."""
    audit.record(audit.DENIED, obj, actor=actor, request=request, detail={"code": code, **(detail or {})})
    raise HosoError(message, code=code, detail=detail, status=409)


def is_frozen(document) -> bool:
    return document.pk is not None and CaseFileEntry.objects.filter(
        document_id=document.pk, case_file__status=CLOSED).exists()


def guard_document(document, *, actor=None, request=None):
    """Refuse (and audit) any change to a document filed in a closed case file."""
    if is_frozen(document):
        _refuse(document, "document_frozen",
                "Văn bản thuộc hồ sơ đã kết thúc, không được sửa hoặc xóa.", actor=actor, request=request)


def guard_open(case_file, *, actor=None, request=None):
    if case_file.is_closed:
        _refuse(case_file, "case_file_closed", "Hồ sơ đã kết thúc, không được thay đổi.", actor=actor, request=request)


def default_rights():
    return AccessRegime.objects.order_by("ordinal").first()


@transaction.atomic
def open_case_file(*, agency, actor=None, request=None, plan_item=None, **fields):
    """Open a case file from a plan item (inheriting notation, title, retention, creator) or ad hoc,
    where title, number and symbol, retention, creator and start date are required (Art. 29.2c)."""
    if plan_item is not None:
        if plan_item.plan.agency_id != agency.pk:
            raise HosoError("Mục hồ sơ không thuộc cơ quan này.", code="plan_item_other_agency", status=404)
        inherited = {
            "year": plan_item.plan.year, "file_notation": plan_item.file_notation, "title": plan_item.title,
            "retention_kind": plan_item.retention_kind, "retention_years": plan_item.retention_years,
            "retention_condition": plan_item.retention_condition, "creator": plan_item.creator,
            "creator_name": plan_item.creator_name, "unit": plan_item.unit, "construction": plan_item.construction,
        }
        fields = {**inherited, **{k: v for k, v in fields.items() if v not in (None, "")}}
    missing = [f for f in ("title", "file_notation", "retention_kind", "start_date") if not fields.get(f)]
    if not (fields.get("creator") or fields.get("creator_name")):
        missing.append("creator")
    if missing:
        raise HosoError("Hồ sơ ngoài danh mục cần tiêu đề, số và ký hiệu, thời hạn bảo quản, người lập và "
                        "thời gian bắt đầu.", code="case_file_fields_missing", detail={"missing": missing})
    check_retention(fields["retention_kind"], fields.get("retention_years"), fields.get("retention_condition", ""))
    fields.setdefault("year", fields["start_date"].year)
    if fields.get("creator") and not fields.get("creator_name"):
        fields["creator_name"] = fields["creator"].full_name[:50]
    fields.setdefault("rights", default_rights())
    if CaseFile.objects.filter(agency=agency, year=fields["year"], file_notation=fields["file_notation"]).exists():
        raise HosoError("Số và ký hiệu hồ sơ đã được dùng trong năm.", code="case_file_exists", status=409)
    case_file = CaseFile.objects.create(agency=agency, plan_item=plan_item, **fields)
    audit.record(audit.CREATE, case_file, actor=actor, request=request, detail={"file_code": case_file.file_code})
    return case_file


def _next_ordinal(case_file):
    return (case_file.entries.aggregate(m=Max("ordinal"))["m"] or 0) + 1


def add_document(case_file, document, *, actor=None, request=None):
    """File a document into an open case file: it gets the next ordinal there. Its bytes are shared."""
    guard_open(case_file, actor=actor, request=request)
    if document.agency_id != case_file.agency_id:
        raise HosoError("Văn bản không thuộc cơ quan này.", code="document_other_agency", status=404)
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        entry = CaseFileEntry.objects.filter(case_file=locked, document=document).first()
        if entry is not None:
            return entry
        entry = CaseFileEntry.objects.create(case_file=locked, document=document, ordinal=_next_ordinal(locked),
                                             added_by=actor if getattr(actor, "pk", None) else None)
        recompute_totals(locked)
        audit.record(audit.UPDATE, locked, actor=actor, request=request,
                     detail={"added_document": document.pk, "ordinal": entry.ordinal})
    return entry


def remove_document(case_file, document, *, reason, actor=None, request=None):
    """Take a duplicate or a draft out of an open file (logged)."""
    guard_open(case_file, actor=actor, request=request)
    if not reason:
        raise HosoError("Cần nêu lý do rút văn bản khỏi hồ sơ.", code="reason_required")
    with transaction.atomic():
        deleted, _ = CaseFileEntry.objects.filter(case_file=case_file, document=document).delete()
        if not deleted:
            raise HosoError("Văn bản không có trong hồ sơ.", code="not_in_case_file", status=404)
        recompute_totals(case_file)
        audit.record(audit.UPDATE, case_file, actor=actor, request=request,
                     detail={"removed_document": document.pk, "reason": reason})


def chronological_entries(case_file):
    """Entries in the order things happened: document date, then arrival, then filing."""
    entries = case_file.entries.select_related("document")
    return sorted(entries, key=lambda e: (e.document.issued_date or (e.document.arrival_date.date()
                                          if e.document.arrival_date else e.added_at.date()), e.ordinal))


def recompute_totals(case_file):
    documents = Document.objects.filter(case_entries__case_file=case_file)
    case_file.doc_total = documents.count()
    case_file.page_total = documents.aggregate(p=Sum("page_amount"))["p"] or 0
    CaseFile.objects.filter(pk=case_file.pk).update(doc_total=case_file.doc_total, page_total=case_file.page_total)


def close_checklist(case_file, *, retention_confirmed=False):
    """What Art. 29.4 asks before a file is closed: [(code, label, ok)]."""
    required = all([case_file.title, case_file.file_notation, case_file.creator_name, case_file.start_date,
                    case_file.rights_id, case_file.language])
    retention_ok = True
    try:
        check_retention(case_file.retention_kind, case_file.retention_years, case_file.retention_condition)
    except HosoError:
        retention_ok = False
    return [
        ("metadata", "Đủ thông tin bắt buộc của hồ sơ", required),
        ("documents", "Có ít nhất một văn bản", case_file.entries.exists()),
        ("end_date", "Đã có thời gian kết thúc", case_file.end_date is not None),
        ("retention", "Đã xác nhận lại thời hạn bảo quản", retention_ok and retention_confirmed),
    ]


def close_case_file(case_file, *, actor=None, request=None, end_date=None, retention=None,
                    retention_confirmed=False):
    """Close a file (kết thúc hồ sơ): checklist, totals, final chronological ordinals, then immutable."""
    guard_open(case_file, actor=actor, request=request)
    with transaction.atomic():
        return _close(CaseFile.objects.select_for_update().get(pk=case_file.pk), actor=actor, request=request,
                      end_date=end_date, retention=retention, retention_confirmed=retention_confirmed)


def _close(case_file, *, actor, request, end_date, retention, retention_confirmed):
    if end_date is not None:
        case_file.end_date = end_date
    if retention is not None:  # (kind, years, condition) re-set by the creator (Art. 29.4b)
        case_file.retention_kind, case_file.retention_years, case_file.retention_condition = retention
    failed = [code for code, _label, ok in close_checklist(case_file, retention_confirmed=retention_confirmed)
              if not ok]
    if failed:
        raise HosoError("Hồ sơ chưa đủ điều kiện kết thúc.", code="close_checklist_failed", detail={"failed": failed})
    if case_file.end_date < case_file.start_date:
        raise HosoError("Thời gian kết thúc trước thời gian bắt đầu.", code="end_before_start")
    entries = chronological_entries(case_file)
    # Final ordinals follow the chronology; moved out of the way first to respect uniqueness.
    offset = len(entries) + 1000
    CaseFileEntry.objects.filter(case_file=case_file).update(ordinal=F("ordinal") + offset)
    for ordinal, entry in enumerate(entries, start=1):
        CaseFileEntry.objects.filter(pk=entry.pk).update(ordinal=ordinal)
    recompute_totals(case_file)
    case_file.status = CLOSED
    case_file.closed_at = timezone.now()
    case_file.save()
    audit.record(audit.UPDATE, case_file, actor=actor, request=request,
                 detail={"closed": True, "doc_total": case_file.doc_total, "page_total": case_file.page_total})
    return case_file


def reopen_case_file(case_file, *, actor, reason, request=None):
    """Reopening needs an authorised role and a reason; audited."""
    if not (actor and actor.has_role(*REOPEN_ROLES)):
        _refuse(case_file, "reopen_not_allowed", "Bạn không có quyền mở lại hồ sơ đã kết thúc.",
                actor=actor, request=request)
    if not reason:
        raise HosoError("Cần nêu lý do mở lại hồ sơ.", code="reason_required")
    if not case_file.is_closed:
        raise HosoError("Hồ sơ đang mở.", code="case_file_open", status=409)
    if case_file.transferred_at:
        raise HosoError("Hồ sơ đã nộp lưu, không mở lại được.", code="case_file_transferred", status=409)
    with transaction.atomic():
        case_file.status = CaseFile.Status.OPEN
        case_file.closed_at = None
        case_file.save()
        audit.record(audit.UPDATE, case_file, actor=actor, request=request,
                     detail={"reopened": True, "reason": reason})
    return case_file


# --- Transfer due dates (Art. 30.2, 31.3d) ---------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def transfer_due_date(case_file):
    """Due one year after the work ended; XDCB files three months after final settlement. Both configurable."""
    if case_file.construction:
        if case_file.settlement_date is None:
            return None
        return add_months(case_file.settlement_date, settings.HOSO_TRANSFER_XDCB_MONTHS)
    if case_file.end_date is None:
        return None
    return add_months(case_file.end_date, settings.HOSO_TRANSFER_AFTER_MONTHS)


def effective_due_date(case_file):
    """The due date, moved to the hold-back date when one was approved."""
    due = transfer_due_date(case_file)
    if due is not None and case_file.held_until and case_file.held_until > due:
        return case_file.held_until
    return due


@transaction.atomic
def hold_back(case_file, *, until, approval, actor=None, request=None):
    """Keep a file past its due date (Art. 31.3d): with the head's written approval, at most two years."""
    due = transfer_due_date(case_file)
    if due is None:
        raise HosoError("Hồ sơ chưa có hạn nộp lưu.", code="no_due_date")
    if not approval:
        raise HosoError("Cần ghi văn bản đồng ý của thủ trưởng cơ quan.", code="approval_required")
    limit = add_months(due, 12 * settings.HOSO_HOLD_BACK_MAX_YEARS)
    if until > limit:
        raise HosoError(f"Chỉ được giữ lại tối đa {settings.HOSO_HOLD_BACK_MAX_YEARS} năm sau hạn nộp lưu "
                        f"({limit:%d/%m/%Y}).", code="hold_back_too_long", detail={"limit": limit.isoformat()})
    case_file.held_until, case_file.hold_approval = until, approval[:300]
    case_file.save(update_fields=["held_until", "hold_approval"])
    audit.record(audit.UPDATE, case_file, actor=actor, request=request,
                 detail={"held_until": until.isoformat(), "approval": approval})
    return case_file


def due_for_transfer(agency=None, *, within_days=None, today=None):
    """Closed files not yet transferred whose (effective) due date falls within N days, and overdue ones.

    Returns (upcoming, overdue) lists of (case_file, due_date).
    """
    today = today or timezone.localdate()
    within_days = settings.HOSO_TRANSFER_WARNING_DAYS if within_days is None else within_days
    files = CaseFile.objects.filter(status=CLOSED, transferred_at__isnull=True).select_related("agency", "creator")
    if agency is not None:
        files = files.filter(agency=agency)
    upcoming, overdue = [], []
    for case_file in files.filter(Q(end_date__isnull=False) | Q(settlement_date__isnull=False)):
        due = effective_due_date(case_file)
        if due is None:
            continue
        if due < today:
            overdue.append((case_file, due))
        elif (due - today).days <= within_days:
            upcoming.append((case_file, due))
    return upcoming, overdue


def review_year(case_file):
    """Review year of a time-limited file: end year + N (retention counts from the year the work ended)."""
    from retention.services import review_year as compute

    return compute(case_file.end_date.year if case_file.end_date else None, case_file.retention_kind,
                   case_file.retention_years)
