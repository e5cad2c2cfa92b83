"""The demo's document handling, through routing.incoming and routing.outgoing.

Received documents of UBND tỉnh and Sở Nội vụ stand at every step of the incoming flow: registered,
presented to the leader, assigned with a deadline (one overdue, others due within
HOSO_DEADLINE_WARNING_DAYS), being handled, filed into a case file; the rest wait in the queue. One
letter of UBND tỉnh goes the whole outgoing flow (comments, initials, the leader's signature, number,
the agency's signature) and is issued to Sở Nội vụ and Sở Khoa học và Công nghệ, whose incoming queues
receive it.
"""

import datetime as dt
import io
from dataclasses import dataclass

from accounts.roles import Role
from casefiles.models import Document, DocumentFile
from casefiles.services import create_document
from routing import incoming, outgoing
from routing.models import Handler, Incoming, Outgoing, Register

from . import CV, ORGANS, PdfSpec, render_pdf

C, L, H, O, A = Role.CLERK, Role.LEADER, Role.UNIT_HEAD, Role.OFFICER, Role.ARCHIVIST
REGISTERED, PRESENTED, ASSIGNED, IN_PROGRESS, FILED = "registered", "presented", "assigned", "in_progress", "filed"


@dataclass(frozen=True)
class Handling:
    """How far a received document got: up to ``state``; the lead, co-handler, deadline (days from today;
    negative: assigned earlier, now overdue) and the case file (item key) it is filed into."""

    agency: str
    document: str  # DocSpec key
    state: str
    lead: Role | None = None
    co: Role | None = None
    deadline: int | None = None
    instruction: str = ""
    case_file: str = ""


HANDLING = (
    Handling("ubnd", "xa-bc-ktxh", REGISTERED),
    Handling("ubnd", "skhcn-ttr-nhiemvu", PRESENTED),
    Handling("ubnd", "snv-ttr-tuyendung", ASSIGNED, lead=O, co=H, deadline=1,
             instruction="Phòng Tổng hợp nghiên cứu, tham mưu trình Ủy ban nhân dân tỉnh phê duyệt."),
    Handling("ubnd", "vpcp-cv-dvc", IN_PROGRESS, lead=H, co=O, deadline=-3,
             instruction="Phòng Tổng hợp chủ trì, tổng hợp báo cáo Văn phòng Chính phủ đúng hạn."),
    Handling("ubnd", "snv-bc-vtlt", FILED, lead=A, deadline=10, instruction="Lưu trữ viên nghiên cứu, lập hồ sơ.",
             case_file="vtlt"),
    Handling("snv", "ubnd-qd-cchc", REGISTERED),
    Handling("snv", "bnv-cv-hosodientu", ASSIGNED, lead=A, co=O, deadline=2,
             instruction="Văn phòng chủ trì, xây dựng văn bản hướng dẫn các cơ quan, tổ chức trên địa bàn tỉnh."),
)
STEPS = (REGISTERED, PRESENTED, ASSIGNED, IN_PROGRESS, "completed", FILED)


def _continue_registers(agencies, today):
    """The registers of this year carry on from the demo's numbers (số đến, số văn bản đi)."""
    for agency in agencies.values():
        own = Document.objects.filter(agency=agency)
        arrivals = own.filter(kind=Document.Kind.RECEIVED, arrival_date__year=today.year)
        issued = own.filter(kind__in=[Document.Kind.ISSUED, Document.Kind.INTERNAL], issued_date__year=today.year)
        last = {Register.Kind.INCOMING: max(arrivals.values_list("arrival_number", flat=True), default=0),
                Register.Kind.OUTGOING: max((int(n) for n in issued.values_list("code_number", flat=True)), default=0)}
        for kind, number in last.items():
            if number:
                Register.objects.create(agency=agency, year=today.year, kind=kind, last_number=number)


def _handle(spec, staff, document, case_files, today):
    item = Incoming.objects.get(document=document)
    step = STEPS.index(spec.state)
    incoming.register(item, staff[C])
    if step >= STEPS.index(PRESENTED):
        incoming.present(item, staff[C], leader=staff[L])
    if step >= STEPS.index(ASSIGNED):
        lead = staff[spec.lead]
        incoming.assign(item, staff[L], lead=lead, co_handlers=[staff[spec.co]] if spec.co else [],
                        deadline=today + dt.timedelta(days=max(spec.deadline, 0)), instruction=spec.instruction)
        if spec.deadline < 0:
            # Assigned days ago in the story: the service takes no past deadline, so it is moved back here.
            past = today + dt.timedelta(days=spec.deadline)
            Incoming.objects.filter(pk=item.pk).update(deadline=past)
            Handler.objects.filter(incoming=item).update(deadline=past)
            Document.objects.filter(pk=document.pk).update(due_date=past)
    if step >= STEPS.index(IN_PROGRESS):
        incoming.acknowledge(item, lead)
    if step >= STEPS.index(FILED):
        incoming.complete(item, lead, result="Đã nghiên cứu, lập hồ sơ theo dõi.")
        incoming.file_into(item, lead, case_file=case_files[spec.case_file])


