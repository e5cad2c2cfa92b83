import datetime
import io

import pytest

from casefiles import filing, plans
from casefiles.services import create_document
from retention.models import RetentionKind
from tests.conftest import pdf_bytes

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


@pytest.fixture
def make_document(agency_a):
    def make(subject="Công văn về việc báo cáo", issued=datetime.date(2026, 3, 5), pages=2, **fields):
        return create_document(agency=agency_a, subject=subject, issued_date=issued, page_amount=pages,
                               files=[(io.BytesIO(pdf_bytes(subject)), f"{subject}.pdf", "main")], **fields)
    return make


@pytest.fixture
def open_file(agency_a, clerk_a):
    return filing.open_case_file(
        agency=agency_a, actor=clerk_a, title="Hồ sơ hội nghị cán bộ công chức năm 2026", file_notation="05.VP",
        retention_kind=RetentionKind.YEARS, retention_years=10, creator=clerk_a,
        start_date=datetime.date(2026, 1, 5),
    )
