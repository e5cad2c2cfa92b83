"""Routing outputs required by Decree 30 (Appendix VI, Part I, V): the registers of incoming and outgoing
documents in the Appendix IV layouts (10 columns, with the register's cover lines) and the reports on
the handling of incoming and outgoing documents, per unit and per person, for a period.

A report is data first (shown on screen and as JSON), then written as XLSX (openpyxl) or PDF
(reportlab, landscape A4, through the shared helpers of casefiles.outputs). Cancelled numbers stay in
the register as rows marked cancelled.

Handling outcomes:
  incoming  registered in the period (arrival date), by lead unit and lead handler: completed on time
            (on or before the deadline, or without one), completed late, pending, and among the pending
            those past their deadline; documents the sender recalled are left out;
  outgoing  drafts started in the period, by the drafter's unit and the drafter: issued on time, i.e. on
            the day of the leader's signature or the next working day (Decree 30 Art. 18.1; urgent
            documents the same day; public holidays are not known here), issued late, not yet issued,
            and among those the signed ones past that day.
"""

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone

from accounts.errors import HosoError
from accounts.roles import Role
from casefiles.models import Document
from casefiles.outputs import build_pdf, pdf_escape, pdf_header, pdf_styles, pdf_table

from . import deadlines
from .models import Incoming, Outgoing, Register, Trace


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # characters in XLSX; the PDF shares the page width in the same proportions (ten columns
    # across landscape A4 in 9 pt: a date needs 12)


@dataclass
class Section:
    columns: list
    rows: list  # dicts by column key; "cancelled": True marks a cancelled number
    heading: str = ""


@dataclass
class Report:
    agency: object
    title: str
    lines: list  # printed under the title
    sections: list
    filename: str  # without extension
    info: dict = field(default_factory=dict)  # the cover (or period) as data


INCOMING_COLUMNS = [
    Column("arrival_date", "Ngày đến", 12),
    Column("arrival_number", "Số đến", 9),
    Column("author", "Tác giả", 16),
    Column("number_notation", "Số, ký hiệu văn bản", 16),
    Column("issued_date", "Ngày tháng văn bản", 12),
    Column("subject", "Tên loại và trích yếu nội dung văn bản", 30),
    Column("recipient", "Đơn vị hoặc người nhận", 16),
    Column("passed_on", "Ngày chuyển", 12),
    Column("receipt", "Ký nhận", 12),
    Column("note", "Ghi chú", 14),
]
OUTGOING_COLUMNS = [
    Column("number_notation", "Số, ký hiệu văn bản", 16),
    Column("issued_date", "Ngày tháng văn bản", 12),
    Column("subject", "Tên loại và trích yếu nội dung văn bản", 28),
    Column("signer", "Người ký", 15),
    Column("recipients", "Nơi nhận văn bản", 18),
    Column("file_copy", "Đơn vị, người nhận bản lưu", 16),
    Column("copies", "Số lượng bản", 11),
    Column("sent", "Ngày chuyển", 12),
    Column("receipt", "Ký nhận", 10),
    Column("note", "Ghi chú", 14),
]
REGISTER_TITLES = {
    Register.Kind.INCOMING: "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    Register.Kind.OUTGOING: "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    Register.Kind.LEGAL: "SỔ ĐĂNG KÝ VĂN BẢN ĐI (VĂN BẢN QUY PHẠM PHÁP LUẬT)",
}


def _day(value):
    return value.strftime("%d/%m/%Y") if value else ""


def display(value):
    """A cell as text: dates dd/mm/yyyy, nothing for empty."""
    if isinstance(value, datetime.date):
        return _day(value)
    return "" if value is None else str(value)


def period(date_from=None, date_to=None, year=None):
    """(from, to): the given dates, by default the whole year (the current one unless given)."""
    year = year or timezone.localdate().year
    date_from, date_to = date_from or datetime.date(year, 1, 1), date_to or datetime.date(year, 12, 31)
    if date_from > date_to:
        raise HosoError("Khoảng thời gian không hợp lệ: ngày bắt đầu sau ngày kết thúc.", code="invalid_period")
    return date_from, date_to


def _local_day(moment):
    return timezone.localdate(moment) if moment else None


def _notes(document, entry=None):
    notes = []
    if entry is not None and entry.cancelled_at:
        notes.append(f"Số đã hủy ngày {_day(_local_day(entry.cancelled_at))}: {entry.cancel_reason}")
    if document is not None:
        if document.recalled_at:
            notes.append(f"Đã thu hồi ngày {_day(_local_day(document.recalled_at))}")
        if document.description:
            notes.append(document.description)
    return "; ".join(notes)


def _title_subject(document):
    return f"{document.type_name} {document.subject}".strip()


