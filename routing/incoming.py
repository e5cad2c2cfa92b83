"""Incoming documents (văn bản đến, Sơn La regulation Art. 11): register, present, assign, handle, file.

Documents that came by edXML report each step back to the sender as a status package.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.errors import HosoError
from accounts.roles import Role
from casefiles import filing
from casefiles.models import Document
from ingest import edxml
from ingest.models import EdxmlPackage

from . import registers
from .flow import Step, agency_member, move
from .models import Handler, Incoming, Register

S = Incoming.State
STEPS = {
    "register": Step((S.RECEIVED,), S.REGISTERED, (Role.CLERK,)),
    "refuse": Step((S.RECEIVED,), S.REFUSED, (Role.CLERK,)),
    "present": Step((S.REGISTERED,), S.PRESENTED, (Role.CLERK,)),
    "assign": Step((S.PRESENTED, S.ASSIGNED, S.IN_PROGRESS), S.ASSIGNED, (Role.LEADER, Role.UNIT_HEAD),
                   delegable=True),
    "start": Step((S.ASSIGNED,), S.IN_PROGRESS, ()),  # the lead takes it up
    "acknowledge": Step((S.ASSIGNED, S.IN_PROGRESS), None, ()),  # a co-handler takes note
    "comment": Step((S.ASSIGNED, S.IN_PROGRESS), None, ()),
    "complete": Step((S.IN_PROGRESS,), S.COMPLETED, ()),
    "file": Step((S.COMPLETED,), S.FILED, ()),
}
REGISTERED_STATES = [s for s in S.values if s not in (S.RECEIVED, S.REFUSED)]
# The status each step reports back to an edXML sender (QĐ 28/2018).
EDXML_STATUS = {"register": EdxmlPackage.Status.ACCEPTED, "refuse": EdxmlPackage.Status.REFUSED,
                "assign": EdxmlPackage.Status.ASSIGNED, "start": EdxmlPackage.Status.PROCESSING,
                "complete": EdxmlPackage.Status.DONE}


def receive(document, *, source=""):
    """Put a received document into the agency's incoming queue (intake's uploads, edXML packages and
    drop folders arrive here through routing.signals; internal issuance calls it directly)."""
    if document.kind != Document.Kind.RECEIVED:
        raise HosoError("Chỉ văn bản đến mới vào sổ văn bản đến.", code="not_received_document")
    incoming, _ = Incoming.objects.get_or_create(document=document, defaults={"source": source})
    return incoming


def possible_duplicates(document):
    """Registered documents of the agency with the same number + notation + issuing organ, or the same
    document identifier (edXML DocumentId)."""
    same = Q()
    if document.code_number and document.code_notation:
        same |= Q(code_number=document.code_number, code_notation__iexact=document.code_notation,
                  organ_name__iexact=document.organ_name)
    if document.identifier:
        same |= Q(identifier=document.identifier)
    if not same:
        return Document.objects.none()
    return (Document.objects.filter(same, agency_id=document.agency_id, incoming__state__in=REGISTERED_STATES)
            .exclude(pk=document.pk))


def _report(incoming, action, actor, description=""):
    """Tell an edXML sender what happened (the status package is stored with the step)."""
    code = EDXML_STATUS.get(action)
    if code and incoming.document.edxml_packages.filter(direction=EdxmlPackage.Direction.IN).exists():
        edxml.build_status(incoming.document, code, actor=actor, description=description)


def _step(incoming, action, actor, *, comment="", request=None, detail=None):
    on_behalf_of = move(incoming, STEPS, action, actor, comment=comment, request=request, detail=detail)
    _report(incoming, action, actor, comment)
    return on_behalf_of


@transaction.atomic
def register(incoming, actor, *, accept_duplicate=False, request=None):
    """Give the arrival number and date from the incoming register (số đến, ngày đến)."""
    Incoming.objects.select_for_update().filter(pk=incoming.pk).exists()  # one registration at a time
    incoming.refresh_from_db()
    duplicates = list(possible_duplicates(incoming.document).values_list("pk", flat=True))
    if duplicates and not accept_duplicate:
        raise HosoError("Văn bản có thể trùng với văn bản đã đăng ký.", code="possible_duplicate", status=409,
                        detail={"documents": duplicates})
    _step(incoming, "register", actor, request=request, detail={"duplicates": duplicates})
    document = incoming.document
    entry = registers.take_number(document.agency, Register.Kind.INCOMING, document=document, actor=actor)
    document.arrival_number, document.arrival_date = entry.number, entry.assigned_at
    document.save(update_fields=["arrival_number", "arrival_date", "updated_at"])  # signals: search reindexes
    return incoming


@transaction.atomic
def refuse(incoming, actor, *, reason, request=None):
    if not reason:
        raise HosoError("Cần nêu lý do từ chối tiếp nhận.", code="reason_required")
    _step(incoming, "refuse", actor, comment=reason, request=request)
    return incoming


@transaction.atomic
def present(incoming, actor, *, leader, comment="", request=None):
    """The clerk presents the document to a leader for instructions."""
    incoming.presented_to = agency_member(incoming.document.agency_id, leader, Role.LEADER, Role.UNIT_HEAD)
    _step(incoming, "present", actor, comment=comment, request=request,
          detail={"presented_to": incoming.presented_to.username})
    incoming.save(update_fields=["presented_to"])
    return incoming


@transaction.atomic
def assign(incoming, actor, *, lead, co_handlers=(), deadline=None, instruction="", request=None):
    """The leader (or a delegate) names a lead handler, co-handlers, a deadline and an instruction."""
    agency_id = incoming.document.agency_id
    lead = agency_member(agency_id, lead)
    co = [agency_member(agency_id, user) for user in co_handlers if getattr(user, "pk", user) != lead.pk]
    if deadline and deadline < timezone.localdate():
        raise HosoError("Hạn xử lý đã qua.", code="deadline_in_past")
    _step(incoming, "assign", actor, comment=instruction, request=request,
          detail={"lead": lead.username, "co": [u.username for u in co],
                  "deadline": deadline.isoformat() if deadline else None})
    incoming.lead, incoming.lead_unit = lead, lead.unit
    incoming.deadline, incoming.instruction = deadline, instruction
    incoming.save(update_fields=["lead", "lead_unit", "deadline", "instruction"])
    incoming.handlers.exclude(user__in=[lead, *co]).delete()
    Handler.objects.update_or_create(incoming=incoming, user=lead,
                                     defaults={"role": Handler.Role.LEAD, "deadline": deadline})
    for user in co:
        Handler.objects.update_or_create(incoming=incoming, user=user,
                                         defaults={"role": Handler.Role.CO, "deadline": deadline})
    if deadline:
        incoming.document.due_date = deadline
        incoming.document.save(update_fields=["due_date", "updated_at"])
    return incoming


def _handler(incoming, actor):
    handler = incoming.handlers.filter(user=actor).first()
    if handler is None:
        raise HosoError("Bạn không được giao xử lý văn bản này.", code="not_a_handler", status=403)
    return handler


@transaction.atomic
def acknowledge(incoming, actor, *, request=None):
    """A handler takes up the document; the lead's acknowledgement starts the handling."""
    handler = _handler(incoming, actor)
    lead_starts = handler.role == Handler.Role.LEAD and incoming.state == S.ASSIGNED
    _step(incoming, "start" if lead_starts else "acknowledge", actor, request=request)
    handler.acknowledged_at = handler.acknowledged_at or timezone.now()
    handler.save(update_fields=["acknowledged_at"])
    return incoming


