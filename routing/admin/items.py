"""The incoming and outgoing item pages: the document, its handling and trace, and a form for each
transition the user may take now. A posted form runs its transition through the state machine (the
API's table of calls); a refusal (HosoError) is shown as a message."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.errors import HosoError
from accounts.roles import Role

from .. import deadlines, forms, incoming, outgoing
from ..api import INCOMING_ACTIONS, OUTGOING_ACTIONS
from ..flow import authorise
from ..models import Incoming, Outgoing, Trace
from .common import RoutingView, agency_items, url


def anyone(item, user):
    return True


def handler(item, user):
    return any(h.user_id == user.pk for h in item.handlers.all())


def not_yet_acknowledged(item, user):
    return any(h.user_id == user.pk and h.acknowledged_at is None for h in item.handlers.all())


def lead(item, user):
    return item.lead_id == user.pk


def drafter(item, user):
    return item.drafter_id == user.pk


def consulted(item, user):
    return any(c.user_id == user.pk and c.answered_at is None for c in item.consultations.all())


def addressed_unit_head(item, user):
    return item.unit_head_id in (None, user.pk) or user.has_role(Role.LEADER)


def addressed_signer(item, user):
    return item.signer_id in (None, user.pk)


@dataclass(frozen=True)
class Action:
    name: str  # the transition: the state machine's step and the API's action
    label: str
    form_class: type
    who: object = anyone  # (item, user) -> bool: the checks a step leaves to its function


INCOMING_UI = [
    Action("register", _("Register"), forms.RegisterForm),
    Action("refuse", _("Refuse"), forms.ReasonForm),
    Action("present", _("Present to a leader"), forms.PresentForm),
    Action("assign", _("Assign"), forms.AssignForm),
    Action("acknowledge", _("Acknowledge"), forms.EmptyForm, not_yet_acknowledged),
    Action("comment", _("Comment"), forms.TextForm, handler),
    Action("complete", _("Complete the handling"), forms.ResultForm, lead),
    Action("file", _("File into a case file"), forms.FileForm, lead),
]
OUTGOING_UI = [
    Action("consult", _("Ask for comments"), forms.ConsultForm, drafter),
    Action("answer", _("Give comments"), forms.TextForm, consulted),
    Action("submit", _("Submit to the unit head"), forms.SubmitForm, drafter),
    Action("initial", _("Initial"), forms.InitialForm, addressed_unit_head),
    Action("return", _("Return with comments"), forms.TextForm),
    Action("approve", _("Approve and sign"), forms.CommentForm, addressed_signer),
    Action("number", _("Give number and date"), forms.EmptyForm),
    Action("issue", _("Issue"), forms.IssueForm),
    Action("recall", _("Recall"), forms.ReasonForm),
]
TRACE_LABELS = {"start": _("Took up the handling"),
                **{action.name: action.label for action in (*INCOMING_UI, *OUTGOING_UI)}}


def may(action, steps, item, user):
    """Whether the user may take this transition now (the state machine has the last word)."""
    step = steps[action.name]
    if item.state not in step.sources or not action.who(item, user):
        return False
    try:
        authorise(step, user, item.document.agency_id)
    except HosoError:
        return False
    return True


class ItemView(RoutingView):
    """GET: the item page. POST to <item>/<action>/: run that transition, then back to the page."""

    model = None
    kind = ""
    steps: dict = {}
    actions: list = []
    calls: dict = {}  # the API's table: action -> (input, call)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.item = get_object_or_404(agency_items(self.queryset(), request.user), pk=kwargs["pk"])

    def queryset(self):
        return self.model.objects.select_related("document")

    def get_page_title(self):
        document = self.item.document
        return document.number_notation or document.subject[:60]

    def get(self, request, *args, **kwargs):
        if kwargs.get("action"):
            return redirect(url(self.kind, self.item.pk))
        return super().get(request, *args, **kwargs)

    def post(self, request, pk, action=None):
        spec = next((a for a in self.actions if a.name == action), None)
        if spec is None:
            raise Http404
        form = spec.form_class(request.POST, agency_id=self.item.document.agency_id, prefix=spec.name)
        if not form.is_valid():
            messages.error(request, _("The form has errors: see “%(action)s” below.") % {"action": spec.label})
            return self.render_to_response(self.get_context_data(bound=form, bound_action=spec.name))
        try:
            self.calls[spec.name][1](self.item, request.user, form.cleaned_data, request)
        except HosoError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
        return redirect(url(self.kind, self.item.pk))

    def action_forms(self, bound=None, bound_action=None):
        user, agency_id = self.request.user, self.item.document.agency_id
        for action in self.actions:
            if action.name == bound_action:
                yield action, bound, url(f"{self.kind}_action", self.item.pk, action.name)
            elif may(action, self.steps, self.item, user):
                form = action.form_class(agency_id=agency_id, prefix=action.name)
                yield action, form, url(f"{self.kind}_action", self.item.pk, action.name)

    def traces(self):
        states = dict(self.model.State.choices)
        return [{"time": trace.time, "actor": trace.actor, "on_behalf_of": trace.on_behalf_of,
                 "action": TRACE_LABELS.get(trace.action, trace.action), "comment": trace.comment,
                 "from": states.get(trace.state_from, trace.state_from),
                 "to": states.get(trace.state_to, trace.state_to)}
                for trace in Trace.objects.filter(document=self.item.document).select_related("actor",
                                                                                               "on_behalf_of")]

    def get_context_data(self, bound=None, bound_action=None, **kwargs):
        document = self.item.document
        return super().get_context_data(
            item=self.item, document=document, traces=self.traces(),
            inspect_url=reverse("records:inspect", args=[document.pk]),
            actions=list(self.action_forms(bound, bound_action)), **kwargs)


class IncomingView(ItemView):
    template_name = "routing/incoming.html"
    header_icon = "mail"
    parent = ("incoming_list", _("Incoming documents"))
    model = Incoming
    kind = "incoming"
    steps = incoming.STEPS
    actions = INCOMING_UI
    calls = INCOMING_ACTIONS

    def queryset(self):
        return super().queryset().select_related("presented_to", "lead", "lead_unit", "case_file").prefetch_related(
            "handlers__user")

    @cached_property
    def duplicates(self):
        """Possible duplicates of a document waiting to be registered (asked once per request)."""
        if self.item.state != Incoming.State.RECEIVED:
            return []
        return [(d, reverse("records:inspect", args=[d.pk])) for d in incoming.possible_duplicates(self.item.document)]

    def action_forms(self, bound=None, bound_action=None):
        """The duplicate confirmation is asked only when there are possible duplicates."""
        duplicates = self.duplicates
        for action, form, action_url in super().action_forms(bound, bound_action):
            if action.name == "register" and not duplicates:
                form.fields.pop("accept_duplicate")
            yield action, form, action_url

    def get_context_data(self, **kwargs):
        item = self.item
        return super().get_context_data(
            handlers=sorted(item.handlers.all(), key=lambda h: (h.role != "lead", h.user.full_name)),
            overdue=deadlines.is_overdue(item.deadline, item.completed_at), duplicates=self.duplicates, **kwargs)


class OutgoingView(ItemView):
    template_name = "routing/outgoing.html"
    header_icon = "doc-full"
    parent = ("outgoing_list", _("Outgoing documents"))
    model = Outgoing
    kind = "outgoing"
    steps = outgoing.STEPS
    actions = OUTGOING_UI
    calls = OUTGOING_ACTIONS

    def queryset(self):
        return super().queryset().select_related("drafter", "unit_head", "signer", "case_file").prefetch_related(
            "consultations__user", "document__recipients")
