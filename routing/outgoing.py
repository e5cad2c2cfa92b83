"""Outgoing documents (văn bản đi, Sơn La regulation Art. 12): draft, comments, initialling, approval and
signature, numbering, the agency's signature and issuance; recall."""

import io

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.errors import HosoError
from accounts.models import Agency
from accounts.roles import Role
from casefiles import blobstore, filing
from casefiles.models import Document, DocumentFile
from casefiles.services import FileInput, create_document
from ingest import edxml

from . import registers, signing
from .flow import Step, agency_member, move
from .models import Consultation, Incoming, Outgoing, Register

S = Outgoing.State
EDITABLE = (S.DRAFT, S.CONSULTING, S.RETURNED)
STEPS = {
    "consult": Step(EDITABLE, S.CONSULTING, ()),
    "answer": Step((S.CONSULTING,), None, ()),
    "submit": Step(EDITABLE, S.SUBMITTED, ()),
    "initial": Step((S.SUBMITTED,), S.INITIALLED, (Role.UNIT_HEAD, Role.LEADER)),
    "return": Step((S.SUBMITTED, S.INITIALLED), S.RETURNED, (Role.UNIT_HEAD, Role.LEADER)),
    "approve": Step((S.INITIALLED,), S.APPROVED, (Role.LEADER,)),
    "number": Step((S.APPROVED,), S.NUMBERED, (Role.CLERK,)),
    "issue": Step((S.NUMBERED,), S.ISSUED, (Role.CLERK,)),
    "recall": Step((S.ISSUED,), S.RECALLED, (Role.CLERK, Role.LEADER)),
}


def _pdf_main(document):
    main = document.files.filter(role=DocumentFile.Role.MAIN).select_related("blob").first()
    if main is None or main.blob.mime_type != "application/pdf":
        raise HosoError("Văn bản cần tệp chính định dạng PDF để ký số.", code="main_pdf_required")
    return main


def _read(document_file):
    with blobstore.open_blob(document_file.blob) as handle:
        return handle.read()


def _replace_bytes(document_file, data):
    """Point a draft's file at new bytes (signed, stamped); the earlier bytes stay in the store."""
    document_file.blob = blobstore.store(io.BytesIO(data))
    document_file.save(update_fields=["blob"])


def start(document, actor):
    """An officer's uploaded draft (an issued-kind document) enters the outgoing flow."""
    if document.kind != Document.Kind.ISSUED:
        raise HosoError("Chỉ văn bản đi mới vào luồng phát hành.", code="not_issued_document")
    if document.agency_id != actor.agency_id:
        raise HosoError("Không tìm thấy.", code="not_found", status=404)
    outgoing, _ = Outgoing.objects.get_or_create(document=document, defaults={"drafter": actor})
    return outgoing


def _drafter_only(outgoing, actor):
    if outgoing.drafter_id != actor.pk:
        raise HosoError("Chỉ người soạn thảo thực hiện bước này.", code="drafter_only", status=403)


@transaction.atomic
def consult(outgoing, actor, *, people, note="", request=None):
    """Ask co-handlers for comments on the draft (xin ý kiến)."""
    _drafter_only(outgoing, actor)
    people = [agency_member(outgoing.document.agency_id, p) for p in people]
    if not people:
        raise HosoError("Chọn người cho ý kiến.", code="invalid_person")
    move(outgoing, STEPS, "consult", actor, comment=note, request=request,
         detail={"people": [p.username for p in people]})
    for person in people:
        Consultation.objects.update_or_create(outgoing=outgoing, user=person,
                                              defaults={"comment": "", "answered_at": None})
    return outgoing


@transaction.atomic
def answer(outgoing, actor, *, comment, request=None):
    consultation = outgoing.consultations.filter(user=actor).first()
    if consultation is None:
        raise HosoError("Bạn không được xin ý kiến về dự thảo này.", code="not_consulted", status=403)
    if not comment:
        raise HosoError("Ý kiến trống.", code="comment_empty")
    move(outgoing, STEPS, "answer", actor, comment=comment, request=request)
    consultation.comment, consultation.answered_at = comment, timezone.now()
    consultation.save(update_fields=["comment", "answered_at"])
    return outgoing


@transaction.atomic
def submit(outgoing, actor, *, unit_head, note="", request=None):
    """Submit the finished draft to the unit head for initialling; number and date fields are prepared."""
    _drafter_only(outgoing, actor)
    outgoing.unit_head = agency_member(outgoing.document.agency_id, unit_head, Role.UNIT_HEAD, Role.LEADER)
    main = _pdf_main(outgoing.document)
    move(outgoing, STEPS, "submit", actor, comment=note, request=request)
    _replace_bytes(main, signing.prepare_draft(_read(main)))
    outgoing.save(update_fields=["unit_head"])
    return outgoing


@transaction.atomic
def initial(outgoing, actor, *, signer, note="", request=None):
    """The unit head initials (ký tắt) and passes the draft to the leader who will sign."""
    if outgoing.unit_head_id not in (None, actor.pk) and not actor.has_role(Role.LEADER):
        raise HosoError("Dự thảo được trình cho lãnh đạo đơn vị khác.", code="not_your_turn", status=403)
    outgoing.signer = agency_member(outgoing.document.agency_id, signer, Role.LEADER)
    move(outgoing, STEPS, "initial", actor, comment=note, request=request)
    outgoing.save(update_fields=["signer"])
    return outgoing


@transaction.atomic
def return_draft(outgoing, actor, *, comment, request=None):
    if not comment:
        raise HosoError("Cần ghi ý kiến khi trả lại dự thảo.", code="comment_empty")
    move(outgoing, STEPS, "return", actor, comment=comment, request=request)
    return outgoing


