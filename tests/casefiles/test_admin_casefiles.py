"""File plans, case files and their statistics in the Wagtail admin: pages for the right roles, the
agency's objects only (others answer 404), every change through casefiles.plans and casefiles.filing."""

import datetime
import io
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from casefiles import filing, plans
from casefiles.models import CaseFile, FilePlan, PlanAmendment
from retention.models import RetentionKind
from tests.casefiles.conftest import PERMANENT, TEN_YEARS
from tests.casefiles.test_admin import make_document as record
from tests.conftest import PASSWORD, make_person

PLANS, CASE_FILES, STATISTICS = "/admin/file-plans/", "/admin/case-files/", "/admin/case-file-statistics/"
TODAY = timezone.localdate()


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def refused(response):
    """Wagtail answers a permission refusal with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def body(response):
    return b"".join(response.streaming_content)


def inspect(prefix, obj):
    return f"{prefix}inspect/{obj.pk}/"


@pytest.fixture
def leader_a(agency_a):
    return make_person(agency_a, "Hoàng Văn Lãnh", Role.LEADER)


@pytest.fixture
def archivist_a(agency_a):
    return make_person(agency_a, "Trịnh Thu Lưu", Role.ARCHIVIST)


@pytest.fixture
def officer_a(agency_a):
    return make_person(agency_a, "Vũ Thị Mai", Role.OFFICER)


@pytest.fixture
def this_year_plan(agency_a, clerk_a, leader_a):
    """This year's approved plan: I. Tổ chức cán bộ (TCCB) with a sub-heading, II. Văn phòng (VP)."""
    plan = plans.create_plan(agency_a, TODAY.year)
    tccb = plans.add_heading(plan, "Tổ chức cán bộ", abbreviation="TCCB")
    hiring = plans.add_heading(plan, "Tuyển dụng", parent=tccb)
    plans.add_item(plan, tccb, "Hồ sơ xây dựng quy chế làm việc", retention=PERMANENT, creator=clerk_a)
    plans.add_item(plan, hiring, "Hồ sơ tuyển dụng công chức", retention=TEN_YEARS, creator_name="Lê Văn Bình",
                   note="Phòng TCCB")
    plans.add_item(plan, plans.add_heading(plan, "Văn phòng", abbreviation="VP"), "Tập công văn đi",
                   retention=(RetentionKind.YEARS, 5, ""))
    return plans.approve_plan(plan, decision_number="12/QĐ-UBND", decision_date=TODAY.replace(month=1, day=2),
                              actor=leader_a)


def closed_file(agency, creator, notation, end_date, document):
    case_file = filing.open_case_file(agency=agency, title=f"Hồ sơ {notation}", file_notation=notation,
                                      retention_kind=RetentionKind.YEARS, retention_years=10, creator=creator,
                                      start_date=end_date - datetime.timedelta(days=30))
    filing.add_document(case_file, document)
    return filing.close_case_file(case_file, end_date=end_date, retention_confirmed=True)


# --- Menu and roles ---------------------------------------------------------------------------------


def test_menu_lists_the_pages_statistics_for_those_who_oversee(clerk_a, leader_a):
    clerk_menu = html(login(clerk_a).get("/admin/"))
    assert PLANS in clerk_menu and CASE_FILES in clerk_menu and STATISTICS not in clerk_menu
    assert STATISTICS in html(login(leader_a).get("/admin/"))
    assert refused(login(clerk_a).get(STATISTICS))


# --- File plans --------------------------------------------------------------------------------------


def test_plan_list_and_tree(clerk_a, this_year_plan):
    client = login(clerk_a)
    assert str(TODAY.year) in html(client.get(PLANS))
    page = html(client.get(inspect(PLANS, this_year_plan)))
    for text in ("I. Tổ chức cán bộ (TCCB)", "1. Tuyển dụng", "II. Văn phòng (VP)", "01.TCCB", "02.TCCB", "03.VP",
                 "Hồ sơ tuyển dụng công chức", "Vĩnh viễn", "10 năm", "05 năm", "Lê Văn Bình", "Phòng TCCB",
                 "12/QĐ-UBND"):
        assert text in page, text
    assert f"{CASE_FILES}new/?plan_item=" in page  # approved, this year's: files can be started


