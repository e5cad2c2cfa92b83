import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from accounts.errors import HosoError
from routing import registers
from routing.models import Register, RegisterEntry

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_numbers_run_from_one_per_year_and_kind(agency_a, agency_b):
    numbers = [registers.take_number(agency_a, Register.Kind.INCOMING).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert registers.take_number(agency_a, Register.Kind.OUTGOING).number == 1
    assert registers.take_number(agency_a, Register.Kind.LEGAL).number == 1
    assert registers.take_number(agency_b, Register.Kind.INCOMING).number == 1


def test_year_boundary_restarts_at_one(agency_a):
    late = datetime.datetime(2026, 12, 31, 23, 59, tzinfo=VN)
    early = datetime.datetime(2027, 1, 1, 0, 1, tzinfo=VN)
    assert registers.take_number(agency_a, Register.Kind.OUTGOING, when=late).number == 1
    assert registers.take_number(agency_a, Register.Kind.OUTGOING, when=late).number == 2
    assert registers.take_number(agency_a, Register.Kind.OUTGOING, when=early).number == 1
    # 31/12 23:59 in Vietnam is still 2026 although it is 16:59 UTC
    assert registers.take_number(agency_a, Register.Kind.OUTGOING, when=late.astimezone(ZoneInfo("UTC"))).number == 3


def test_cancelled_number_stays_and_is_never_reused(agency_a, clerk_a):
    first = registers.take_number(agency_a, Register.Kind.OUTGOING)
    with pytest.raises(HosoError):
        registers.cancel_number(first, reason="")
    registers.cancel_number(first, reason="Cấp nhầm", actor=clerk_a)
    assert registers.take_number(agency_a, Register.Kind.OUTGOING).number == 2
    assert RegisterEntry.objects.get(number=1).cancel_reason == "Cấp nhầm"


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_are_unique_and_consecutive(agency_a):
    taken, errors = [], []

    def worker():
        try:
            for _ in range(10):
                taken.append(registers.take_number(agency_a, Register.Kind.INCOMING).number)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sorted(taken) == list(range(1, 61))
    assert Register.objects.get(agency=agency_a, kind="incoming").last_number == 60
