import datetime

import pytest

from accounts.errors import HosoError
from casefiles import plans
from casefiles.models import FilePlan, PlanAmendment
from tests.casefiles.conftest import TEN_YEARS


def test_continuous_numbering_and_symbols(plan):
    assert [i.file_notation for i in plan.items.order_by("number")] == ["01.TCCB", "02.TCCB", "03.KHTC"]


def test_numbering_restarting_per_heading(agency_a):
    plan = plans.create_plan(agency_a, 2027, numbering=FilePlan.Numbering.PER_HEADING)
    a = plans.add_heading(plan, "Tổ chức cán bộ", abbreviation="TCCB")
    b = plans.add_heading(plan, "Văn phòng", abbreviation="VP")
    sub = plans.add_heading(plan, "Hành chính", parent=b)
    items = [plans.add_item(plan, h, f"Hồ sơ {n}", retention=TEN_YEARS) for n, h in enumerate([a, a, b, sub])]
    assert [i.file_notation for i in items] == ["01.TCCB", "02.TCCB", "01.VP", "02.VP"]
    assert [h.label for h in (a, b, sub)] == ["I", "II", "1"]


def test_top_heading_needs_abbreviation(agency_a):
    plan = plans.create_plan(agency_a, 2027)
    with pytest.raises(HosoError):
        plans.add_heading(plan, "Không viết tắt")


def test_approved_plan_changes_only_by_logged_amendment(plan, admin_a):
    plans.approve_plan(plan, decision_number="12/QĐ-UBND", decision_date=datetime.date(2026, 1, 2), actor=admin_a)
    heading = plan.headings.get(abbreviation="TCCB")
    with pytest.raises(HosoError) as err:
        plans.add_item(plan, heading, "Hồ sơ mới", retention=TEN_YEARS)
    assert err.value.code == "plan_approved"
    item = plans.add_item(plan, heading, "Hồ sơ mới", retention=TEN_YEARS, actor=admin_a,
                          reason="Bổ sung theo Quyết định 30/QĐ-UBND")
    assert item.file_notation == "04.TCCB"
    amendment = PlanAmendment.objects.get(plan=plan)
    assert amendment.reason.startswith("Bổ sung") and amendment.change["added_item"] == "04.TCCB"
    with pytest.raises(HosoError):
        plans.change_item(item, title="Sửa")
    plans.change_item(item, title="Sửa tên", reason="Đính chính", actor=admin_a)
    assert PlanAmendment.objects.filter(plan=plan).count() == 2


def test_approval_needs_decision(plan):
    with pytest.raises(HosoError) as err:
        plans.approve_plan(plan, decision_number="", decision_date=None)
    assert err.value.code == "decision_required"


def test_copy_last_years_plan(plan):
    plans.approve_plan(plan, decision_number="1/QĐ", decision_date=datetime.date(2026, 1, 2))
    new = plans.copy_plan(plan, 2027)
    assert new.status == FilePlan.Status.DRAFT and new.year == 2027
    assert [(i.file_notation, i.title, i.heading.title) for i in new.items.order_by("number")] == [
        (i.file_notation, i.title, i.heading.title) for i in plan.items.order_by("number")]
    assert new.headings.filter(parent__isnull=False).get().parent.plan_id == new.pk


def test_xlsx_round_trip(plan, agency_a):
    data = plans.export_xlsx(plan)
    other = plans.create_plan(agency_a, 2030)
    assert plans.import_xlsx(other, data) == 3
    assert [r[0] if r[0] == "heading" else ("item", r[1].file_notation, r[1].title, r[1].retention_label,
                                            r[1].creator_name) for r in plans.plan_rows(other)] == [
        r[0] if r[0] == "heading" else ("item", r[1].file_notation, r[1].title, r[1].retention_label,
                                        r[1].creator_name) for r in plans.plan_rows(plan)]
    assert [(r[1], r[2]) for r in plans.plan_rows(other) if r[0] == "heading"] == [
        (r[1], r[2]) for r in plans.plan_rows(plan) if r[0] == "heading"]


def test_xlsx_garbage_is_refused(agency_a):
    with pytest.raises(HosoError) as err:
        plans.import_xlsx(plans.create_plan(agency_a, 2031), b"not a workbook")
    assert err.value.code == "xlsx_unreadable"


def test_counts(plan):
    assert plans.plan_counts(plan) == (3, 1, 2)