def _number_row(entry, number_key, number, date_key):
    """A cancelled number, or one given without a document: the number, its date and the note only."""
    return {number_key: number, date_key: _local_day(entry.assigned_at), "note": _notes(None, entry),
            "cancelled": entry.cancelled_at is not None}


def _incoming_row(entry, passed_on):
    if entry.cancelled_at or entry.document is None:
        return _number_row(entry, "arrival_number", entry.number, "arrival_date")
    document = entry.document
    item = getattr(document, "incoming", None)
    handlers = sorted(item.handlers.all(), key=lambda h: (h.role != "lead", h.user.full_name)) if item else []
    lead = next((h for h in handlers if h.role == "lead"), None)
    if document.to_places:
        recipient = document.to_places
    elif handlers:
        names = ", ".join(h.user.full_name for h in handlers)
        recipient = f"{item.lead_unit.name}: {names}" if item.lead_unit_id else names
    else:
        recipient = item.presented_to.full_name if item and item.presented_to_id else ""
    return {
        "arrival_date": _local_day(entry.assigned_at), "arrival_number": entry.number,
        "author": document.organ_name, "number_notation": document.number_notation,
        "issued_date": document.issued_date, "subject": _title_subject(document), "recipient": recipient,
        "passed_on": _local_day(passed_on.get(document.pk)),
        "receipt": f"Đã nhận {_day(_local_day(lead.acknowledged_at))}" if lead and lead.acknowledged_at else "",
        "note": _notes(document), "cancelled": False,
    }


def _outgoing_row(entry):
    if entry.cancelled_at or entry.document is None:
        return _number_row(entry, "number_notation", f"{entry.number:02d}", "issued_date")
    document = entry.document
    item = getattr(document, "outgoing", None)
    drafter = item.drafter if item else None
    signer = document.signer_full_name or (item.signer.full_name if item and item.signer_id else "")
    return {
        "number_notation": document.number_notation, "issued_date": document.issued_date,
        "subject": _title_subject(document), "signer": signer,
        "recipients": "; ".join(r.organ_name for r in document.recipients.all()),
        "file_copy": ": ".join(filter(None, [getattr(drafter.unit, "name", ""), drafter.full_name])) if drafter else "",
        "copies": document.issued_amount, "sent": _local_day(item.issued_at) if item else None,
        "receipt": "", "note": _notes(document), "cancelled": False,
    }


def _passed_on(entries):
    """When each incoming document was passed on: assigned to its handlers, or else presented to a leader."""
    times = {}
    traces = (Trace.objects.filter(document__register_entries__in=entries, action__in=("present", "assign"))
              .values("document_id", "action").annotate(last=Max("time")).order_by("-action"))
    for trace in traces:  # "assign" after "present": the assignment wins
        times[trace["document_id"]] = trace["last"]
    return times


def register_report(register, date_from=None, date_to=None) -> Report:
    """The register (sổ đăng ký) of numbers given in the period, by default its whole year."""
    date_from, date_to = period(date_from, date_to, register.year)
    entries = (register.entries.filter(assigned_at__date__gte=date_from, assigned_at__date__lte=date_to)
               .select_related("document").order_by("number"))
    if register.kind == Register.Kind.INCOMING:
        entries = entries.select_related("document__incoming__lead_unit", "document__incoming__presented_to")
        entries = entries.prefetch_related("document__incoming__handlers__user")
        passed_on = _passed_on(entries)
        rows, columns = [_incoming_row(entry, passed_on) for entry in entries], INCOMING_COLUMNS
    else:
        entries = (entries.select_related("document__outgoing__drafter__unit", "document__outgoing__signer")
                   .prefetch_related("document__recipients"))
        rows, columns = [_outgoing_row(entry) for entry in entries], OUTGOING_COLUMNS
    numbers = [entry.number for entry in entries]
    info = {"agency": register.agency.name, "year": register.year, "kind": register.kind,
            "from_date": date_from, "to_date": date_to,
            "from_number": numbers[0] if numbers else None, "to_number": numbers[-1] if numbers else None}
    lines = [f"Năm: {register.year}", f"Từ ngày {_day(date_from)} đến ngày {_day(date_to)}",
             f"Từ số {numbers[0]} đến số {numbers[-1]}" if numbers else "Không có số nào trong kỳ"]
    return Report(agency=register.agency, title=REGISTER_TITLES[register.kind], lines=lines,
                  sections=[Section(columns, rows)], info=info,
                  filename=f"so-dang-ky-{register.kind}-{register.year}")


# --- Handling reports ------------------------------------------------------------------------------

