"""The annual file plan (Danh mục hồ sơ, Decree 30 Art. 28 and Appendix V): headings, numbering,
approval, logged amendments, copying last year's plan, XLSX import and export."""

import io
import re

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts import audit
from accounts.errors import HosoError
from retention.services import parse_retention

from .models import FilePlan, PlanAmendment, PlanHeading, PlanItem
from .numbering import file_notation, roman

XLSX_COLUMNS = ["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản", "Người lập hồ sơ",
                "Ghi chú"]
ROMAN_RE = re.compile(r"^(?P<num>[IVXLCDM]+)\.\s*(?P<title>.+?)(?:\s*\((?P<abbr>[A-Za-zĐđ0-9]+)\))?$")
ARABIC_RE = re.compile(r"^(?P<num>\d+)\.\s*(?P<title>.+)$")


def _check_editable(plan, reason):
    """A draft is edited freely; an approved plan only through an amendment with a reason."""
    if plan.is_approved and not reason:
        raise HosoError("Danh mục hồ sơ đã được phê duyệt; thay đổi phải ghi lý do điều chỉnh.",
                        code="plan_approved", status=409)


def _amend(plan, reason, actor, change):
    if plan.is_approved:
        PlanAmendment.objects.create(plan=plan, actor=actor if getattr(actor, "pk", None) else None,
                                     reason=reason, change=change)
        audit.record(audit.UPDATE, plan, actor=actor, detail={"amendment": reason, **change})


def create_plan(agency, year, *, numbering=FilePlan.Numbering.CONTINUOUS, actor=None):
    if FilePlan.objects.filter(agency=agency, year=year).exists():
        raise HosoError(f"Đã có danh mục hồ sơ năm {year}.", code="plan_exists", status=409)
    with transaction.atomic():
        plan = FilePlan.objects.create(agency=agency, year=year, numbering=numbering)
        audit.record(audit.CREATE, plan, actor=actor)
    return plan


@transaction.atomic
def add_heading(plan, title, *, parent=None, abbreviation="", actor=None, reason=""):
    _check_editable(plan, reason)
    if parent is None and not abbreviation:
        raise HosoError("Đề mục lớn cần tên viết tắt (ví dụ TCCB).", code="abbreviation_required")
    siblings = plan.headings.filter(parent=parent)
    ordinal = (siblings.aggregate(m=Max("ordinal"))["m"] or 0) + 1
    heading = PlanHeading.objects.create(plan=plan, parent=parent, ordinal=ordinal, title=title.strip(),
                                         abbreviation=abbreviation.strip().upper() if parent is None else "")
    _amend(plan, reason, actor, {"added_heading": str(heading)})
    return heading


def _next_number(plan, top):
    items = plan.items.all()
    if plan.numbering == FilePlan.Numbering.PER_HEADING:
        items = items.filter(heading__in=[top, *top.children.all()])
    return (items.aggregate(m=Max("number"))["m"] or 0) + 1


@transaction.atomic
def add_item(plan, heading, title, *, retention, creator=None, creator_name="", note="", unit=None,
             construction=False, actor=None, reason=""):
    """Add a planned file under a heading; its number follows the plan's numbering rule, its symbol
    is the top heading's abbreviation (01.TCCB). ``retention`` is (kind, years, condition)."""
    _check_editable(plan, reason)
    if heading.plan_id != plan.pk:
        raise HosoError("Đề mục không thuộc danh mục này.", code="heading_other_plan")
    kind, years, condition = retention
    number = _next_number(plan, heading.top)
    item = PlanItem.objects.create(
        plan=plan, heading=heading, number=number, file_notation=file_notation(number, heading.top.abbreviation),
        title=title.strip(), retention_kind=kind, retention_years=years, retention_condition=condition,
        creator=creator, creator_name=creator_name or (creator.full_name[:50] if creator else ""),
        note=note, unit=unit, construction=construction,
    )
    _amend(plan, reason, actor, {"added_item": item.file_notation, "title": item.title})
    return item


@transaction.atomic
def change_item(item, *, actor=None, reason="", **fields):
    plan = item.plan
    _check_editable(plan, reason)
    before = {name: str(getattr(item, name)) for name in fields}
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    _amend(plan, reason, actor, {"item": item.file_notation, "before": before,
                                 "after": {name: str(value) for name, value in fields.items()}})
    return item


@transaction.atomic
def approve_plan(plan, *, decision_number, decision_date, actor=None):
    if plan.is_approved:
        raise HosoError("Danh mục đã được phê duyệt.", code="plan_approved", status=409)
    if not decision_number or not decision_date:
        raise HosoError("Cần số và ngày quyết định ban hành danh mục.", code="decision_required")
    if not plan.items.exists():
        raise HosoError("Danh mục chưa có hồ sơ nào.", code="plan_empty")
    plan.status = FilePlan.Status.APPROVED
    plan.decision_number, plan.decision_date = decision_number, decision_date
    plan.approved_by = actor if getattr(actor, "pk", None) else None
    plan.approved_at = timezone.now()
    plan.save()
    audit.record(audit.UPDATE, plan, actor=actor, detail={"approved": decision_number})
    return plan


