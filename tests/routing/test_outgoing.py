"""The outgoing flow end to end: draft, comments, initialling, the leader's signature, number and date,
the agency's signature, delivery inside the deployment and outside (edXML), filing and recall."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.errors import HosoError
from casefiles import blobstore, filing
from casefiles.models import Document
from casefiles.services import create_document
from ingest import edxml, signatures
from ingest.models import EdxmlPackage
from retention.models import RetentionKind
from routing import outgoing as flow
from routing.models import Incoming, Outgoing, Trace
from tests.conftest import make_agency
from tests.routing.conftest import draft


def new_draft(agency, officer, recipients=(), appendix=False):
    files = [(io.BytesIO(draft()), "Dự thảo quyết định.pdf", "main")]
    if appendix:
        files.append((io.BytesIO(draft(4)), "Phụ lục.pdf", "appendix"))
    document = create_document(agency=agency, kind="issued", type_name="Quyết định", code_notation="QĐ-UBND",
                               subject="Phê duyệt kế hoạch chuyển đổi số năm 2026", files=files,
                               recipients=list(recipients), actor=officer)
    return flow.start(document, officer)


def through_approval(item, people):
    flow.consult(item, people["officer"], people=[people["officer2"]], note="Xin ý kiến")
    flow.answer(item, people["officer2"], comment="Nhất trí")
    flow.submit(item, people["officer"], unit_head=people["unit_head"])
    flow.initial(item, people["unit_head"], signer=people["leader"])
    flow.approve(item, people["leader"])
    flow.number(item, people["clerk"])


def main_bytes(document):
    with blobstore.open_blob(document.files.get(role="main").blob) as handle:
        return handle.read()


def test_full_flow_signed_numbered_issued_and_delivered(keyed, agency_a, agency_b, tmp_path):
    people = keyed
    item = new_draft(agency_a, people["officer"], recipients=[
        {"organ_id": agency_b.identifier, "organ_name": agency_b.name},
        {"organ_id": "000.00.99.H99", "organ_name": "Sở Tài chính tỉnh Đông Lâm"},
    ], appendix=True)
    through_approval(item, people)
    document = Document.objects.get(pk=item.document_id)
    assert document.code_number == "01" and document.issued_date == timezone.localdate()
    case_file = filing.open_case_file(agency=agency_a, title="Hồ sơ chuyển đổi số", file_notation="07.VP",
                                      retention_kind=RetentionKind.YEARS, retention_years=10,
                                      creator=people["officer"], start_date=timezone.localdate())
    flow.issue(item, people["clerk"], case_file=case_file)
    item.refresh_from_db()
    document.refresh_from_db()
    assert item.state == "issued" and case_file.entries.filter(document=document).exists()
    # both signatures valid and trusted, the agency's covering the whole file
    data = main_bytes(document)
    path = tmp_path / "issued.pdf"
    path.write_bytes(data)
    found = signatures.read_signatures(path)
    assert len(found) == 2 and all(s["intact"] and s["valid"] and s["trusted"] for s in found)
    assert found[-1]["covers_whole_file"]
    fields = {name: field.get("/V") for name, field in PdfReader(io.BytesIO(data)).get_fields().items()}
    assert "01/QĐ-UBND" in fields["so"] and f"năm {timezone.localdate().year}" in fields["ngay"]
    # a tampered copy does not validate
    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x01
    (tmp_path / "tampered.pdf").write_bytes(bytes(tampered))
    assert not all(s["intact"] for s in signatures.read_signatures(tmp_path / "tampered.pdf") or [{"intact": False}])
    # inside the deployment: straight into agency B's incoming queue, same bytes stored once
    copy = Document.objects.get(agency=agency_b, kind="received")
    assert copy.identifier == document.identifier and copy.number_notation == "01/QĐ-UBND"
    assert copy.organ_name == agency_a.name and copy.signer_full_name == people["leader"].full_name
    assert Incoming.objects.get(document=copy).state == "received"
    assert copy.files.get(role="main").blob_id == document.files.get(role="main").blob_id
    # outside: an edXML package that intake re-imports
    package = EdxmlPackage.objects.get(document=document, direction="out")
    outside = make_agency("000.00.99.H99", "Sở Tài chính tỉnh Đông Lâm", "stcdl")
    with blobstore.open_blob(package.blob) as handle:
        result = edxml.import_package(outside, handle.read(), "goi-tin.xml")
    received = result.document
    assert not result.duplicate and received.kind == "received"
    assert (received.number_notation, received.subject, received.issued_date, received.identifier) == (
        document.number_notation, document.subject, document.issued_date, document.identifier)
    assert received.files.get(role="main").blob_id == document.files.get(role="main").blob_id
    actions = list(Trace.objects.filter(document=document).values_list("action", flat=True))
    assert actions == ["consult", "answer", "submit", "initial", "approve", "number", "issue"]


def test_recall_freezes_and_withdraws_copies(keyed, agency_a, agency_b):
    people = keyed
    item = new_draft(agency_a, people["officer"], recipients=[{"organ_id": agency_b.identifier,
                                                                "organ_name": agency_b.name}])
    through_approval(item, people)
    flow.issue(item, people["clerk"])
    with pytest.raises(HosoError):
        flow.recall(item, people["officer"], reason="Sai sót")
    flow.recall(item, people["leader"], reason="Ban hành sai thẩm quyền")
    copy = Document.objects.get(agency=agency_b)
    assert copy.is_recalled and copy.recall_info["reason"] == "Ban hành sai thẩm quyền"
    assert Incoming.objects.get(document=copy).state == "recalled"
    assert Outgoing.objects.get(pk=item.pk).state == "recalled"


ROLE_REFUSALS = [
    ("initial", "officer", "submitted", {"signer": "leader"}),
    ("approve", "unit_head", "initialled", {}),
    ("approve", "clerk", "initialled", {}),
    ("number", "leader", "approved", {}),
    ("issue", "officer", "numbered", {}),
    ("return_draft", "officer", "submitted", {"comment": "x"}),
]


@pytest.mark.parametrize(("action", "who", "state", "args"), ROLE_REFUSALS)
def test_steps_refused_to_other_roles(people, agency_a, action, who, state, args):
    item = new_draft(agency_a, people["officer"])
    Outgoing.objects.filter(pk=item.pk).update(state=state)
    item.refresh_from_db()
    args = {k: people.get(v, v) for k, v in args.items()}
    with pytest.raises(HosoError) as err:
        getattr(flow, action)(item, people[who], **args)
    assert err.value.code == "transition_not_allowed"


def test_wrong_state_and_drafter_only(people, agency_a):
    item = new_draft(agency_a, people["officer"])
    with pytest.raises(HosoError) as err:
        flow.approve(item, people["leader"])
    assert err.value.code == "invalid_transition"
    with pytest.raises(HosoError) as err:
        flow.submit(item, people["officer2"], unit_head=people["unit_head"])
    assert err.value.code == "drafter_only"


def test_returned_draft_goes_back_to_the_drafter(people, agency_a):
    item = new_draft(agency_a, people["officer"])
    flow.submit(item, people["officer"], unit_head=people["unit_head"])
    flow.return_draft(item, people["unit_head"], comment="Sửa lại căn cứ pháp lý")
    assert item.state == "returned"
    flow.submit(item, people["officer"], unit_head=people["unit_head"])
    assert item.state == "submitted"


def test_signing_needs_the_leaders_key(people, agency_a, trusted):
    item = new_draft(agency_a, people["officer"])
    flow.submit(item, people["officer"], unit_head=people["unit_head"])
    flow.initial(item, people["unit_head"], signer=people["leader"])
    with pytest.raises(HosoError) as err:
        flow.approve(item, people["leader"])
    assert err.value.code == "signing_key_missing"
    item.refresh_from_db()
    assert item.state == "initialled"  # nothing half-done


def test_legal_documents_have_their_own_series(keyed, agency_a):
    people = keyed
    first = new_draft(agency_a, people["officer"])
    through_approval(first, people)
    legal = new_draft(agency_a, people["officer"])
    Outgoing.objects.filter(pk=legal.pk).update(legal=True)
    legal.refresh_from_db()
    through_approval(legal, people)
    assert Document.objects.get(pk=legal.document_id).code_number == "01"
    second = new_draft(agency_a, people["officer"])
    through_approval(second, people)
    assert Document.objects.get(pk=second.document_id).code_number == "02"