@transaction.atomic
def comment(incoming, actor, *, text, request=None):
    """A handler's comment (co-handlers send their opinion to the lead)."""
    if not text:
        raise HosoError("Ý kiến trống.", code="comment_empty")
    handler = _handler(incoming, actor)
    _step(incoming, "comment", actor, comment=text, request=request)
    handler.comment = text
    if handler.role == Handler.Role.CO:
        handler.completed_at = timezone.now()
    handler.save(update_fields=["comment", "completed_at"])
    return incoming


@transaction.atomic
def complete(incoming, actor, *, result="", request=None):
    handler = _handler(incoming, actor)
    if handler.role != Handler.Role.LEAD:
        raise HosoError("Chỉ người chủ trì kết thúc xử lý.", code="lead_only", status=403)
    _step(incoming, "complete", actor, comment=result, request=request)
    handler.completed_at = incoming.completed_at = timezone.now()
    handler.save(update_fields=["completed_at"])
    incoming.save(update_fields=["completed_at"])
    return incoming


@transaction.atomic
def file_into(incoming, actor, *, case_file, request=None):
    """The lead files the handled document into a case file."""
    if _handler(incoming, actor).role != Handler.Role.LEAD:
        raise HosoError("Chỉ người chủ trì lập hồ sơ văn bản.", code="lead_only", status=403)
    _step(incoming, "file", actor, request=request, detail={"case_file": case_file.pk})
    filing.add_document(case_file, incoming.document, actor=actor, request=request)
    incoming.case_file = case_file
    incoming.save(update_fields=["case_file"])
    return incoming
