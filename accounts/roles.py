"""The roles a person holds in an agency (Sơn La regulation, Decree 30).

Each role is a Django group of the same code; the groups and their
permissions are created by ``ensure_role_groups`` (run after migrate).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk (văn thư)")
    LEADER = "leader", _("Agency leader (lãnh đạo)")
    UNIT_HEAD = "unit_head", _("Unit head (lãnh đạo đơn vị)")
    OFFICER = "officer", _("Officer (chuyên viên)")
    ARCHIVIST = "archivist", _("Archivist (lưu trữ viên)")
    ADMIN = "admin", _("Administrator (quản trị)")


# Model permissions ("app.codename") that each role's group receives.
ROLE_PERMISSIONS = {
    Role.CLERK: [
        "casefiles.add_document", "casefiles.change_document", "casefiles.view_document",
        "accounts.view_unit", "accounts.view_user", "accounts.view_agency",
    ],
    Role.LEADER: ["casefiles.view_document", "accounts.view_unit", "accounts.view_user", "accounts.view_agency"],
    Role.UNIT_HEAD: ["casefiles.view_document", "accounts.view_unit", "accounts.view_user", "accounts.view_agency"],
    Role.OFFICER: [
        "casefiles.add_document", "casefiles.change_document", "casefiles.view_document",
        "accounts.view_unit", "accounts.view_user", "accounts.view_agency",
    ],
    Role.ARCHIVIST: ["casefiles.view_document", "accounts.view_unit", "accounts.view_user", "accounts.view_agency"],
    Role.ADMIN: [
        "accounts.view_agency", "accounts.change_agency",
        "accounts.add_unit", "accounts.change_unit", "accounts.delete_unit", "accounts.view_unit",
        "accounts.add_user", "accounts.change_user", "accounts.delete_user", "accounts.view_user",
        "casefiles.view_document", "casefiles.delete_document",
    ],
}

# Every role works with case files; plan keepers draft the annual file plan.
CASE_FILES = ["casefiles.view_fileplan", "casefiles.view_casefile", "casefiles.add_casefile"]
PLAN_KEEPING = ["casefiles.add_fileplan", "casefiles.change_fileplan"]
for _role in Role:
    ROLE_PERMISSIONS[_role] += CASE_FILES
for _role in (Role.CLERK, Role.LEADER, Role.ARCHIVIST, Role.ADMIN):
    ROLE_PERMISSIONS[_role] += PLAN_KEEPING

ADMIN_ACCESS = "wagtailadmin.access_admin"


def ensure_role_groups():
    """Create or refresh one group per role with its permissions and admin access."""
    from django.contrib.auth.models import Group, Permission

    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = []
        for code in [*codes, ADMIN_ACCESS]:
            app_label, codename = code.split(".")
            perms.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
