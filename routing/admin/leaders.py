"""The leader's dashboard (Sơn La regulation Art. 12.2.d) and delegations (ủy quyền)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.roles import Role

from .. import deadlines
from ..forms import DelegationForm
from ..models import Delegation
from .common import AgencyView, url


class DashboardView(AgencyView):
    page_title = _("Leader's dashboard")
    header_icon = "clipboard-list"
    template_name = "routing/dashboard.html"
    roles = (Role.LEADER, Role.UNIT_HEAD, Role.ADMIN)

    def get_context_data(self, **kwargs):
        return super().get_context_data(dashboard=deadlines.dashboard(self.request.user.agency), **kwargs)


class DelegationsView(AgencyView):
    """The agency's delegations; a leader gives one (POST) and revokes their own (POST <id>/revoke/)."""

    page_title = _("Delegations")
    header_icon = "user"
    template_name = "routing/delegations.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        delegations = Delegation.objects.filter(agency_id=user.agency_id).select_related("leader", "delegate")
        if user.has_role(Role.LEADER) and form is None:
            form = DelegationForm(leader=user)
        return super().get_context_data(delegations=delegations, form=form, today=timezone.localdate(), **kwargs)

    def post(self, request):
        if not request.user.has_role(Role.LEADER):
            raise PermissionDenied
        form = DelegationForm(request.POST, leader=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            delegation = form.save()
            audit.record(audit.CREATE, delegation, request=request,
                         detail={"delegate": delegation.delegate.username, "from": str(delegation.starts_on),
                                 "until": str(delegation.ends_on)})
        messages.success(request, _("Delegation to %(person)s saved.") % {"person": delegation.delegate})
        return redirect(url("delegations"))


class RevokeDelegationView(AgencyView):
    http_method_names = ["post"]

    def post(self, request, pk):
        delegation = get_object_or_404(Delegation, pk=pk, agency_id=request.user.agency_id, leader=request.user,
                                       revoked_at__isnull=True)
        with transaction.atomic():
            delegation.revoked_at = timezone.now()
            delegation.save(update_fields=["revoked_at"])
            audit.record(audit.UPDATE, delegation, request=request, detail={"revoked": True})
        messages.success(request, _("Delegation to %(person)s revoked.") % {"person": delegation.delegate})
        return redirect(url("delegations"))