# Who may read the handling reports (they show each person's record); registers are open to the agency.
READERS = (Role.LEADER, Role.UNIT_HEAD, Role.CLERK, Role.ADMIN)
UNASSIGNED = "(chưa phân công)"
HANDLING = {
    "incoming": {
        "title": "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN",
        "labels": ("Giải quyết đúng hạn", "Giải quyết quá hạn", "Đang giải quyết", "Trong đó: đã quá hạn"),
        "groups": ("Theo đơn vị chủ trì", "Đơn vị chủ trì", "Theo người chủ trì", "Người chủ trì"),
    },
    "outgoing": {
        "title": "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐI",
        "labels": ("Phát hành đúng hạn", "Phát hành chậm", "Chưa phát hành", "Trong đó: quá hạn phát hành"),
        "groups": ("Theo đơn vị soạn thảo", "Đơn vị soạn thảo", "Theo người soạn thảo", "Người soạn thảo"),
    },
}
OUTCOMES = ("on_time", "late", "pending", "pending_overdue")


def _incoming_outcomes(agency, date_from, date_to, today):
    """(unit, person, outcome, overdue) of each incoming document registered in the period."""
    items = (Incoming.objects.filter(document__agency=agency, document__arrival_date__date__gte=date_from,
                                     document__arrival_date__date__lte=date_to)
             .exclude(state__in=(Incoming.State.RECEIVED, Incoming.State.REFUSED, Incoming.State.RECALLED))
             .select_related("lead", "lead_unit"))
    for item in items:
        person = (item.lead_id, item.lead.full_name) if item.lead_id else (None, UNASSIGNED)
        unit = item.lead_unit.name if item.lead_unit_id else UNASSIGNED
        if item.completed_at:
            late = deadlines.is_overdue(item.deadline, item.completed_at)
            yield unit, person, "late" if late else "on_time", False
        else:
            yield unit, person, "pending", deadlines.is_overdue(item.deadline, None, today)


def issue_due(signed_at, priority):
    """The last day to issue a document signed at signed_at: the next working day, urgent ones the same day."""
    day = timezone.localdate(signed_at)
    if priority >= Document.Priority.URGENT:
        return day
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def issue_days(items):
    """{outgoing id: last day to issue it} of the drafts among items that the leader has signed."""
    items = items.select_related("document")
    signed = dict(Trace.objects.filter(action="approve", document__outgoing__in=items)
                  .values("document_id").annotate(last=Max("time")).values_list("document_id", "last"))
    return {item.pk: issue_due(signed[item.document_id], item.document.priority)
            for item in items if item.document_id in signed}


def filter_issue_due(queryset, due, today=None):
    """Signed drafts not issued yet, still within their issuance day (near) or past it (overdue)."""
    today = today or timezone.localdate()
    days = issue_days(queryset.filter(state__in=(Outgoing.State.APPROVED, Outgoing.State.NUMBERED)))
    if due not in ("near", "overdue"):
        return queryset.none()
    return queryset.filter(pk__in=[pk for pk, day in days.items() if (day < today) == (due == "overdue")])


def _outgoing_outcomes(agency, date_from, date_to, today):
    """(unit, person, outcome, overdue) of each draft started in the period."""
    items = (Outgoing.objects.filter(document__agency=agency, created_at__date__gte=date_from,
                                     created_at__date__lte=date_to)
             .select_related("document", "drafter__unit"))
    days = issue_days(items)
    for item in items:
        drafter = item.drafter
        person = (drafter.pk, drafter.full_name) if drafter else (None, UNASSIGNED)
        unit = drafter.unit.name if drafter and drafter.unit_id else UNASSIGNED
        due = days.get(item.pk)
        if item.issued_at:
            late = due is not None and timezone.localdate(item.issued_at) > due
            yield unit, person, "late" if late else "on_time", False
        else:
            yield unit, person, "pending", due is not None and today > due


def _tally(outcomes, label_column, labels):
    counts = {}
    for key, name, outcome, overdue in outcomes:
        counter = counts.setdefault(key, (name, Counter()))[1]
        counter[outcome] += 1
        counter["pending_overdue"] += overdue
    rows = [{"name": name, "total": counter["on_time"] + counter["late"] + counter["pending"],
             **{o: counter[o] for o in OUTCOMES}}
            for name, counter in sorted(counts.values(), key=lambda v: (v[0] == UNASSIGNED, v[0]))]
    rows.append({"name": "Tổng cộng", **{k: sum(r[k] for r in rows) for k in ("total", *OUTCOMES)}})
    columns = [Column("name", label_column, 40), Column("total", "Tổng số", 10),
               *[Column(key, label, 16) for key, label in zip(OUTCOMES, labels)]]
    return columns, rows


