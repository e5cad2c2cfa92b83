"""Registers (Decree 30 Appendix IV) and handling reports: rows and columns, cancelled numbers, XLSX, PDF, API."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.errors import HosoError
from accounts.models import Unit
from casefiles.models import Document
from casefiles.services import create_document
from routing import incoming, outgoing, registers, reports
from routing.models import Incoming, Outgoing, Register, Trace
from tests.conftest import client_for, pdf_bytes

INCOMING_LABELS = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
                   "Tên loại và trích yếu nội dung văn bản", "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận",
                   "Ghi chú"]
OUTGOING_LABELS = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký",
                   "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
                   "Ghi chú"]
DAY = datetime.timedelta(days=1)


def registered(received, people, number):
    item = Incoming.objects.get(document=received(number=number, type_name="Công văn"))
    incoming.register(item, people["clerk"])
    return item


def assigned(received, people, number, lead, deadline=None):
    item = registered(received, people, number)
    incoming.present(item, people["clerk"], leader=people["leader"])
    incoming.assign(item, people["leader"], lead=lead, deadline=deadline or timezone.localdate() + 3 * DAY)
    return item


@pytest.fixture
def incoming_register(received, people):
    """Numbers 1-3: the first assigned and acknowledged, the second cancelled."""
    first = assigned(received, people, "101", people["officer"])
    incoming.acknowledge(first, people["officer"])
    registered(received, people, "102")
    registered(received, people, "103")
    register = Register.objects.get(kind=Register.Kind.INCOMING)
    registers.cancel_number(register.entries.get(number=2), reason="Cấp nhầm số", actor=people["clerk"])
    return register


def test_incoming_register_rows_and_cover(incoming_register, people):
    today = timezone.localdate()
    report = reports.register_report(incoming_register)
    section = report.sections[0]
    assert [c.label for c in section.columns] == INCOMING_LABELS
    assert [row["arrival_number"] for row in section.rows] == [1, 2, 3]
    first, cancelled, third = section.rows
    assert first["arrival_date"] == today and first["author"] == "Sở Khoa học và Công nghệ"
    assert first["number_notation"] == "101/SKHCN-VP"
    assert first["subject"] == "Công văn V/v hướng dẫn đặt tên tệp"
    assert first["recipient"] == "Văn phòng: Vũ Thị Mai" and first["passed_on"] == today
    assert first["receipt"] == f"Đã nhận {today:%d/%m/%Y}" and not first["cancelled"]
    assert cancelled["cancelled"] and "Cấp nhầm số" in cancelled["note"] and "author" not in cancelled
    assert cancelled["arrival_date"] == today
    assert third["recipient"] == "" and third["passed_on"] is None
    assert report.title == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert report.info["from_number"] == 1 and report.info["to_number"] == 3
    assert report.lines == [f"Năm: {today.year}", f"Từ ngày 01/01/{today.year} đến ngày 31/12/{today.year}",
                            "Từ số 1 đến số 3"]


def test_register_period(incoming_register):
    yesterday = timezone.localdate() - DAY
    report = reports.register_report(incoming_register, yesterday, yesterday)
    assert report.sections[0].rows == [] and report.lines[-1] == "Không có số nào trong kỳ"
    with pytest.raises(HosoError) as error:
        reports.register_report(incoming_register, yesterday + DAY, yesterday)
    assert error.value.code == "invalid_period"


def test_outgoing_register(agency_a, people):
    officer = people["officer"]
    document = create_document(agency=agency_a, kind="issued", type_name="Quyết định", code_notation="QĐ-UBND",
                               subject="Phê duyệt kế hoạch chuyển đổi số", issued_amount=5,
                               signer_full_name="Hoàng Văn Lãnh",
                               recipients=[{"organ_name": "Sở Nội vụ"}, {"organ_name": "Sở Tài chính"}],
                               files=[(io.BytesIO(pdf_bytes()), "qd.pdf", "main")])
    item = outgoing.start(document, officer)
    entry = registers.take_number(agency_a, Register.Kind.OUTGOING, document=document)
    Document.objects.filter(pk=document.pk).update(code_number="01", issued_date=timezone.localdate())
    Outgoing.objects.filter(pk=item.pk).update(state="issued", issued_at=timezone.now())
    spoiled = registers.take_number(agency_a, Register.Kind.OUTGOING)
    registers.cancel_number(spoiled, reason="Trùng số")
    report = reports.register_report(entry.register)
    section = report.sections[0]
    assert [c.label for c in section.columns] == OUTGOING_LABELS
    issued, cancelled = section.rows
    assert issued == {
        "number_notation": "01/QĐ-UBND", "issued_date": timezone.localdate(),
        "subject": "Quyết định Phê duyệt kế hoạch chuyển đổi số", "signer": "Hoàng Văn Lãnh",
        "recipients": "Sở Nội vụ; Sở Tài chính", "file_copy": "Văn phòng: Vũ Thị Mai", "copies": 5,
        "sent": timezone.localdate(), "receipt": "", "note": "", "cancelled": False,
    }
    assert cancelled["cancelled"] and cancelled["number_notation"] == "02" and "Trùng số" in cancelled["note"]
    assert report.title == "SỔ ĐĂNG KÝ VĂN BẢN ĐI" and report.lines[-1] == "Từ số 1 đến số 2"


def test_xlsx_has_the_decree_headers_dates_and_widths(incoming_register):
    sheet = load_workbook(io.BytesIO(reports.to_xlsx(reports.register_report(incoming_register)))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(index for index, row in enumerate(rows) if row[0] == "Ngày đến")
    assert list(rows[header]) == INCOMING_LABELS
    assert list(rows[header + 1]) == [f"({n})" for n in range(1, 11)]
    assert rows[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" and rows[0][0] == "Ủy ban nhân dân tỉnh Sơn La"
    data = rows[header + 2:]
    assert [row[1] for row in data] == [1, 2, 3]
    first = sheet.cell(header + 3, 1)
    assert first.value.date() == timezone.localdate() and first.number_format == "DD/MM/YYYY"
    assert "Cấp nhầm số" in data[1][9]
    assert sheet.column_dimensions["F"].width == 30


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_pdf_is_landscape_with_vietnamese_headers(incoming_register):
    data = reports.to_pdf(reports.register_report(incoming_register))
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = pdf_text(data)
    for expected in ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "Ngày đến", "Số đến", "Tác giả", "Ngày chuyển", "Ký nhận", "Ghi chú",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Từ số 1 đến số 3", "Cấp nhầm số", "101/SKHCN-VP"):
        assert expected in text


def counts(section):
    return {row["name"]: tuple(row[k] for k in ("total", "on_time", "late", "pending", "pending_overdue"))
            for row in section.rows}


def test_incoming_handling_counts(agency_a, received, people):
    today = timezone.localdate()
    other_unit = Unit.objects.create(agency=agency_a, name="Phòng Tổng hợp", code="TH")
    people["officer2"].unit = other_unit
    people["officer2"].save()
    on_time = assigned(received, people, "201", people["officer"])
    incoming.acknowledge(on_time, people["officer"])
    incoming.complete(on_time, people["officer"])
    late = assigned(received, people, "202", people["officer"])
    Incoming.objects.filter(pk=late.pk).update(state="completed", deadline=today - 2 * DAY, completed_at=timezone.now())
    assigned(received, people, "203", people["officer2"])
    overdue = assigned(received, people, "204", people["officer2"])
    Incoming.objects.filter(pk=overdue.pk).update(deadline=today - DAY)
    registered(received, people, "205")
    recalled = registered(received, people, "206")
    Incoming.objects.filter(pk=recalled.pk).update(state="recalled")
    received(number="207")  # not registered

    report = reports.handling_report(agency_a, "incoming")
    by_unit, by_person = report.sections
    assert counts(by_unit) == {"Phòng Tổng hợp": (2, 0, 0, 2, 1), "Văn phòng": (2, 1, 1, 0, 0),
                               "(chưa phân công)": (1, 0, 0, 1, 0), "Tổng cộng": (5, 1, 1, 3, 1)}
    assert [row["name"] for row in by_unit.rows] == ["Phòng Tổng hợp", "Văn phòng", "(chưa phân công)", "Tổng cộng"]
    assert counts(by_person) == {"Phan Văn Hợp": (2, 0, 0, 2, 1), "Vũ Thị Mai": (2, 1, 1, 0, 0),
                                 "(chưa phân công)": (1, 0, 0, 1, 0), "Tổng cộng": (5, 1, 1, 3, 1)}
    assert by_unit.columns[2].label == "Giải quyết đúng hạn" and by_person.columns[0].label == "Người chủ trì"
    # a period before any registration counts nothing
    empty = reports.handling_report(agency_a, "incoming", today - 10 * DAY, today - 9 * DAY)
    assert counts(empty.sections[0]) == {"Tổng cộng": (0, 0, 0, 0, 0)}


def test_issue_due_next_working_day():
    friday = datetime.datetime(2026, 3, 6, 15, tzinfo=datetime.UTC)
    assert reports.issue_due(friday, Document.Priority.NORMAL) == datetime.date(2026, 3, 9)
    assert reports.issue_due(friday, Document.Priority.URGENT) == datetime.date(2026, 3, 6)
    assert reports.issue_due(friday - 2 * DAY, Document.Priority.NORMAL) == datetime.date(2026, 3, 5)


def test_outgoing_handling_counts(agency_a, people):
    other_unit = Unit.objects.create(agency=agency_a, name="Phòng Tổng hợp", code="TH")
    people["officer2"].unit = other_unit
    people["officer2"].save()
    today = timezone.localdate()
    friday = today - datetime.timedelta(days=(today.weekday() - 4) % 7 + 7)

    def at(day, hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def draft(drafter, state="draft", signed=None, issued=None, priority=0):
        document = create_document(agency=agency_a, kind="issued", subject=f"Dự thảo {state}", priority=priority,
                                   files=[(io.BytesIO(pdf_bytes(f"{state}{signed}{issued}")), "dt.pdf", "main")])
        item = outgoing.start(document, drafter)
        Outgoing.objects.filter(pk=item.pk).update(state=state, issued_at=issued)
        if signed:
            trace = Trace.objects.create(document=document, actor=people["leader"], action="approve")
            Trace.objects.filter(pk=trace.pk).update(time=signed)
        return item

    draft(people["officer"], "issued", at(friday, 10), at(friday + 3 * DAY, 9))  # Monday: on time
    draft(people["officer"], "issued", at(friday + 3 * DAY, 10), at(friday + 5 * DAY, 9))  # Wednesday: late
    draft(people["officer"], "issued", at(friday, 10), at(friday + 3 * DAY, 9), priority=1)  # urgent: late
    waiting = draft(people["officer2"], "numbered", at(friday + 3 * DAY, 10))  # due Tuesday: overdue
    draft(people["officer2"])
    report = reports.handling_report(agency_a, "outgoing")
    assert counts(report.sections[0]) == {"Phòng Tổng hợp": (2, 0, 0, 2, 1), "Văn phòng": (3, 1, 2, 0, 0),
                                          "Tổng cộng": (5, 1, 2, 2, 1)}
    assert report.title == "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐI"
    assert list(reports.filter_issue_due(Outgoing.objects.all(), "overdue")) == [waiting]
    assert not reports.filter_issue_due(Outgoing.objects.all(), "near").exists()


def test_handling_report_outputs(agency_a, received, people):
    assigned(received, people, "301", people["officer"])
    report = reports.handling_report(agency_a, "incoming")
    book = load_workbook(io.BytesIO(reports.to_xlsx(report)))
    assert book.sheetnames == ["Theo đơn vị chủ trì", "Theo người chủ trì"]
    assert "Giải quyết đúng hạn" in list(book.active.iter_rows(values_only=True))[5]
    text = pdf_text(reports.to_pdf(report))
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN" in text and "Theo người chủ trì" in text


def test_register_report_api(incoming_register, people, clerk_b):
    url = f"/api/v1/registers/{incoming_register.pk}/report/"
    client = client_for(people["officer"])
    data = client.get(url).json()
    assert [c["label"] for c in data["sections"][0]["columns"]] == INCOMING_LABELS
    assert [row["cancelled"] for row in data["sections"][0]["rows"]] == [False, True, False]
    assert data["from_number"] == 1 and data["to_date"] == f"{incoming_register.year}-12-31"
    xlsx = client.get(url, {"as": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
    pdf = client.get(url, {"as": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(url, {"as": "doc"}).status_code == 400
    assert client.get(url, {"from": "31/12/2026"}).json()["from_date"] == "2026-12-31"
    assert client.get(url, {"from": "2026-13-01"}).status_code == 400
    assert client.get(url, {"from": "2026-12-31", "to": "2026-01-01"}).status_code == 400
    assert client_for(clerk_b).get(url).status_code == 404


def test_handling_report_api(received, people):
    registered(received, people, "401")
    url = "/api/v1/reports/handling/"
    data = client_for(people["leader"]).get(url, {"kind": "incoming"}).json()
    assert data["sections"][0]["rows"][-1] == {"name": "Tổng cộng", "total": 1, "on_time": 0, "late": 0,
                                               "pending": 1, "pending_overdue": 0}
    assert client_for(people["leader"]).get(url, {"kind": "outgoing", "as": "pdf"})["Content-Type"] == "application/pdf"
    assert client_for(people["leader"]).get(url).status_code == 400
    assert client_for(people["officer"]).get(url, {"kind": "incoming"}).status_code == 403
