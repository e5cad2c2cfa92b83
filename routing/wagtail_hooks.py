"""The routing staff pages in the Wagtail admin: the “Văn bản đến/đi” menu and its URLs."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from accounts.roles import Role

from . import reports
from .admin import urls
from .admin.common import NAMESPACE


class RoleMenuItem(MenuItem):
    """Shown to people holding one of the roles (to everyone when none are given)."""

    def __init__(self, label, name, icon_name, roles=()):
        super().__init__(label, reverse_lazy(f"{NAMESPACE}:{name}"), name=f"routing-{name}", icon_name=icon_name)
        self.roles = roles

    def is_shown(self, request):
        return request.user.agency_id is not None and (not self.roles or request.user.has_role(*self.roles))


@hooks.register("register_admin_urls")
def register_routing_urls():
    return [path("routing/", include((urls.urlpatterns, NAMESPACE), namespace=NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_routing_menu():
    items = [
        RoleMenuItem(_("My work"), "queue", "tasks"),
        RoleMenuItem(_("Incoming documents"), "incoming_list", "mail"),
        RoleMenuItem(_("Outgoing documents"), "outgoing_list", "doc-full"),
        RoleMenuItem(_("Leader's dashboard"), "dashboard", "clipboard-list", (Role.LEADER, Role.UNIT_HEAD, Role.ADMIN)),
        RoleMenuItem(_("Delegations"), "delegations", "user"),
        RoleMenuItem(_("Registers"), "registers", "list-ol"),
        RoleMenuItem(_("Handling reports"), "handling_report", "table", reports.READERS),
        RoleMenuItem(_("Signing keys"), "keys", "key", (Role.ADMIN,)),
    ]
    for order, item in enumerate(items, start=1):
        item.order = order
    return SubmenuMenuItem(_("Incoming and outgoing"), Menu(items=items), name="routing", icon_name="mail",
                           order=140)
