from django.contrib.auth.models import Group
from wagtail import hooks
from wagtail.users.views.bulk_actions import AssignRoleBulkAction, DeleteBulkAction, SetActiveStateBulkAction

from . import audit
from .models import User
from .roles import Role
from .views import AgencyViewSet, UnitViewSet, in_agency_scope


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [AgencyViewSet("agencies"), UnitViewSet("units")]


# Wagtail's bulk actions on users, limited to the user's agency like the listing they start from.


class AgencyScopedBulkActionMixin:
    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        user = self.request.user
        context["items_with_no_access"] = [o for o in context["items_with_no_access"] if in_agency_scope(o, user)]
        return [o for o in objects if in_agency_scope(o, user)], context


class ScopedDeleteUsers(AgencyScopedBulkActionMixin, DeleteBulkAction):
    pass


class ScopedSetActiveState(AgencyScopedBulkActionMixin, SetActiveStateBulkAction):
    pass


class ScopedAssignRole(AgencyScopedBulkActionMixin, AssignRoleBulkAction):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["role"].queryset = Group.objects.filter(name__in=Role.values)
        form.fields["role"].label_from_instance = lambda group: Role(group.name).label
        return form


# Registered after (order=1) Wagtail's own actions of the same types, which they replace.
for action_class in (ScopedDeleteUsers, ScopedSetActiveState, ScopedAssignRole):
    hooks.register("register_bulk_action", action_class, order=1)


@hooks.register("before_bulk_action")
def audit_bulk_user_actions(request, action_type, objects, action):
    """Bulk changes to people go into the audit trail, in the same transaction."""
    if action.model is not User:
        return
    detail = {"bulk_action": action_type}
    if action.cleaned_form is not None:
        detail.update({key: str(value) for key, value in action.cleaned_form.cleaned_data.items()})
    for user in objects:
        audit.record(audit.DELETE if action_type == "delete" else audit.UPDATE, user, request=request, detail=detail)
