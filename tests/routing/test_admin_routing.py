"""The routing staff pages in the Wagtail admin: my work per role, lists, item pages whose forms move the
state machines, dashboard, delegations, reports, signing keys, and the agency scope (404)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from casefiles import filing
from casefiles.models import Document
from retention.models import RetentionKind
from routing import incoming
from routing import outgoing as flow
from routing.models import Delegation, Incoming, Register, SigningKey, Trace
from tests.conftest import PASSWORD
from tests.routing.conftest import p12
from tests.routing.test_outgoing import new_draft

BASE = "/admin/routing/"


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def html(user, path, **params):
    response = login(user).get(BASE + path, params)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def act(user, kind, item, action, **data):
    """Post one action form of an item page (its fields are prefixed with the action's name)."""
    return login(user).post(f"{BASE}{kind}/{item.pk}/{action}/", {f"{action}-{k}": v for k, v in data.items()},
                            follow=True)


def url_of(kind, item):
    return f"{BASE}{kind}/{item.pk}/"


def state(item):
    item.refresh_from_db()
    return item.state


def open_case_file(agency, person):
    return filing.open_case_file(agency=agency, title="Hồ sơ công văn năm 2026", file_notation="01.VP",
                                 retention_kind=RetentionKind.YEARS, retention_years=10, creator=person,
                                 start_date=timezone.localdate())


def test_my_work_follows_the_document_from_role_to_role(received, people, agency_a):
    item = Incoming.objects.get(document=received(number="501"))
    queue = html(people["clerk"], "")
    assert url_of("incoming", item) in queue and "Văn bản đã nhận, cần vào sổ" in queue
    assert url_of("incoming", item) not in html(people["leader"], "")
    incoming.register(item, people["clerk"])
    incoming.present(item, people["clerk"], leader=people["leader"])
    assert url_of("incoming", item) in html(people["leader"], "")
    assert url_of("incoming", item) not in html(people["officer"], "")
    incoming.assign(item, people["leader"], lead=people["officer"], co_handlers=[people["officer2"]])
    assert url_of("incoming", item) not in html(people["leader"], "")
    assert url_of("incoming", item) in html(people["officer"], "")
    assert url_of("incoming", item) in html(people["officer2"], "")

    draft = new_draft(agency_a, people["officer"])
    assert url_of("outgoing", draft) in html(people["officer"], "")  # my drafts
    flow.consult(draft, people["officer"], people=[people["officer2"]])
    assert url_of("outgoing", draft) in html(people["officer2"], "")
    flow.answer(draft, people["officer2"], comment="Nhất trí")
    assert url_of("outgoing", draft) not in html(people["officer2"], "")
    flow.submit(draft, people["officer"], unit_head=people["unit_head"])
    assert url_of("outgoing", draft) in html(people["unit_head"], "")
    flow.initial(draft, people["unit_head"], signer=people["leader"])
    assert url_of("outgoing", draft) in html(people["leader"], "")
    assert "Không có việc nào đang chờ bạn." in html(people["archivist"], "")


def test_lists_filter_by_state_and_deadline(received, people):
    waiting = Incoming.objects.get(document=received(number="511"))
    late = Incoming.objects.get(document=received(number="512"))
    incoming.register(late, people["clerk"])
    incoming.present(late, people["clerk"], leader=people["leader"])
    incoming.assign(late, people["leader"], lead=people["officer"])
    Incoming.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    listed = html(people["officer"], "incoming/")
    assert url_of("incoming", waiting) in listed and url_of("incoming", late) in listed
    received_only = html(people["officer"], "incoming/", state="received")
    assert url_of("incoming", waiting) in received_only and url_of("incoming", late) not in received_only
    overdue = html(people["officer"], "incoming/", due="overdue")
    assert url_of("incoming", late) in overdue and url_of("incoming", waiting) not in overdue
    assert url_of("incoming", late) not in html(people["officer"], "incoming/", due="near")
    assert url_of("incoming", late) in html(people["officer"], "incoming/", q="512")
    assert "Không có văn bản nào." in html(people["officer"], "outgoing/", state="issued")


def test_incoming_actions_through_the_ui(received, people, agency_a):
    first = Incoming.objects.get(document=received(number="601"))
    act(people["clerk"], "incoming", first, "register")
    assert state(first) == "registered" and Document.objects.get(pk=first.document_id).arrival_number == 1

    twin = Incoming.objects.get(document=received(number="601"))
    page = html(people["clerk"], f"incoming/{twin.pk}/")
    assert f"/admin/records/inspect/{first.document_id}/" in page and 'id="action-register"' in page
    warned = act(people["clerk"], "incoming", twin, "register").content.decode()
    assert "Văn bản có thể trùng với văn bản đã đăng ký." in warned and state(twin) == "received"
    act(people["clerk"], "incoming", twin, "register", accept_duplicate="on")
    assert state(twin) == "registered"

    page = html(people["clerk"], f"incoming/{first.pk}/")
    assert 'id="action-present"' in page and 'id="action-assign"' not in page
    assert f"/admin/records/inspect/{first.document_id}/" in page
    act(people["clerk"], "incoming", first, "present", leader=people["leader"].pk, comment="Kính trình")
    assert state(first) == "presented"
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    denied = act(people["officer"], "incoming", first, "assign", lead=people["officer"].pk).content.decode()
    assert "Bạn không có quyền thực hiện bước này." in denied and state(first) == "presented"
    act(people["leader"], "incoming", first, "assign", lead=people["officer"].pk,
        co_handlers=[people["officer2"].pk], deadline=deadline.strftime("%d/%m/%Y"), instruction="Xử lý ngay")
    assert state(first) == "assigned" and first.deadline == deadline and first.handlers.count() == 2

    page = html(people["officer2"], f"incoming/{first.pk}/")
    assert 'id="action-acknowledge"' in page and 'id="action-comment"' in page and 'id="action-complete"' not in page
    act(people["officer"], "incoming", first, "acknowledge")
    assert state(first) == "in_progress"
    act(people["officer2"], "incoming", first, "comment", text="Đề nghị bổ sung số liệu")
    assert first.handlers.get(user=people["officer2"]).comment == "Đề nghị bổ sung số liệu"
    act(people["officer"], "incoming", first, "complete", comment="Đã trả lời bằng công văn 15/VP")
    assert state(first) == "completed"
    invalid = act(people["officer"], "incoming", first, "file")
    assert invalid.status_code == 200 and state(first) == "completed"
    case_file = open_case_file(agency_a, people["officer"])
    act(people["officer"], "incoming", first, "file", case_file=case_file.pk)
    assert state(first) == "filed" and case_file.entries.filter(document=first.document).exists()
    timeline = html(people["clerk"], f"incoming/{first.pk}/")
    assert "Đã trả lời bằng công văn 15/VP" in timeline and "Xử lý ngay" in timeline


def test_outgoing_actions_through_the_ui(keyed, agency_a, agency_b):
    people = keyed
    item = new_draft(agency_a, people["officer"], recipients=[{"organ_id": agency_b.identifier,
                                                                "organ_name": agency_b.name}])
    assert 'id="action-consult"' in html(people["officer"], f"outgoing/{item.pk}/")
    act(people["officer"], "outgoing", item, "consult", people=[people["officer2"].pk])
    assert state(item) == "consulting"
    act(people["officer2"], "outgoing", item, "answer", text="Nhất trí với dự thảo")
    assert item.consultations.get().answered_at is not None
    act(people["officer"], "outgoing", item, "submit", unit_head=people["unit_head"].pk)
    assert state(item) == "submitted"
    act(people["unit_head"], "outgoing", item, "return", text="Bổ sung căn cứ")
    assert state(item) == "returned"
    act(people["officer"], "outgoing", item, "submit", unit_head=people["unit_head"].pk)
    act(people["unit_head"], "outgoing", item, "initial", signer=people["leader"].pk)
    assert state(item) == "initialled"
    assert 'id="action-approve"' in html(people["leader"], f"outgoing/{item.pk}/")
    act(people["leader"], "outgoing", item, "approve")
    assert state(item) == "approved"
    act(people["clerk"], "outgoing", item, "number")
    assert state(item) == "numbered" and Document.objects.get(pk=item.document_id).code_number == "01"
    case_file = open_case_file(agency_a, people["clerk"])
    act(people["clerk"], "outgoing", item, "issue", case_file=case_file.pk)
    assert state(item) == "issued" and Incoming.objects.filter(document__agency=agency_b).count() == 1
    act(people["leader"], "outgoing", item, "recall", reason="Ban hành sai thẩm quyền")
    assert state(item) == "recalled"
    actions = list(Trace.objects.filter(document=item.document).values_list("action", flat=True))
    assert actions == ["consult", "answer", "submit", "return", "submit", "initial", "approve", "number", "issue",
                       "recall"]


def test_another_agency_gets_404(received, people, clerk_b, agency_a):
    item = Incoming.objects.get(document=received(number="701"))
    draft = new_draft(agency_a, people["officer"])
    other = login(clerk_b)
    assert other.get(url_of("incoming", item)).status_code == 404
    assert other.post(url_of("incoming", item) + "register/", {}).status_code == 404
    assert state(item) == "received"
    assert other.get(url_of("outgoing", draft)).status_code == 404
    assert url_of("incoming", item) not in html(clerk_b, "incoming/")
    assert url_of("incoming", item) not in html(clerk_b, "")
    incoming.register(item, people["clerk"])
    register = Register.objects.get(agency=agency_a)
    assert other.get(f"{BASE}registers/{register.pk}/").status_code == 404
    assert f"registers/{register.pk}/" not in html(clerk_b, "registers/")


def refused(response):
    """Wagtail answers a page the role may not open with a redirect to the admin home and a message."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_pages_and_menu_by_role(people, admin_a):
    for who, path in (("officer", "dashboard/"), ("officer", "keys/"), ("leader", "keys/"),
                      ("officer", "reports/handling/")):
        assert refused(login(people[who]).get(BASE + path)), (who, path)
    for who, path in (("leader", "dashboard/"), ("clerk", "reports/handling/"), ("officer", "delegations/"),
                      ("officer", "registers/")):
        assert login(people[who]).get(BASE + path).status_code == 200, (who, path)
    assert login(admin_a).get(BASE + "keys/").status_code == 200
    leader_menu = login(people["leader"]).get("/admin/").content.decode()
    officer_menu = login(people["officer"]).get("/admin/").content.decode()
    assert BASE + "dashboard/" in leader_menu and BASE + "dashboard/" not in officer_menu
    assert BASE + "incoming/" in officer_menu and BASE + "keys/" not in officer_menu


def test_report_pages_and_downloads(received, people):
    item = Incoming.objects.get(document=received(number="801"))
    incoming.register(item, people["clerk"])
    register = Register.objects.get(kind="incoming")
    assert f"{BASE}registers/{register.pk}/" in html(people["officer"], "registers/")
    page = html(people["officer"], f"registers/{register.pk}/")
    assert "Ngày đến" in page and "801/SKHCN-VP" in page and "?as=xlsx" in page
    client = login(people["officer"])
    book = client.get(f"{BASE}registers/{register.pk}/", {"as": "xlsx", "from": "01/01/2026"})
    assert book["Content-Disposition"].startswith("attachment")
    assert "Số đến" in [cell.value for row in load_workbook(io.BytesIO(book.content)).active for cell in row]
    pdf = client.get(f"{BASE}registers/{register.pk}/", {"as": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "Nhập" in html(people["officer"], f"registers/{register.pk}/", **{"from": "not a date"})
    handling = html(people["leader"], "reports/handling/", kind="incoming")
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN" in handling and "(chưa phân công)" in handling
    outgoing_report = login(people["leader"]).get(BASE + "reports/handling/", {"kind": "outgoing", "as": "pdf"})
    assert outgoing_report["Content-Type"] == "application/pdf"


def test_delegations(received, people):
    leader, delegate = people["leader"], people["officer2"]
    today = timezone.localdate()
    ends = (today + datetime.timedelta(days=7)).strftime("%d/%m/%Y")
    assert refused(login(people["officer"]).post(BASE + "delegations/", {"delegate": delegate.pk}))
    wrong = login(leader).post(BASE + "delegations/", {"delegate": delegate.pk, "starts_on": ends,
                                                       "ends_on": today.strftime("%d/%m/%Y")})
    assert wrong.status_code == 200 and not Delegation.objects.exists()
    login(leader).post(BASE + "delegations/", {"delegate": delegate.pk, "starts_on": today.strftime("%d/%m/%Y"),
                                               "ends_on": ends, "note": "Đi công tác"})
    delegation = Delegation.objects.get()
    assert delegation.leader == leader and delegation.agency_id == leader.agency_id
    item = Incoming.objects.get(document=received(number="901"))
    incoming.register(item, people["clerk"])
    incoming.present(item, people["clerk"], leader=leader)
    assert url_of("incoming", item) in html(delegate, "")
    act(delegate, "incoming", item, "assign", lead=people["officer"].pk)
    assert state(item) == "assigned"
    assert Trace.objects.get(document=item.document, action="assign").on_behalf_of == leader
    assert login(delegate).post(f"{BASE}delegations/{delegation.pk}/revoke/").status_code == 404
    login(leader).post(f"{BASE}delegations/{delegation.pk}/revoke/")
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_signing_key_upload(admin_a, people, pki, images):
    client = login(admin_a)
    key_file = p12(pki["leader"], pki["root"])

    def upload(password, **fields):
        return client.post(BASE + "keys/", {
            "p12": SimpleUploadedFile("lanh.p12", key_file, "application/x-pkcs12"), "password": password,
            **fields}, follow=True)

    wrong = upload("sai-mat-khau", user=people["leader"].pk)
    assert "sai mật khẩu" in wrong.content.decode() and not SigningKey.objects.exists()
    done = upload("Khoa@2026", user=people["leader"].pk,
                  image=SimpleUploadedFile("chu-ky.png", images["signature"], "image/png")).content.decode()
    key = SigningKey.objects.get(user=people["leader"], active=True)
    assert key.image_id is not None and "CN=Hoàng Văn Lãnh" in done
    assert "Khoa@2026" not in done and key.password_encrypted not in done
    upload("Khoa@2026", image=SimpleUploadedFile("dau.png", images["seal"], "image/png"))
    assert SigningKey.objects.filter(user=None, agency=admin_a.agency, active=True).exists()
    assert refused(login(people["clerk"]).post(BASE + "keys/", {}))
