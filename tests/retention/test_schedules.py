import pytest

from accounts.errors import HosoError
from retention.models import RetentionKind, Schedule
from retention.services import (
    STARTER_NAME, export_csv, export_xlsx, format_retention, import_schedule, parse_retention, review_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Vĩnh viễn", (RetentionKind.PERMANENT, None, "")), ("VINH VIEN", (RetentionKind.PERMANENT, None, "")),
     ("05 năm", (RetentionKind.YEARS, 5, "")), ("20", (RetentionKind.YEARS, 20, "")),
     ("Đến khi văn bản hết hiệu lực thi hành",
      (RetentionKind.CONDITIONAL, None, "Đến khi văn bản hết hiệu lực thi hành"))],
)
def test_parse_retention(text, expected):
    assert parse_retention(text) == expected


def test_parse_empty_is_refused():
    with pytest.raises(HosoError):
        parse_retention("  ")


def test_format_and_review_year():
    assert format_retention(RetentionKind.YEARS, 5) == "05 năm"
    assert format_retention(RetentionKind.PERMANENT, None) == "Vĩnh viễn"
    assert review_year(2026, RetentionKind.YEARS, 10) == 2036
    assert review_year(2026, RetentionKind.PERMANENT, None) is None
    assert review_year(2026, RetentionKind.CONDITIONAL, None) is None


def test_starter_schedule_is_shipped_and_labelled_incomplete(db):
    schedule = Schedule.objects.get(agency=None, name=STARTER_NAME)
    assert schedule.incomplete and "chưa đầy đủ" in str(schedule).lower()
    rows = list(schedule.rows.all())
    assert len(rows) == 6
    assert {r.retention_years for r in rows} == {5, 10, 20}
    assert rows[0].title == "Công văn trao đổi về công tác quy hoạch"


def test_csv_and_xlsx_round_trip(db, agency_a):
    source = Schedule.objects.get(name=STARTER_NAME)
    own = Schedule.objects.create(agency=agency_a, name="Bảng thời hạn riêng")
    assert import_schedule(own, export_csv(source), "rows.csv") == 6
    again = Schedule.objects.create(agency=agency_a, name="Bản sao XLSX")
    assert import_schedule(again, export_xlsx(own), "rows.xlsx") == 6
    key = lambda s: [(r.title, r.retention_kind, r.retention_years, r.group) for r in s.rows.all()]  # noqa: E731
    assert key(again) == key(own) == key(source)


def test_conditional_rows_import(db, agency_a):
    own = Schedule.objects.create(agency=agency_a, name="Có điều kiện")
    data = "code,group,title_vi,retention,retention_years,note\n1,Xây dựng,Hồ sơ công trình,Theo tuổi thọ công trình,,\n"
    import_schedule(own, data.encode(), "x.csv")
    row = own.rows.get()
    assert row.retention_kind == RetentionKind.CONDITIONAL and row.retention_label == "Theo tuổi thọ công trình"