@transaction.atomic
def approve(outgoing, actor, *, note="", request=None):
    """The leader approves and signs with their own key (visible signature, Decree 30 Appendix I)."""
    if outgoing.signer_id not in (None, actor.pk):
        raise HosoError("Văn bản được trình cho lãnh đạo khác ký.", code="not_your_turn", status=403)
    main = _pdf_main(outgoing.document)
    move(outgoing, STEPS, "approve", actor, comment=note, request=request)
    _replace_bytes(main, signing.sign_personal(_read(main), actor))
    outgoing.signer = actor
    outgoing.save(update_fields=["signer"])
    document = outgoing.document
    document.signer_full_name, document.signer_position = actor.full_name[:50], actor.position[:100]
    document.save(update_fields=["signer_full_name", "signer_position", "updated_at"])
    return outgoing


@transaction.atomic
def number(outgoing, actor, *, place="", request=None):
    """The clerk gives number and date from the register and writes them onto the signed PDF."""
    document = outgoing.document
    move(outgoing, STEPS, "number", actor, request=request)
    kind = Register.Kind.LEGAL if outgoing.legal else Register.Kind.OUTGOING
    entry = registers.take_number(document.agency, kind, document=document, actor=actor)
    issued = timezone.localdate(entry.assigned_at)
    code_number = f"{entry.number:02d}"
    document.code_number, document.issued_date = code_number, issued
    document.save(update_fields=["code_number", "issued_date", "updated_at"])
    main = _pdf_main(document)
    _replace_bytes(main, signing.fill_number(_read(main), number_notation=document.number_notation,
                                             issued_date=issued, place=place or settings.HOSO_PLACE_NAME))
    return outgoing


@transaction.atomic
def issue(outgoing, actor, *, case_file=None, request=None):
    """Sign with the agency's key, deliver to recipients and file the document.

    Recipients inside the deployment (by identifier code) receive it straight into their incoming
    queue; others get an edXML package.
    """
    document = outgoing.document
    move(outgoing, STEPS, "issue", actor, request=request,
         detail={"case_file": getattr(case_file, "pk", None)})
    for document_file in document.files.select_related("blob"):
        if document_file.blob.mime_type == "application/pdf":
            appendix = document_file.role != DocumentFile.Role.MAIN
            _replace_bytes(document_file, signing.sign_agency(_read(document_file), document.agency,
                                                             appendix=appendix,
                                                             number_notation=document.number_notation))
    outgoing.issued_at = timezone.now()
    outgoing.case_file = case_file
    outgoing.save(update_fields=["issued_at", "case_file"])
    deliver(document, actor)
    if case_file is not None:
        filing.add_document(case_file, document, actor=actor, request=request)
    return outgoing


def split_recipients(document):
    """(agencies of this deployment, other recipients) among a document's recipients."""
    known = {a.identifier: a for a in Agency.objects.filter(
        identifier__in=[r.organ_id for r in document.recipients.all() if r.organ_id]).exclude(pk=document.agency_id)}
    internal = [known[r.organ_id] for r in document.recipients.all() if r.organ_id in known]
    external = [r for r in document.recipients.all() if r.organ_id not in known]
    return internal, external


def deliver(document, actor):
    """Internal recipients get a received copy (same bytes, stored once); external ones an edXML package."""
    internal, external = split_recipients(document)
    for agency in internal:
        copy = create_document(
            agency=agency, kind=Document.Kind.RECEIVED, identifier=edxml_identifier(document),
            organ_name=document.organ_name or document.agency.name,
            **{f: getattr(document, f) for f in COPIED_FIELDS},
            files=[FileInput(blobstore.open_blob(f.blob), f.original_name, f.role) for f in document.files.all()],
        )
        Incoming.objects.filter(document=copy).update(source="internal")
    if external:
        edxml.send_document(document, actor=actor)


COPIED_FIELDS = ("type_name", "code_number", "code_notation", "issued_date", "subject", "language", "page_amount",
                 "signer_position", "signer_full_name", "priority", "due_date")


def edxml_identifier(document):
    """The document identifier shared by the issued document and every copy (edXML DocumentId)."""
    if not document.identifier:
        document.identifier = (f"{document.agency.identifier},{document.issued_date:%Y/%m/%d},"
                               f"{document.number_notation}")
        document.save(update_fields=["identifier", "updated_at"])
    return document.identifier


@transaction.atomic
def recall(outgoing, actor, *, reason, request=None):
    """Recall (thu hồi): the issued document is frozen; recipients' copies are withdrawn, the recall
    metadata kept; external recipients receive a recall package."""
    if not reason:
        raise HosoError("Cần nêu lý do thu hồi.", code="reason_required")
    document = outgoing.document
    move(outgoing, STEPS, "recall", actor, comment=reason, request=request)
    info = {"reason": reason, "by": actor.username, "time": timezone.now().isoformat(),
            "from_organ_id": document.agency.identifier}
    document.recalled_at, document.recall_info = timezone.now(), info
    document.save(update_fields=["recalled_at", "recall_info", "updated_at"])
    copies = Document.objects.filter(identifier=edxml_identifier(document), kind=Document.Kind.RECEIVED,
                                     recalled_at__isnull=True).exclude(agency=document.agency)
    for copy in copies:
        copy.recalled_at, copy.recall_info = timezone.now(), info
        copy.save(update_fields=["recalled_at", "recall_info", "updated_at"])
        for document_file in copy.files.all():  # the withdrawn content leaves the search index too
            document_file.text = ""
            document_file.save(update_fields=["text"])
    if split_recipients(document)[1]:
        edxml.send_document(document, actor=actor, business_type=1, reason=reason)
    return outgoing