def test_create_plan_then_headings_and_items(clerk_a, agency_a):
    client = login(clerk_a)
    response = client.post(f"{PLANS}new/", {"year": 2031, "numbering": "continuous"})
    plan = FilePlan.objects.get(agency=agency_a, year=2031)
    assert response.status_code == 302 and response["Location"] == inspect(PLANS, plan)
    url = inspect(PLANS, plan)
    client.post(url, {"action": "add_heading", "add_heading-title": "Kế hoạch - Tài chính",
                      "add_heading-abbreviation": "khtc"})
    top = plan.headings.get()
    assert (top.abbreviation, top.label) == ("KHTC", "I")
    client.post(url, {"action": "add_heading", "add_heading-title": "Dự toán", "add_heading-parent": top.pk})
    sub = plan.headings.get(parent=top)
    response = client.post(url, {"action": "add_item", "add_item-heading": sub.pk,
                                 "add_item-title": "Hồ sơ dự toán ngân sách", "add_item-retention_kind": "years",
                                 "add_item-retention_years": 20, "add_item-creator": clerk_a.pk})
    assert response.status_code == 302
    item = plan.items.get()
    assert (item.file_notation, item.retention_label, item.creator_name) == ("01.KHTC", "20 năm", clerk_a.full_name)
    # A service's refusal comes back on the form: a top heading needs an abbreviation.
    page = html(client.post(url, {"action": "add_heading", "add_heading-title": "Không viết tắt"}))
    assert "Đề mục lớn cần tên viết tắt" in page and plan.headings.count() == 2
    # The same year twice: refused by the service, shown on the form.
    assert "Đã có danh mục hồ sơ năm 2031" in html(client.post(f"{PLANS}new/", {"year": 2031,
                                                                                 "numbering": "continuous"}))


def test_officers_only_read_plans(officer_a, this_year_plan):
    client = login(officer_a)
    page = html(client.get(inspect(PLANS, this_year_plan)))
    assert 'value="add_item"' not in page and 'value="approve"' not in page
    assert refused(client.post(inspect(PLANS, this_year_plan), {"action": "add_heading", "add_heading-title": "X",
                                                                "add_heading-abbreviation": "X"}))
    assert refused(client.get(f"{PLANS}new/")) and this_year_plan.headings.count() == 3


def test_approval_by_leaders_and_amendments_with_a_reason(plan, clerk_a, leader_a):
    url = inspect(PLANS, plan)
    decision = {"action": "approve", "approve-decision_number": "15/QĐ-UBND", "approve-decision_date": "2026-01-05"}
    assert 'value="approve"' not in html(login(clerk_a).get(url))
    assert refused(login(clerk_a).post(url, decision))
    plan.refresh_from_db()
    assert not plan.is_approved
    assert login(leader_a).post(url, decision).status_code == 302
    plan.refresh_from_db()
    assert plan.is_approved and plan.decision_number == "15/QĐ-UBND" and plan.approved_by == leader_a

    heading = plan.headings.get(abbreviation="TCCB")
    item = {"action": "add_item", "add_item-heading": heading.pk, "add_item-title": "Hồ sơ thi nâng ngạch",
            "add_item-retention_kind": "permanent"}
    client = login(clerk_a)
    page = html(client.post(url, item))
    assert "phải ghi lý do điều chỉnh" in page and plan.items.count() == 3
    assert client.post(url, {**item, "add_item-reason": "Bổ sung theo Quyết định 30/QĐ-UBND"}).status_code == 302
    assert plan.items.count() == 4
    amendment = PlanAmendment.objects.get(plan=plan)
    assert amendment.reason == "Bổ sung theo Quyết định 30/QĐ-UBND" and amendment.actor == clerk_a
    assert "Bổ sung theo Quyết định 30/QĐ-UBND" in html(client.get(url))


