"""``hoso demo``: agencies, people in every role, documents with real Vietnamese PDFs, loaded once."""

import hashlib
import io
import re
import time
import unicodedata

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Agency, AuditEntry, Unit, User
from accounts.roles import Role
from accounts.services import username_base
from casefiles import blobstore, filing, plans
from casefiles.models import Blob, CaseFile, CaseFileEntry, Document, DocumentFile, FilePlan
from hoso import demo
from ingest import signatures
from routing import deadlines, keys
from routing.models import Incoming, Outgoing, Trace

pytestmark = pytest.mark.django_db

QCVN_102 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")  # 000.00.00.H53
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def has_vietnamese(text):
    return bool(VIETNAMESE & set(unicodedata.normalize("NFC", text).lower()))


def load(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def trust_roots(settings, tmp_path):
    """The demo writes its root CA here, not into the deployment's trust roots."""
    settings.HOSO_TRUST_ROOTS_DIR = tmp_path / "trust-roots"
    settings.HOSO_SIGNATURE_FETCH_REVOCATION = False
    return settings.HOSO_TRUST_ROOTS_DIR


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_loads_agencies_people_and_documents_quickly():
    started = time.monotonic()
    output = load()
    assert time.monotonic() - started < 20

    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    assert set(demo.DEMO_ABBREVIATIONS) <= set(agencies) and len(agencies) >= 4
    assert {"ubnd", "snv", "skhcn"} <= set(agencies)
    identifiers = [a.identifier for a in agencies.values()]
    assert all(QCVN_102.match(i) and i.endswith(".H53") for i in identifiers)
    assert len(set(identifiers)) == len(identifiers)
    assert agencies["ubnd"].parent is None
    assert agencies["snv"].parent == agencies["ubnd"] and agencies["skhcn"].parent == agencies["ubnd"]
    commune = agencies[demo.AGENCIES[-1].abbreviation]
    assert commune.name.startswith("Ủy ban nhân dân xã") and commune.parent == agencies["ubnd"]
    for agency in agencies.values():
        names = set(Unit.objects.filter(agency=agency).values_list("name", flat=True))
        assert len(names) >= 4 and any(n.startswith("Văn phòng") for n in names)
    assert "Phòng Tổ chức cán bộ" in set(agencies["snv"].units.values_list("name", flat=True))

    assert "Demo data loaded" in output and demo.DEMO_PASSWORD in output


def test_one_person_per_role_per_agency_with_regulation_usernames():
    load()
    for abbreviation in demo.DEMO_ABBREVIATIONS:
        people = User.objects.filter(agency__abbreviation=abbreviation).prefetch_related("groups")
        assert sorted(code for user in people for code in user.role_codes) == sorted(Role.values)
        for user in people:
            assert user.username == f"{username_base(user.full_name)}.{abbreviation}"
            assert has_vietnamese(user.full_name), user.full_name
            assert user.is_staff and not user.is_superuser
            assert user.unit is None or user.unit.agency_id == user.agency_id
    clerk = User.objects.get(agency__abbreviation="ubnd", groups__name=Role.CLERK)
    assert clerk.username == "hadtt.ubnd" and clerk.full_name == "Đặng Thị Thu Hà"
    assert any("đ" in u.full_name.lower() for u in User.objects.all())
    operator = User.objects.get(username=demo.OPERATOR_USERNAME)
    assert operator.is_superuser and operator.agency is None


def replay():
    """The demo's planned documents again (demo.plan_documents): (records, PDF specs)."""
    people = {(u.agency.abbreviation, Role(next(iter(u.role_codes)))): u
              for u in User.objects.filter(agency__abbreviation__in=demo.DEMO_ABBREVIATIONS).select_related("agency")}
    units = {(u.agency.abbreviation, u.code): u for u in Unit.objects.select_related("agency")}
    return demo.plan_documents(people, units)


def planned_documents(records):
    """The records of demo.DOCUMENTS, leaving out those made later: last year's and the routed letter."""
    keys = {(r.agency, r.kind, r.fields["code_number"], r.fields["code_notation"]) for r in records}
    documents = Document.objects.select_related("agency").prefetch_related("files__blob", "recipients")
    return [d for d in documents if (d.agency.abbreviation, d.kind, d.code_number, d.code_notation) in keys]


def test_documents_have_metadata_and_a_real_vietnamese_pdf():
    load()
    records, _pdfs = replay()
    documents = planned_documents(records)
    assert len(documents) == len(records) and 28 <= len(documents) <= 40
    assert {d.kind for d in documents} == set(Document.Kind.values)
    assert {d.type_name for d in documents} >= {"Quyết định", "Công văn", "Tờ trình", "Báo cáo", "Kế hoạch",
                                                 "Thông báo"}
    assert {d.agency.abbreviation for d in documents} == set(demo.DEMO_ABBREVIATIONS)
    assert any(d.priority > 0 for d in documents) and any(d.due_date for d in documents)

    for d in Document.objects.all():
        assert d.subject and has_vietnamese(d.subject)
        assert re.fullmatch(r"\d+/[A-Za-zĐ]+-[A-Za-zĐ]+", d.number_notation), d.number_notation
        assert d.signer_full_name and d.signer_position and d.issued_date
        assert d.unit is None or d.unit.agency_id == d.agency_id
        if d.kind == Document.Kind.ISSUED:
            assert d.recipients.exists() and d.organ_name == d.agency.name
        main = [f for f in d.files.all() if f.role == DocumentFile.Role.MAIN]
        assert len(main) == 1
        assert main[0].original_name.endswith(".pdf") and main[0].blob.mime_type == "application/pdf"
    for d in documents:
        assert d.organ_name
        if d.kind == Document.Kind.RECEIVED:
            assert d.arrival_number and d.arrival_date.date() >= d.issued_date

    # Arrival numbers run up within each agency's register of a year, registered ones included.
    for abbreviation in demo.DEMO_ABBREVIATIONS:
        received = Document.objects.filter(agency__abbreviation=abbreviation, kind=Document.Kind.RECEIVED,
                                           arrival_number__isnull=False).order_by("arrival_date")
        for year in {d.arrival_date.year for d in received}:
            numbers = [d.arrival_number for d in received if d.arrival_date.year == year]
            assert numbers == sorted(set(numbers))

    # One stored PDF per distinct document: a copy received by another demo agency shares its bytes.
    blobs = {f.blob for d in documents for f in d.files.all()}
    assert len(blobs) < len(documents)
    for blob in blobs:
        with blobstore.open_blob(blob) as handle:
            data = handle.read()
        assert hashlib.sha256(data).hexdigest() == blob.sha256
        reader = PdfReader(io.BytesIO(data))
        text = unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        document = blob.document_files.first().document
        assert f"Số: {document.number_notation}" in text
        assert re.search(r", ngày \d\d tháng (0[12]|[3-9]|1[012]) năm 2026", text)
        assert document.signer_full_name in text and has_vietnamese(text)
        assert document.page_amount == len(reader.pages)


def test_generation_is_deterministic():
    load()
    records, pdfs = replay()
    replayed = {hashlib.sha256(demo.render_pdf(spec)[0]).hexdigest() for spec in pdfs.values()}
    stored = {f.blob.sha256 for d in planned_documents(records) for f in d.files.all()}
    assert replayed == stored
    assert len(records) == len(planned_documents(records))


def test_running_twice_creates_nothing_more():
    load()
    counts = (Agency.objects.count(), User.objects.count(), Document.objects.count(), Blob.objects.count(),
              AuditEntry.objects.count())
    output = load()
    assert "already loaded" in output and "hadtt.ubnd" in output
    assert (Agency.objects.count(), User.objects.count(), Document.objects.count(), Blob.objects.count(),
            AuditEntry.objects.count()) == counts
    assert demo.load_demo() is None


def test_skips_when_a_demo_agency_already_exists():
    Agency.objects.create(identifier="000.00.99.H53", name="Sở Nội vụ (có sẵn)", abbreviation="snv")
    assert demo.load_demo() is None
    assert Agency.objects.count() == 1 and not Document.objects.exists() and not User.objects.exists()


def test_keeps_an_existing_operator_account(fast_passwords):
    User.objects.create_superuser(username="admin", password="rieng-cua-toi", email="")
    load()
    operator = User.objects.get(username="admin")
    assert operator.check_password("rieng-cua-toi")
    logins = {login.username: login for login in demo.demo_logins()}
    assert logins["admin"].password != demo.DEMO_PASSWORD
    assert logins["hadtt.ubnd"].password == demo.DEMO_PASSWORD


def test_demo_users_can_sign_in(fast_passwords):
    load()
    users = list(User.objects.filter(agency__abbreviation__in=demo.DEMO_ABBREVIATIONS)) + [
        User.objects.get(username=demo.OPERATOR_USERNAME)
    ]
    assert len(users) == len(demo.DEMO_ABBREVIATIONS) * len(Role.values) + 1
    for user in users:
        client = Client()
        assert client.login(username=user.username, password=demo.DEMO_PASSWORD), user.username
    client = Client()
    client.login(username="hadtt.ubnd", password=demo.DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert not Client().login(username="hadtt.ubnd", password="sai-mat-khau")


def test_logins_option_prints_without_creating(fast_passwords):
    assert "No demo logins" in load(logins=True)
    assert not Agency.objects.exists()
    load()
    count = Document.objects.count()
    output = load(logins=True)
    assert Document.objects.count() == count
    lines = output.splitlines()
    assert lines[0].split() == ["USERNAME", "ROLE", "AGENCY", "FULL", "NAME", "PASSWORD"]
    row = next(line for line in lines if line.startswith("hadtt.ubnd "))
    assert row.split()[1:3] == ["clerk", "ubnd"] and row.endswith(demo.DEMO_PASSWORD)
    for user in User.objects.all():
        assert any(line.startswith(user.username + " ") for line in lines)
    # A changed password is not shown as the demo one.
    user = User.objects.get(username="hadtt.ubnd")
    user.set_password("mat-khau-moi")
    user.save()
    row = next(line for line in load(logins=True).splitlines() if line.startswith("hadtt.ubnd "))
    assert demo.DEMO_PASSWORD not in row


def test_vietnamese_dates():
    import datetime as dt

    assert demo.long_date("Sơn La", dt.date(2026, 3, 5)) == "Sơn La, ngày 05 tháng 3 năm 2026"
    assert demo.long_date("Sơn La", dt.date(2026, 1, 15)) == "Sơn La, ngày 15 tháng 01 năm 2026"
    assert demo.short_date(dt.date(2026, 2, 9)) == "09/02/2026"
    assert demo.short_date(dt.date(2026, 11, 20)) == "20/11/2026"


# --- File plans and case files, signing keys, handling (issues 4 and 5) ------------------------------------


def test_approved_file_plans_with_open_and_closed_case_files():
    load()
    today = timezone.localdate()
    for abbreviation in demo.DEMO_ABBREVIATIONS:
        plan = FilePlan.objects.get(agency__abbreviation=abbreviation, year=today.year)
        assert plan.is_approved and plan.decision_number and plan.decision_date.year == today.year
        assert 2 <= plan.headings.filter(parent=None).count() <= 3 and 6 <= plan.items.count() <= 10
        assert all(has_vietnamese(item.title) and item.creator and item.unit for item in plan.items.all())
        opened = CaseFile.objects.filter(plan_item__plan=plan)
        assert opened.count() >= 3 and all(c.creator == c.plan_item.creator for c in opened)
        assert opened.filter(status=CaseFile.Status.OPEN, doc_total__gt=0).count() >= 2
    ubnd = FilePlan.objects.get(agency__abbreviation="ubnd", year=today.year)
    assert {item.retention_label for item in ubnd.items.all()} >= {"Vĩnh viễn", "20 năm", "10 năm", "05 năm"}
    assert plans.plan_rows(ubnd)[0] == ("heading", "I.", "Tổng hợp (TH)")
    for abbreviation in ("ubnd", "snv"):
        closed = CaseFile.objects.filter(agency__abbreviation=abbreviation, year=today.year,
                                         status=CaseFile.Status.CLOSED)
        assert closed.exists() and all(c.end_date and c.doc_total for c in closed)
        # This year's plan was copied from last year's.
        last = FilePlan.objects.get(agency__abbreviation=abbreviation, year=today.year - 1)
        assert last.is_approved
        assert sorted(last.items.values_list("file_notation", "title")) == sorted(
            FilePlan.objects.get(agency__abbreviation=abbreviation, year=today.year).items.values_list(
                "file_notation", "title"))


def test_one_closed_file_of_last_year_due_for_transfer_within_30_days():
    load()
    today = timezone.localdate()
    for abbreviation in ("ubnd", "snv"):
        agency = Agency.objects.get(abbreviation=abbreviation)
        upcoming, _overdue = filing.due_for_transfer(agency, within_days=30)
        past = [case_file for case_file, _due in upcoming if case_file.year == today.year - 1]
        assert len(past) == 1, upcoming
        case_file = past[0]
        assert case_file.is_closed and case_file.start_date < case_file.end_date and case_file.doc_total == 2
        assert 330 <= (today - case_file.end_date).days <= 350
        assert 0 <= (filing.effective_due_date(case_file) - today).days <= 30
        assert all(entry.document.issued_date <= case_file.end_date for entry in case_file.entries.all())


def test_signing_keys_and_trusted_demo_root(trust_roots):
    load()
    assert (trust_roots / "hoso-demo-root.pem").exists()
    for abbreviation in demo.DEMO_ABBREVIATIONS:
        agency = Agency.objects.get(abbreviation=abbreviation)
        leader = User.objects.get(agency=agency, groups__name=Role.LEADER)
        seal, signature = keys.active_key(agency), keys.active_key(agency, leader)
        assert seal.image and signature.image and agency.name in seal.subject
        assert keys.load_signer(signature)  # the stored PKCS#12 opens with its encrypted password


def test_a_letter_issued_through_the_whole_flow_with_two_valid_signatures(tmp_path):
    load()
    letter = Outgoing.objects.select_related("document__agency").get()
    document = letter.document
    assert letter.state == Outgoing.State.ISSUED and document.agency.abbreviation == "ubnd"
    assert list(Trace.objects.filter(document=document).values_list("action", flat=True)) == [
        "consult", "answer", "submit", "initial", "approve", "number", "issue"]
    assert document.signer_full_name == "Lò Văn Thắng" and document.issued_date == timezone.localdate()
    assert CaseFileEntry.objects.filter(document=document, case_file__agency=document.agency).exists()

    main = document.files.get(role=DocumentFile.Role.MAIN)
    path = tmp_path / "letter.pdf"
    with blobstore.open_blob(main.blob) as handle:
        path.write_bytes(handle.read())
    found = signatures.read_signatures(path)
    assert len(found) == 2 and all(s["intact"] and s["valid"] and s["trusted"] for s in found), found
    assert found[-1]["covers_whole_file"]
    # Delivered into the incoming queues of Sở Nội vụ and Sở Khoa học và Công nghệ, the bytes stored once.
    copies = Document.objects.filter(identifier=document.identifier, kind=Document.Kind.RECEIVED)
    assert {c.agency.abbreviation for c in copies} == {"snv", "skhcn"}
    for copy in copies:
        assert copy.incoming.state == Incoming.State.RECEIVED
        assert copy.files.get(role=DocumentFile.Role.MAIN).blob_id == main.blob_id


def test_received_documents_at_every_step_with_deadlines():
    load()
    today = timezone.localdate()
    queue = Incoming.objects.filter(document__agency__abbreviation="ubnd")
    assert set(queue.values_list("state", flat=True)) >= {"registered", "presented", "assigned", "in_progress",
                                                          "filed"}
    assert Incoming.objects.filter(document__agency__abbreviation="snv", state="received").count() >= 2
    overdue, near = deadlines.filter_due(queue, "overdue"), deadlines.filter_due(queue, "near")
    assert overdue.count() == 1 and overdue.get().deadline < today
    assert near.count() == 1 and near.get().deadline >= today
    filed = queue.get(state="filed")
    assert filed.case_file.entries.filter(document=filed.document).exists()
    assert deadlines.filter_due(Incoming.objects.filter(document__agency__abbreviation="snv"), "near").exists()
    for item in queue.exclude(state="received"):
        assert item.document.arrival_number and Trace.objects.filter(document=item.document).exists()
