"""Registers (sổ đăng ký) and their numbers: consecutive from 1 each year, never reused, never skipped.

A number is taken inside the caller's transaction with the register row locked
(SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers), so parallel
registrations get unique consecutive numbers, and a rolled-back transaction
gives its number back untouched.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.errors import HosoError

from .models import Register, RegisterEntry


def _locked_register(agency, year, kind):
    try:
        with transaction.atomic():
            Register.objects.get_or_create(agency=agency, year=year, kind=kind)
    except IntegrityError:
        pass  # created by a parallel transaction a moment ago
    return Register.objects.select_for_update().get(agency=agency, year=year, kind=kind)


@transaction.atomic
def take_number(agency, kind, *, document=None, actor=None, when=None):
    """Give the next number of the agency's register of this kind for the year of ``when`` (now)."""
    when = when or timezone.now()
    year = timezone.localtime(when).year if timezone.is_aware(when) else when.year
    register = _locked_register(agency, year, kind)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return RegisterEntry.objects.create(register=register, number=register.last_number, document=document,
                                        assigned_at=when, assigned_by=actor if getattr(actor, "pk", None) else None)


@transaction.atomic
def cancel_number(entry, *, reason, actor=None):
    """A number given in error stays in the register, marked cancelled; it is never given again."""
    if not reason:
        raise HosoError("Cần nêu lý do hủy số.", code="reason_required")
    if entry.cancelled_at:
        raise HosoError("Số này đã bị hủy.", code="number_cancelled", status=409)
    entry.cancelled_at, entry.cancel_reason = timezone.now(), reason[:300]
    entry.save(update_fields=["cancelled_at", "cancel_reason"])
    audit.record(audit.UPDATE, entry.register, actor=actor, agency_id=entry.register.agency_id,
                 detail={"cancelled_number": entry.number, "reason": reason})
    return entry