@transaction.atomic
def copy_plan(source, year, *, actor=None):
    """Start next year's plan from this one: same headings and items, as a draft."""
    plan = create_plan(source.agency, year, numbering=source.numbering, actor=actor)
    mapping = {}
    # Top headings first (PostgreSQL sorts NULL parents last), then their sub-headings.
    for heading in source.headings.order_by(F("parent_id").asc(nulls_first=True), "ordinal"):
        mapping[heading.pk] = PlanHeading.objects.create(
            plan=plan, parent=mapping.get(heading.parent_id), ordinal=heading.ordinal,
            abbreviation=heading.abbreviation, title=heading.title)
    for item in source.items.all():
        item.pk = None
        item.plan, item.heading = plan, mapping[item.heading_id]
        item.save()
    return plan


def plan_rows(plan):
    """The plan in print order: ('heading', label, title) and ('item', item) rows."""
    rows = []
    tops = plan.headings.filter(parent=None).order_by("ordinal").prefetch_related("children")
    items = {}
    for item in plan.items.select_related("heading").order_by("number"):
        items.setdefault(item.heading_id, []).append(item)
    for top in tops:
        rows.append(("heading", f"{roman(top.ordinal)}.", f"{top.title} ({top.abbreviation})"))
        rows.extend(("item", item) for item in items.get(top.pk, []))
        for sub in top.children.order_by("ordinal"):
            rows.append(("heading", f"{sub.ordinal}.", sub.title))
            rows.extend(("item", item) for item in items.get(sub.pk, []))
    return rows


def plan_counts(plan):
    """(total, permanent, time-limited) for the plan's footer."""
    items = list(plan.items.all())
    permanent = sum(1 for item in items if item.retention_kind == "permanent")
    return len(items), permanent, len(items) - permanent


def export_xlsx(plan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"DMHS {plan.year}"
    sheet.append([f"DANH MỤC HỒ SƠ NĂM {plan.year} — {plan.agency.name}"])
    sheet.append(XLSX_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in plan_rows(plan):
        if row[0] == "heading":
            sheet.append(["", f"{row[1]} {row[2]}"])
            sheet.cell(sheet.max_row, 2).font = Font(bold=True)
        else:
            item = row[1]
            sheet.append([item.file_notation, item.title, item.retention_label, item.creator_name, item.note])
    for column, width in zip("ABCDE", (18, 70, 18, 28, 30)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@transaction.atomic
def import_xlsx(plan, data: bytes, *, actor=None):
    """Fill a draft plan from the XLSX layout export_xlsx writes (headings in column 2, items with a notation)."""
    from openpyxl import load_workbook

    if plan.is_approved or plan.items.exists():
        raise HosoError("Chỉ nhập vào danh mục dự thảo còn trống.", code="plan_not_empty", status=409)
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = [["" if v is None else str(v).strip() for v in row][:5] for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise HosoError("Tệp Excel không đọc được.", code="xlsx_unreadable") from exc
    top = current = None
    count = 0
    for number, row in enumerate(rows, start=1):
        row = (row + [""] * 5)[:5]
        notation, title, retention, creator, note = row
        if not title or title == XLSX_COLUMNS[1]:
            continue
        if not notation:
            if match := ROMAN_RE.match(title):
                top = current = add_heading(plan, match["title"], abbreviation=match["abbr"] or f"M{count + 1}",
                                            actor=actor)
            elif (match := ARABIC_RE.match(title)) and top is not None:
                current = add_heading(plan, match["title"], parent=top, actor=actor)
            continue
        if current is None:
            raise HosoError(f"Dòng {number}: hồ sơ nằm ngoài đề mục.", code="plan_row_invalid",
                            detail={"row": number})
        try:
            kind_years_condition = parse_retention(retention)
        except HosoError as exc:
            raise HosoError(f"Dòng {number}: thiếu thời hạn bảo quản.", code="plan_row_invalid",
                            detail={"row": number}) from exc
        item = add_item(plan, current, title, retention=kind_years_condition, creator_name=creator[:50],
                        note=note[:500], actor=actor)
        if item.file_notation != notation:
            # Keep the numbers the plan was written with.
            item.file_notation = notation[:20]
            item.number = int(re.match(r"\d+", notation).group()) if re.match(r"\d+", notation) else item.number
            item.save(update_fields=["file_notation", "number"])
        count += 1
    return count