BLANK_LINE = "\u00a0"
LETTER_SUBJECT = "V/v báo cáo kết quả thực hiện nhiệm vụ năm {year}, phương hướng, nhiệm vụ năm {next}"
LETTER_BODY = (
    "Để tổng hợp, đánh giá kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm {year} và xây dựng "
    "phương hướng, nhiệm vụ năm {next}, Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị:",
    "1. Báo cáo kết quả thực hiện các nhiệm vụ được giao năm {year}; những tồn tại, hạn chế và nguyên nhân.",
    "2. Đề xuất phương hướng, nhiệm vụ và giải pháp trọng tâm năm {next}, các kiến nghị, đề xuất.",
    "Báo cáo gửi về Ủy ban nhân dân tỉnh (qua Phòng Tổng hợp) trước ngày {due} để tổng hợp.",
)


def _issue_letter(agencies, people, case_file, today):
    """UBND's letter to two other demo agencies, from the officer's draft to issuance."""
    staff = {role: people["ubnd", role] for role in (C, L, H, O, A)}
    organ, recipients = ORGANS["ubnd"], [agencies["snv"], agencies["skhcn"]]
    due = today + dt.timedelta(days=15)
    values = {"year": today.year, "next": today.year + 1, "due": due.strftime("%d/%m/%Y")}
    subject = LETTER_SUBJECT.format(**values)
    # The draft keeps the lines of the number and the date empty and leaves out the signer's block: the
    # flow fills them in (form fields) and signs.
    pdf, pages = render_pdf(PdfSpec(
        header=organ.header, number=BLANK_LINE, place_date=BLANK_LINE, type_name=CV, subject=subject,
        body=[paragraph.format(**values) for paragraph in LETTER_BODY], signer_block=(), signer_name="",
        greeting=tuple(f"{agency.name};" for agency in recipients), cc=["Như trên;", "Lưu: VT, TH."],
        title=subject, author=organ.name))
    document = create_document(
        agency=agencies["ubnd"], actor=staff[O], kind=Document.Kind.ISSUED, type_name=CV, code_notation="UBND-TH",
        organ_name=organ.name, subject=subject, due_date=due, unit=staff[O].unit, page_amount=pages,
        issued_amount=len(recipients) + 2,
        recipients=[{"organ_id": agency.identifier, "organ_name": agency.name} for agency in recipients],
        files=[(io.BytesIO(pdf), "Dự thảo công văn báo cáo.pdf", DocumentFile.Role.MAIN)])
    steps = (
        lambda letter: outgoing.consult(letter, staff[O], people=[staff[A]], note="Đề nghị góp ý dự thảo."),
        lambda letter: outgoing.answer(letter, staff[A], comment="Nhất trí với dự thảo."),
        lambda letter: outgoing.submit(letter, staff[O], unit_head=staff[H]),
        lambda letter: outgoing.initial(letter, staff[H], signer=staff[L]),
        lambda letter: outgoing.approve(letter, staff[L]),
        lambda letter: outgoing.number(letter, staff[C], place=organ.place),
        lambda letter: outgoing.issue(letter, staff[C], case_file=case_file),
    )
    letter = outgoing.start(document, staff[O])
    for step in steps:  # each step in a request of its own: on the letter as stored
        step(Outgoing.objects.select_related("document").get(pk=letter.pk))


def run_flows(agencies, people, documents, case_files, today):
    """``documents``: {(abbreviation, DocSpec key): document}; ``case_files``: {abbreviation: {item key:
    CaseFile}} (hoso.demo.records.load_records)."""
    _continue_registers(agencies, today)
    for spec in HANDLING:
        staff = {role: user for (owner, role), user in people.items() if owner == spec.agency}
        _handle(spec, staff, documents[spec.agency, spec.document], case_files[spec.agency], today)
    _issue_letter(agencies, people, case_files["ubnd"]["baocao"], today)
