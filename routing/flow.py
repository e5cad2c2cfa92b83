"""The shared mechanics of the routing state machines: allowed transitions, role checks, delegation,
traces and audit. Each document kind declares its transitions in a table; nothing else moves a state."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import audit
from accounts.errors import HosoError

from .models import Delegation, Trace


@dataclass(frozen=True)
class Step:
    """A transition: from these states, to this state (None: state unchanged), by people with these roles."""

    sources: tuple
    target: str | None
    roles: tuple  # empty: any member of the agency (further checks in the action itself)
    delegable: bool = False  # a leader's delegate may take it on the leader's behalf


def agency_member(agency_id, user, *roles):
    """An active person of the agency (holding one of the roles, when given), or a clear refusal."""
    people = get_user_model().objects.filter(agency_id=agency_id, is_active=True)
    if roles:
        people = people.filter(groups__name__in=[str(r) for r in roles])
    person = people.filter(pk=getattr(user, "pk", user)).first()
    if person is None:
        raise HosoError("Người nhận không thuộc cơ quan hoặc không có vai trò phù hợp.", code="invalid_person")
    return person


def active_delegation(user, today=None):
    """The delegation a user holds today from a leader of their agency, if any."""
    today = today or timezone.localdate()
    return (Delegation.objects.filter(delegate=user, agency_id=user.agency_id, revoked_at__isnull=True,
                                      starts_on__lte=today, ends_on__gte=today)
            .select_related("leader").first())


def authorise(step: Step, actor, agency_id):
    """Who may take a step: returns the person on whose behalf the actor acts (None when in own right)."""
    if actor is None or not actor.is_authenticated or (actor.agency_id != agency_id and not actor.is_superuser):
        raise HosoError("Không tìm thấy.", code="not_found", status=404)
    if not step.roles or actor.has_role(*step.roles):
        return None
    if step.delegable and (delegation := active_delegation(actor)) is not None:
        return delegation.leader
    raise HosoError("Bạn không có quyền thực hiện bước này.", code="transition_not_allowed", status=403)


def move(obj, steps, name, actor, *, comment="", request=None, detail=None):
    """Check and apply the transition ``name`` on obj (Incoming or Outgoing): state, trace, audit.

    Runs inside the caller's transaction; returns the person on whose behalf the actor acted.
    """
    step = steps[name]
    on_behalf_of = authorise(step, actor, obj.document.agency_id)
    if obj.state not in step.sources:
        raise HosoError(f"Không thể thực hiện “{name}” khi văn bản đang ở trạng thái “{obj.get_state_display()}”.",
                        code="invalid_transition", status=409, detail={"state": obj.state, "action": name})
    previous = obj.state
    if step.target:
        obj.state = step.target
        obj.save(update_fields=["state"])
    Trace.objects.create(document=obj.document, actor=actor, on_behalf_of=on_behalf_of, action=name,
                         state_from=previous, state_to=obj.state, comment=comment)
    audit.record(audit.UPDATE, obj.document, actor=actor, request=request,
                 detail={"action": name, "from": previous, "to": obj.state,
                         "on_behalf_of": getattr(on_behalf_of, "username", None), **(detail or {})})
    return on_behalf_of
