"""Retention arithmetic and schedule import/export (CSV and XLSX)."""

import csv
import io
import re
from pathlib import Path

from django.db import transaction

from accounts.errors import HosoError
from hoso.text import fold

from .models import RetentionKind, Schedule, ScheduleRow

PERMANENT_WORDS = {"vinh vien", "permanent"}
STARTER_CSV = Path(__file__).resolve().parent / "data" / "retention_schedule_tt10_2022_partial.csv"
STARTER_NAME = "Thời hạn bảo quản tài liệu chung (Thông tư 10/2022/TT-BNV) — CHƯA ĐẦY ĐỦ"
COLUMNS = ["code", "group", "title_vi", "retention", "retention_years", "note"]


def format_retention(kind, years, condition=""):
    """'Vĩnh viễn', '05 năm' or the condition in words."""
    if kind == RetentionKind.PERMANENT:
        return "Vĩnh viễn"
    if kind == RetentionKind.YEARS and years:
        return f"{years:02d} năm"
    return condition or ""


def parse_retention(text, years=None):
    """'Vĩnh viễn' -> permanent; '05 năm' / '10' -> years; anything else -> a conditional rule."""
    text = (text or "").strip()
    folded = fold(text)
    if folded in PERMANENT_WORDS:
        return RetentionKind.PERMANENT, None, ""
    if years not in (None, ""):
        return RetentionKind.YEARS, int(years), ""
    match = re.fullmatch(r"(\d{1,3})\s*(nam)?", folded)
    if match:
        return RetentionKind.YEARS, int(match.group(1)), ""
    if not text:
        raise HosoError("Thiếu thời hạn bảo quản.", code="retention_missing")
    return RetentionKind.CONDITIONAL, None, text[:300]


def check_retention(kind, years, condition):
    if kind == RetentionKind.YEARS and not years:
        raise HosoError("Thời hạn bảo quản theo năm cần số năm.", code="retention_years_missing")
    if kind == RetentionKind.CONDITIONAL and not condition:
        raise HosoError("Thời hạn bảo quản có điều kiện cần mô tả điều kiện.", code="retention_condition_missing")


def review_year(end_year, kind, years):
    """The year a time-limited file comes up for review: end year + N. None when permanent or conditional."""
    if kind != RetentionKind.YEARS or not years or not end_year:
        return None
    return end_year + years


def _rows_from_table(rows):
    """Rows of dicts with the COLUMNS keys -> ScheduleRow field dicts."""
    result = []
    for number, row in enumerate(rows, start=1):
        title = (row.get("title_vi") or row.get("title") or "").strip()
        if not title:
            continue
        try:
            kind, years, condition = parse_retention(row.get("retention"), row.get("retention_years"))
        except (HosoError, ValueError) as exc:
            raise HosoError(f"Dòng {number}: thời hạn bảo quản không hợp lệ.", code="schedule_row_invalid",
                            detail={"row": number}) from exc
        result.append({
            "code": (row.get("code") or "").strip()[:30], "group": (row.get("group") or "").strip()[:300],
            "title": title[:500], "retention_kind": kind, "retention_years": years,
            "retention_condition": condition, "note": (row.get("note") or "").strip(), "ordinal": number,
        })
    return result


def read_table(data: bytes, filename: str):
    """CSV (UTF-8) or XLSX bytes -> list of dicts keyed by the header row."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        header, body = values[0], values[1:]
        return [dict(zip(header, row)) for row in body]
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@transaction.atomic
def import_schedule(schedule, data: bytes, filename: str, replace=True):
    rows = _rows_from_table(read_table(data, filename))
    if replace:
        schedule.rows.all().delete()
    ScheduleRow.objects.bulk_create(ScheduleRow(schedule=schedule, **row) for row in rows)
    return len(rows)


def export_rows(schedule):
    for row in schedule.rows.all():
        yield [row.code, row.group, row.title, format_retention(row.retention_kind, row.retention_years,
                                                                row.retention_condition),
               row.retention_years or "", row.note]


def export_csv(schedule) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(export_rows(schedule))
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(schedule) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thoi han bao quan"
    sheet.append(COLUMNS)
    for row in export_rows(schedule):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ensure_starter_schedule():
    """The common schedule with the confirmed rows of Circular 10/2022, labelled incomplete."""
    schedule, created = Schedule.objects.get_or_create(
        agency=None, name=STARTER_NAME,
        defaults={"source": "Thông tư 10/2022/TT-BNV", "incomplete": True,
                  "note": "Chỉ gồm các dòng đã xác nhận; cần bổ sung theo văn bản chính thức."},
    )
    if created:
        import_schedule(schedule, STARTER_CSV.read_bytes(), STARTER_CSV.name)
    return schedule
