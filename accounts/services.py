"""Agencies, units and people: plain functions the UI, API and CLI share."""

import re

from django.db import transaction

from hoso.text import fold

from . import audit
from .errors import HosoError
from .models import Agency, User
from .roles import Role


def username_base(full_name: str) -> str:
    """'Đặng Thị Thu Hà' -> 'hadtt': given name in full, then initials of family and middle names."""
    words = [w for w in re.split(r"\s+", fold(full_name).strip()) if w]
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    words = [w for w in words if w]
    if not words:
        raise HosoError("Họ và tên không hợp lệ.", code="invalid_full_name")
    *others, given = words
    return given + "".join(w[0] for w in others)


def generate_username(full_name: str, agency: Agency, birth_year: int | None = None) -> str:
    """The Sơn La Art. 6 username: <given><initials>.<agency>, with the birth year on a clash."""
    base = username_base(full_name)
    candidate = f"{base}.{agency.abbreviation}"
    if not User.objects.filter(username=candidate).exists():
        return candidate
    if birth_year is None:
        raise HosoError(
            f"Tên đăng nhập {candidate} đã tồn tại; cần năm sinh để tạo tên khác.",
            code="username_taken_need_birth_year",
            detail={"username": candidate},
        )
    candidate = f"{base}{birth_year}.{agency.abbreviation}"
    if User.objects.filter(username=candidate).exists():
        raise HosoError(
            f"Tên đăng nhập {candidate} cũng đã tồn tại; hãy đặt tên đăng nhập thủ công.",
            code="username_taken",
            detail={"username": candidate},
        )
    return candidate


@transaction.atomic
def create_person(*, full_name, agency, unit=None, roles=(), birth_year=None, position="",
                  email="", password=None, actor=None, client_address=""):
    """Create a user with a regulation username and the given roles, audited."""
    from django.contrib.auth.models import Group

    if unit is not None and unit.agency_id != agency.pk:
        raise HosoError("Đơn vị không thuộc cơ quan này.", code="unit_not_in_agency")
    username = generate_username(full_name, agency, birth_year)
    user = User(
        username=username, full_name=full_name.strip(), agency=agency, unit=unit,
        birth_year=birth_year, position=position, email=email,
        is_staff=True,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    role_values = [Role(r).value for r in roles]
    user.groups.set(Group.objects.filter(name__in=role_values))
    audit.record(audit.CREATE, user, actor=actor, agency_id=agency.pk, client_address=client_address,
                 detail={"roles": role_values})
    return user
