
import pytest

from casefiles import plans
from retention.models import RetentionKind

TEN_YEARS = (RetentionKind.YEARS, 10, "")
PERMANENT = (RetentionKind.PERMANENT, None, "")


@pytest.fixture
def plan(agency_a, clerk_a):
    plan = plans.create_plan(agency_a, 2026)
    tccb = plans.add_heading(plan, "Tổ chức cán bộ", abbreviation="TCCB")
    sub = plans.add_heading(plan, "Tuyển dụng", parent=tccb)
    plans.add_item(plan, tccb, "Hồ sơ xây dựng quy chế làm việc", retention=PERMANENT, creator=clerk_a)
    plans.add_item(plan, sub, "Hồ sơ tuyển dụng công chức năm 2026", retention=TEN_YEARS, creator_name="Lê Văn B")
    kh = plans.add_heading(plan, "Kế hoạch - Tài chính", abbreviation="KHTC")
    plans.add_item(plan, kh, "Hồ sơ dự toán ngân sách năm 2026", retention=(RetentionKind.YEARS, 20, ""),
                   creator=clerk_a)
    return plan
