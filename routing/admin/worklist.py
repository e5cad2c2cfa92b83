"""My work (việc cần xử lý, Sơn La regulation) and the incoming and outgoing lists with their filters."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.paginator import WagtailPaginator

from accounts.roles import Role

from .. import deadlines, reports
from ..flow import active_delegation
from ..forms import ListFilterForm
from ..models import Incoming, Outgoing
from .common import RoutingView, agency_items

IN, OUT = Incoming.State, Outgoing.State


@dataclass
class WorkSection:
    title: str
    kind: str  # "incoming" | "outgoing": which item page the rows open
    items: list


def incoming_for(user):
    return agency_items(Incoming.objects.select_related("document", "lead"), user)


def outgoing_for(user):
    return agency_items(Outgoing.objects.select_related("document", "drafter"), user)


def my_work(user):
    """What the person has to do now, by role, as titled sections (empty ones left out)."""
    incoming, outgoing = incoming_for(user), outgoing_for(user)
    sections = []
    if user.has_role(Role.CLERK):
        sections += [
            (_("Received, to register"), "incoming", incoming.filter(state=IN.RECEIVED)),
            (_("Registered, to present to a leader"), "incoming", incoming.filter(state=IN.REGISTERED)),
            (_("Approved and signed, to number"), "outgoing", outgoing.filter(state=OUT.APPROVED)),
            (_("Numbered, to issue"), "outgoing", outgoing.filter(state=OUT.NUMBERED)),
        ]
    if user.has_role(Role.LEADER, Role.UNIT_HEAD):
        sections.append((_("Presented to me, to assign"), "incoming",
                         incoming.filter(state=IN.PRESENTED, presented_to=user)))
        sections.append((_("Submitted to me, to initial"), "outgoing",
                         outgoing.filter(state=OUT.SUBMITTED, unit_head=user)))
    if (delegation := active_delegation(user)) is not None:
        sections.append((_("Presented to %(leader)s, to assign on their behalf") % {"leader": delegation.leader},
                         "incoming", incoming.filter(state=IN.PRESENTED, presented_to=delegation.leader)))
    if user.has_role(Role.LEADER):
        sections.append((_("Initialled, to approve and sign"), "outgoing",
                         outgoing.filter(state=OUT.INITIALLED).filter(Q(signer=user) | Q(signer__isnull=True))))
    sections += [
        (_("Assigned to me, to handle"), "incoming",
         incoming.filter(state__in=deadlines.OPEN_STATES, handlers__user=user,
                         handlers__completed_at__isnull=True)),
        (_("Handled, to file into a case file"), "incoming", incoming.filter(state=IN.COMPLETED, lead=user)),
        (_("Drafts awaiting my comments"), "outgoing",
         outgoing.filter(state=OUT.CONSULTING, consultations__user=user, consultations__answered_at__isnull=True)),
        (_("My drafts"), "outgoing", outgoing.filter(drafter=user, state__in=(OUT.DRAFT, OUT.CONSULTING,
                                                                                  OUT.RETURNED))),
    ]
    return [WorkSection(title, kind, list(items.distinct())) for title, kind, items in sections
            if items.exists()]


class QueueView(RoutingView):
    page_title = _("My work")
    header_icon = "tasks"
    template_name = "routing/queue.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=my_work(self.request.user), **kwargs)


class ListView(RoutingView):
    """A filtered, paginated list of the agency's incoming or outgoing documents."""

    template_name = "routing/list.html"
    model = None
    kind = ""
    per_page = 50

    def items(self):
        raise NotImplementedError

    def filter_due(self, queryset, due):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        form = ListFilterForm(self.request.GET or None, model=self.model)
        items = self.items()
        if form.is_valid():
            data = form.cleaned_data
            if query := data["q"].strip():
                found = (Q(document__subject__icontains=query) | Q(document__code_notation__icontains=query)
                         | Q(document__code_number=query))
                if query.isdigit():
                    found |= Q(document__arrival_number=int(query))
                items = items.filter(found)
            if data["state"]:
                items = items.filter(state=data["state"])
            if data["due"]:
                items = self.filter_due(items, data["due"])
        paginator = WagtailPaginator(items.order_by("-created_at", "-pk"), self.per_page)
        page = paginator.get_page(self.request.GET.get("p"))
        return super().get_context_data(form=form, page=page, kind=self.kind,
                                        elided_page_range=paginator.get_elided_page_range(page.number), **kwargs)


class IncomingListView(ListView):
    page_title = _("Incoming documents")
    header_icon = "mail"
    model = Incoming
    kind = "incoming"

    def items(self):
        return incoming_for(self.request.user)

    def filter_due(self, queryset, due):
        return deadlines.filter_due(queryset, due)


class OutgoingListView(ListView):
    page_title = _("Outgoing documents")
    header_icon = "doc-full"
    model = Outgoing
    kind = "outgoing"

    def items(self):
        return outgoing_for(self.request.user)

    def filter_due(self, queryset, due):
        return reports.filter_issue_due(queryset, due)