def handling_report(agency, kind, date_from=None, date_to=None, today=None) -> Report:
    """Báo cáo tình hình giải quyết văn bản đến / xử lý văn bản đi, per unit and per person."""
    if kind not in HANDLING:
        raise HosoError("Loại báo cáo không hợp lệ.", code="invalid_report_kind")
    today = today or timezone.localdate()
    date_from, date_to = period(date_from, date_to)
    outcomes = list((_incoming_outcomes if kind == "incoming" else _outgoing_outcomes)(
        agency, date_from, date_to, today))
    spec = HANDLING[kind]
    unit_heading, unit_label, person_heading, person_label = spec["groups"]
    sections = [
        Section(*_tally(((u, u, o, d) for u, _p, o, d in outcomes), unit_label, spec["labels"]), unit_heading),
        Section(*_tally(((p[0], p[1], o, d) for _u, p, o, d in outcomes), person_label, spec["labels"]),
                person_heading),
    ]
    return Report(agency=agency, title=spec["title"],
                  lines=[f"Từ ngày {_day(date_from)} đến ngày {_day(date_to)}",
                         f"Số liệu tính đến ngày {_day(today)}"],
                  sections=sections, filename=f"bao-cao-xu-ly-van-ban-{'den' if kind == 'incoming' else 'di'}",
                  info={"agency": agency.name, "kind": kind, "from_date": date_from, "to_date": date_to,
                        "as_of": today})


# --- Outputs ------------------------------------------------------------------------------------------


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def as_json(report) -> dict:
    return {
        "title": report.title, **{k: _json_value(v) for k, v in report.info.items()},
        "sections": [{"heading": s.heading, "columns": [{"key": c.key, "label": c.label} for c in s.columns],
                      "rows": [{k: _json_value(v) for k, v in row.items()} for row in s.rows]}
                     for s in report.sections],
    }


def display_rows(section):
    """[(cells as text, cancelled)] for the screen and the PDF."""
    return [([display(row.get(c.key)) for c in section.columns], bool(row.get("cancelled"))) for row in section.rows]


def to_xlsx(report) -> bytes:
    """One sheet per section: the agency and title lines, the header row and its column numbers, the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    for index, section in enumerate(report.sections):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = (section.heading or "Sổ đăng ký")[:31]
        for line in (report.agency.name, report.title, *report.lines, section.heading):
            sheet.append([line])
        sheet.cell(2, 1).font = Font(bold=True, size=13)
        sheet.append([c.label for c in section.columns])
        header = sheet.max_row
        sheet.append([f"({n})" for n in range(1, len(section.columns) + 1)])
        for row in sheet.iter_rows(min_row=header, max_row=header + 1):
            for cell in row:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                cell.fill = PatternFill("solid", fgColor="DDDDDD")
        sheet.freeze_panes = f"A{header + 2}"
        for row in section.rows:
            sheet.append([row.get(c.key) for c in section.columns])
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                if row.get("cancelled"):
                    cell.font = Font(italic=True, color="808080")
        for number, column in enumerate(section.columns, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_pdf(report) -> bytes:
    """Landscape A4: the agency header, title and cover lines, then each section's table."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer, TableStyle

    styles = pdf_styles()
    styles.update({name: ParagraphStyle(name, parent=styles[name], fontSize=9, leading=11)
                   for name in ("cell", "head", "bold")})
    compact = [("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]

    def story(width):
        flowables = [pdf_header(report.agency, styles, width), Spacer(1, 10),
                     Paragraph(pdf_escape(report.title), styles["title"]),
                     *[Paragraph(pdf_escape(line), styles["center"]) for line in report.lines]]
        for section in report.sections:
            flowables.append(Spacer(1, 10))
            if section.heading:
                flowables += [Paragraph(pdf_escape(section.heading), styles["bold"]), Spacer(1, 4)]
            rows = display_rows(section)
            total = sum(c.width for c in section.columns)
            table = pdf_table([[c.label for c in section.columns],
                            [f"({n})" for n in range(1, len(section.columns) + 1)], *[cells for cells, _ in rows]],
                           [c.width / total * width for c in section.columns], styles)
            table.setStyle(TableStyle(compact + [("BACKGROUND", (0, number), (-1, number), colors.lightgrey)
                                                 for number, (_, cancelled) in enumerate(rows, start=2) if cancelled]))
            flowables.append(table)
        return flowables

    return build_pdf(story, landscape_page=True)


FORMATS = {
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "attachment"),
    "pdf": (to_pdf, "application/pdf", "inline"),
}


def file_response(report, fmt) -> HttpResponse:
    """The report as an XLSX download or an inline PDF."""
    write, content_type, disposition = FORMATS[fmt]
    return HttpResponse(write(report), content_type=content_type,
                        headers={"Content-Disposition": f'{disposition}; filename="{report.filename}.{fmt}"'})