def test_copy_last_years_plan_and_downloads(plan, clerk_a):
    client = login(clerk_a)
    response = client.post(inspect(PLANS, plan), {"action": "copy", "copy-year": 2027})
    copy = FilePlan.objects.get(agency=plan.agency, year=2027)
    assert response["Location"] == inspect(PLANS, copy)
    assert copy.status == FilePlan.Status.DRAFT and copy.items.count() == plan.items.count()

    pdf = client.get(f"{PLANS}{plan.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and body(pdf).startswith(b"%PDF")
    xlsx = client.get(f"{PLANS}{plan.pk}/xlsx/")
    assert "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(body(xlsx))).active
    assert "01.TCCB" in [row[0] for row in sheet.iter_rows(values_only=True)]


def test_import_excel_into_an_empty_draft(plan, clerk_a, agency_a):
    empty = plans.create_plan(agency_a, 2030)
    client = login(clerk_a)
    workbook = io.BytesIO(plans.export_xlsx(plan))
    workbook.name = "danh-muc.xlsx"
    response = client.post(inspect(PLANS, empty), {"action": "import_xlsx", "import_xlsx-file": workbook})
    assert response.status_code == 302
    assert sorted(empty.items.values_list("file_notation", flat=True)) == ["01.TCCB", "02.TCCB", "03.KHTC"]
    # Not into a plan that has items.
    workbook.seek(0)
    page = html(client.post(inspect(PLANS, empty), {"action": "import_xlsx", "import_xlsx-file": workbook}))
    assert "Chỉ nhập vào danh mục dự thảo còn trống" in page and empty.items.count() == 3


# --- Tenancy -----------------------------------------------------------------------------------------


def test_another_agencys_plans_and_case_files_answer_404(clerk_b, plan, open_file, make_document):
    document = make_document()
    client = login(clerk_b)
    for url in (inspect(PLANS, plan), f"{PLANS}{plan.pk}/pdf/", f"{PLANS}{plan.pk}/xlsx/",
                inspect(CASE_FILES, open_file), f"{CASE_FILES}{open_file.pk}/documents/", f"{CASE_FILES}{open_file.pk}/document-list.pdf",
                f"{CASE_FILES}{open_file.pk}/document-list.xml", f"{CASE_FILES}{open_file.pk}/export.zip"):
        assert client.get(url).status_code == 404, url
    assert client.post(inspect(PLANS, plan), {"action": "add_heading", "add_heading-title": "X",
                                              "add_heading-abbreviation": "X"}).status_code == 404
    assert client.post(inspect(CASE_FILES, open_file), {"action": "add_document",
                                                        "add_document-document": document.pk}).status_code == 404
    assert plan.headings.count() == 3 and not open_file.entries.exists()
    assert "Danh mục hồ sơ năm 2026" not in html(client.get(PLANS))
    assert open_file.title not in html(client.get(f"{CASE_FILES}?scope=agency"))


def test_another_agencys_document_cannot_be_filed(clerk_a, clerk_b, open_file):
    theirs = record(clerk_b.agency, clerk_b, subject="Kế hoạch của Sở")
    response = login(clerk_a).post(inspect(CASE_FILES, open_file), {"action": "add_document",
                                                                    "add_document-document": theirs.pk})
    assert response.status_code == 200 and not open_file.entries.exists()


# --- Opening case files --------------------------------------------------------------------------------


def test_open_from_an_item_of_this_years_approved_plan(clerk_a, this_year_plan):
    item = this_year_plan.items.get(file_notation="02.TCCB")
    client = login(clerk_a)
    form = html(client.get(f"{CASE_FILES}new/?plan_item={item.pk}"))
    assert f'<option value="{item.pk}" selected>' in form and "02.TCCB — Hồ sơ tuyển dụng công chức" in form
    response = client.post(f"{CASE_FILES}new/", {"plan_item": item.pk, "start_date": TODAY.isoformat()})
    case_file = CaseFile.objects.get(plan_item=item)
    assert response["Location"] == inspect(CASE_FILES, case_file)
    assert (case_file.file_notation, case_file.title, case_file.retention_label, case_file.year) == (
        "02.TCCB", "Hồ sơ tuyển dụng công chức", "10 năm", TODAY.year)
    assert case_file.creator == clerk_a and case_file.creator_name == clerk_a.full_name
    # Once opened, the item is no longer offered.
    assert "02.TCCB — " not in html(client.get(f"{CASE_FILES}new/"))


def test_open_ad_hoc_needs_the_article_29_fields(clerk_a, agency_a):
    client = login(clerk_a)
    page = html(client.post(f"{CASE_FILES}new/", {"title": "Hồ sơ đoàn kiểm tra", "start_date": "2026-03-02"}))
    assert "Hồ sơ ngoài danh mục cần tiêu đề" in page and not CaseFile.objects.exists()
    response = client.post(f"{CASE_FILES}new/", {
        "title": "Hồ sơ đoàn kiểm tra công tác văn thư", "file_notation": "15.VP", "retention_kind": "years",
        "retention_years": 10, "start_date": "2026-03-02"})
    case_file = CaseFile.objects.get(agency=agency_a)
    assert response.status_code == 302 and case_file.file_code == "000.00.01.H53.2026.15.VP"
    assert case_file.rights.code and case_file.creator == clerk_a


# --- My case files -------------------------------------------------------------------------------------


def test_my_case_files_tabs_and_the_agency_list(clerk_a, officer_a, archivist_a, agency_a, open_file, make_document):
    due_soon = closed_file(agency_a, clerk_a, "01.DUE", filing.add_months(TODAY, -12) + datetime.timedelta(days=10),
                           make_document("Công văn sắp đến hạn", issued=TODAY - datetime.timedelta(days=400)))
    overdue = closed_file(agency_a, clerk_a, "02.OLD", datetime.date(2020, 5, 4),
                          make_document("Công văn cũ", issued=datetime.date(2020, 4, 20)))
    theirs = filing.open_case_file(agency=agency_a, title="Hồ sơ của chuyên viên", file_notation="09.VP",
                                   retention_kind=RetentionKind.PERMANENT, creator=officer_a, start_date=TODAY)
    client = login(clerk_a)

    def listed(**params):
        page = html(client.get(CASE_FILES, params))
        return {c.file_notation for c in (open_file, due_soon, overdue, theirs) if c.title in page}

    assert listed() == {"05.VP", "01.DUE", "02.OLD"}
    assert listed(tab="open") == {"05.VP"}
    assert listed(tab="closed") == {"01.DUE", "02.OLD"}
    assert listed(tab="due") == {"01.DUE"}
    assert listed(tab="overdue") == {"02.OLD"}
    assert listed(scope="agency") == {"05.VP", "01.DUE", "02.OLD"}  # the clerk sees only her own
    page = html(login(archivist_a).get(CASE_FILES, {"scope": "agency"}))
    assert all(c.title in page for c in (open_file, due_soon, overdue, theirs)) and officer_a.full_name in page
    assert "Hồ sơ của chuyên viên" in html(login(officer_a).get(CASE_FILES))


# --- A case file's page ----------------------------------------------------------------------------------


def test_case_file_page_files_removes_closes_and_refuses_changes_once_closed(clerk_a, open_file, make_document):
    later = make_document("Báo cáo kết quả hội nghị", issued=datetime.date(2026, 1, 20), pages=3,
                          code_number="125", code_notation="BC-UBND")
    earlier = make_document("Kế hoạch tổ chức hội nghị", issued=datetime.date(2026, 1, 6), pages=2,
                            code_number="7", code_notation="KH-UBND")
    duplicate = make_document("Bản trùng", issued=datetime.date(2026, 1, 7))
    client, url = login(clerk_a), inspect(CASE_FILES, open_file)
    page = html(client.get(url))
    assert open_file.file_code in page and "10 năm" in page and "✗" in page

    picker = html(client.get(f"{CASE_FILES}{open_file.pk}/documents/", {"q": "125/BC"}))
    assert later.subject in picker and earlier.subject not in picker and 'value="add_document"' in picker
    for document in (later, earlier, duplicate):
        assert client.post(url, {"action": "add_document", "add_document-document": document.pk}).status_code == 302
    picker = html(client.get(f"{CASE_FILES}{open_file.pk}/documents/"))
    assert duplicate.subject in picker and 'value="add_document"' not in picker  # all filed already

    page = html(client.post(url, {"action": "remove_document", "remove_document-document": duplicate.pk}))
    assert "Cần nêu lý do rút văn bản" in page and open_file.entries.count() == 3
    client.post(url, {"action": "remove_document", "remove_document-document": duplicate.pk,
                      "remove_document-reason": "Bản trùng"})
    assert open_file.entries.count() == 2

    page = html(client.get(url))
    assert f"{open_file.file_code}.001" in page and f"/admin/records/inspect/{later.pk}/" in page
    close = {"action": "close", "close-end_date": "2026-01-31", "close-retention_kind": "years",
             "close-retention_years": 10}
    page = html(client.post(url, close))
    assert "Hồ sơ chưa đủ điều kiện kết thúc" in page
    open_file.refresh_from_db()
    assert not open_file.is_closed
    assert client.post(url, {**close, "close-retention_confirmed": "on"}).status_code == 302
    open_file.refresh_from_db()
    assert open_file.is_closed and open_file.end_date == datetime.date(2026, 1, 31) and open_file.page_total == 5
    # Final ordinals follow the chronology: the plan of the meeting first.
    assert [e.document_id for e in open_file.entries.order_by("ordinal")] == [earlier.pk, later.pk]

    page = html(client.post(url, {"action": "add_document", "add_document-document": duplicate.pk}))
    assert "Hồ sơ đã kết thúc, không được thay đổi" in page and open_file.entries.count() == 2
    assert 'value="close"' not in html(client.get(url))


def test_reopen_by_authorised_roles_and_hold_back(clerk_a, archivist_a, open_file, make_document):
    filing.add_document(open_file, make_document())
    filing.close_case_file(open_file, end_date=datetime.date(2026, 3, 31), retention_confirmed=True)
    url = inspect(CASE_FILES, open_file)
    assert 'value="reopen"' not in html(login(clerk_a).get(url))
    page = html(login(clerk_a).post(url, {"action": "reopen", "reopen-reason": "Bổ sung"}))
    assert "Bạn không có quyền mở lại hồ sơ" in page

    client = login(archivist_a)
    page = html(client.post(url, {"action": "hold_back", "hold_back-until": "2031-01-01",
                                  "hold_back-approval": "Công văn 12/UBND-VP"}))
    assert "Chỉ được giữ lại tối đa" in page
    client.post(url, {"action": "hold_back", "hold_back-until": "2028-03-31",
                      "hold_back-approval": "Công văn 12/UBND-VP"})
    open_file.refresh_from_db()
    assert open_file.held_until == datetime.date(2028, 3, 31)
    assert "Công văn 12/UBND-VP" in html(client.get(url))

    assert client.post(url, {"action": "reopen", "reopen-reason": "Bổ sung văn bản còn thiếu"}).status_code == 302
    open_file.refresh_from_db()
    assert not open_file.is_closed


def test_case_file_downloads(clerk_a, open_file, make_document):
    filing.add_document(open_file, make_document(code_number="12", code_notation="CV-UBND"))
    client = login(clerk_a)
    pdf = client.get(f"{CASE_FILES}{open_file.pk}/document-list.pdf")
    assert pdf["Content-Type"] == "application/pdf" and body(pdf).startswith(b"%PDF")
    xml = body(client.get(f"{CASE_FILES}{open_file.pk}/document-list.xml")).decode()
    assert f"<FileCode>{open_file.file_code}</FileCode>" in xml and "<CodeNumber>12</CodeNumber>" in xml
    package = client.get(f"{CASE_FILES}{open_file.pk}/export.zip")
    assert package["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(body(package))).namelist()
    assert {"metadata.xml", "metadata.json", "muc-luc-van-ban.pdf", "manifest-sha256.txt"} <= set(names)


# --- Statistics ----------------------------------------------------------------------------------------------


def test_statistics_per_person_and_unit_with_excel(leader_a, clerk_a, officer_a, agency_a, open_file, make_document):
    filing.add_document(open_file, make_document(pages=4))
    filing.add_document(open_file, make_document("Công văn thứ hai", pages=1))
    filing.open_case_file(agency=agency_a, title="Hồ sơ năm trước", file_notation="01.VP",
                          retention_kind=RetentionKind.PERMANENT, creator=officer_a,
                          start_date=datetime.date(2025, 6, 1))
    client = login(leader_a)
    page = html(client.get(STATISTICS, {"year": 2026}))
    assert clerk_a.full_name in page and "Hồ sơ năm trước" not in page and officer_a.full_name not in page
    assert agency_a.units.get().name in page  # the unit of the file's creator
    workbook = load_workbook(io.BytesIO(body(client.get(f"{STATISTICS}xlsx/", {"year": 2026}))))
    rows = [row for row in workbook.active.iter_rows(values_only=True) if any(row)]
    assert (clerk_a.full_name, 1, 0, 2, 5) in rows
    assert html(client.get(STATISTICS, {"year": 2025})).count(officer_a.full_name) == 1
