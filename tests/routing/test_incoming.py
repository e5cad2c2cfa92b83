import datetime

import pytest
from django.utils import timezone

from accounts.errors import HosoError
from casefiles import filing
from retention.models import RetentionKind
from routing import incoming as flow
from routing.models import Delegation, Incoming, Trace

TOMORROW = timezone.localdate() + datetime.timedelta(days=7)


def queue_item(document):
    return Incoming.objects.get(document=document)


def test_received_documents_enter_the_queue(received):
    item = queue_item(received())
    assert item.state == "received"


def test_full_path_by_role(received, people, agency_a):
    item = queue_item(received())
    flow.register(item, people["clerk"])
    item.refresh_from_db()
    document = item.document
    document.refresh_from_db()
    assert item.state == "registered" and document.arrival_number == 1 and document.arrival_date
    flow.present(item, people["clerk"], leader=people["leader"])
    flow.assign(item, people["leader"], lead=people["officer"], co_handlers=[people["officer2"]],
                deadline=TOMORROW, instruction="Đề nghị phòng tham mưu trả lời")
    assert item.state == "assigned" and item.lead == people["officer"]
    flow.acknowledge(item, people["officer2"])
    assert item.state == "assigned"  # a co-handler's acknowledgement does not start the handling
    flow.acknowledge(item, people["officer"])
    assert item.state == "in_progress"
    flow.comment(item, people["officer2"], text="Đồng ý với dự thảo trả lời")
    flow.complete(item, people["officer"], result="Đã trả lời bằng Công văn 30/UBND-VP")
    case_file = filing.open_case_file(agency=agency_a, title="Hồ sơ trả lời", file_notation="03.VP",
                                      retention_kind=RetentionKind.YEARS, retention_years=5,
                                      creator=people["officer"], start_date=timezone.localdate())
    flow.file_into(item, people["officer"], case_file=case_file)
    assert item.state == "filed" and case_file.entries.filter(document=document).exists()
    actions = list(Trace.objects.filter(document=document).values_list("action", flat=True))
    assert actions == ["register", "present", "assign", "acknowledge", "start", "comment", "complete", "file"]
    document.refresh_from_db()
    assert document.due_date == TOMORROW


REFUSALS = [
    ("register", "officer", "received", {}),
    ("register", "leader", "received", {}),
    ("present", "officer", "registered", {"leader": "leader"}),
    ("assign", "clerk", "presented", {"lead": "officer"}),
    ("assign", "officer", "presented", {"lead": "officer"}),
    ("refuse", "officer", "received", {"reason": "Sai nơi nhận"}),
]


@pytest.mark.parametrize(("action", "who", "state", "args"), REFUSALS)
def test_steps_refused_to_other_roles(received, people, action, who, state, args):
    item = queue_item(received())
    Incoming.objects.filter(pk=item.pk).update(state=state)
    item.refresh_from_db()
    args = {k: people[v] if v in people else v for k, v in args.items()}
    with pytest.raises(HosoError) as err:
        getattr(flow, action)(item, people[who], **args)
    assert err.value.code == "transition_not_allowed" and err.value.status == 403
    item.refresh_from_db()
    assert item.state == state


@pytest.mark.parametrize(("action", "state"), [("register", "registered"), ("present", "received"),
                                               ("assign", "registered"), ("refuse", "registered")])
def test_steps_refused_in_wrong_state(received, people, action, state):
    item = queue_item(received())
    Incoming.objects.filter(pk=item.pk).update(state=state)
    item.refresh_from_db()
    who = {"register": "clerk", "present": "clerk", "assign": "leader", "refuse": "clerk"}[action]
    args = {"present": {"leader": people["leader"]}, "assign": {"lead": people["officer"]},
            "refuse": {"reason": "x"}}.get(action, {})
    with pytest.raises(HosoError) as err:
        getattr(flow, action)(item, people[who], **args)
    assert err.value.code == "invalid_transition"


def test_only_handlers_act_and_only_the_lead_completes(received, people):
    item = queue_item(received())
    flow.register(item, people["clerk"])
    flow.present(item, people["clerk"], leader=people["leader"])
    flow.assign(item, people["leader"], lead=people["officer"], co_handlers=[people["officer2"]])
    with pytest.raises(HosoError) as err:
        flow.acknowledge(item, people["archivist"])
    assert err.value.code == "not_a_handler"
    flow.acknowledge(item, people["officer"])
    with pytest.raises(HosoError) as err:
        flow.complete(item, people["officer2"])
    assert err.value.code == "lead_only"


def test_duplicate_warning(received, people):
    first = queue_item(received())
    flow.register(first, people["clerk"])
    second = queue_item(received())
    with pytest.raises(HosoError) as err:
        flow.register(second, people["clerk"])
    assert err.value.code == "possible_duplicate" and err.value.detail["documents"] == [first.document_id]
    flow.register(second, people["clerk"], accept_duplicate=True)
    second.document.refresh_from_db()
    assert second.document.arrival_number == 2
    other = queue_item(received(number="216"))
    flow.register(other, people["clerk"])  # a different number is no duplicate


def test_delegate_assigns_on_behalf_of_the_leader(received, people, agency_a):
    item = queue_item(received())
    flow.register(item, people["clerk"])
    flow.present(item, people["clerk"], leader=people["leader"])
    with pytest.raises(HosoError):
        flow.assign(item, people["officer2"], lead=people["officer"])
    today = timezone.localdate()
    Delegation.objects.create(agency=agency_a, leader=people["leader"], delegate=people["officer2"],
                              starts_on=today, ends_on=today + datetime.timedelta(days=3))
    flow.assign(item, people["officer2"], lead=people["officer"])
    trace = Trace.objects.get(document=item.document, action="assign")
    assert trace.actor == people["officer2"] and trace.on_behalf_of == people["leader"]


def test_expired_delegation_gives_nothing(received, people, agency_a):
    item = queue_item(received())
    flow.register(item, people["clerk"])
    flow.present(item, people["clerk"], leader=people["leader"])
    past = timezone.localdate() - datetime.timedelta(days=10)
    Delegation.objects.create(agency=agency_a, leader=people["leader"], delegate=people["officer2"],
                              starts_on=past, ends_on=past + datetime.timedelta(days=3))
    with pytest.raises(HosoError) as err:
        flow.assign(item, people["officer2"], lead=people["officer"])
    assert err.value.code == "transition_not_allowed"


def test_other_agency_cannot_touch(received, people, clerk_b):
    item = queue_item(received())
    with pytest.raises(HosoError) as err:
        flow.register(item, clerk_b)
    assert err.value.status == 404


def test_refusal_needs_reason(received, people):
    item = queue_item(received())
    with pytest.raises(HosoError):
        flow.refuse(item, people["clerk"], reason="")
    flow.refuse(item, people["clerk"], reason="Gửi nhầm cơ quan")
    assert item.state == "refused"
