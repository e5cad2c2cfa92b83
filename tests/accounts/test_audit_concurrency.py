import threading

import pytest
from django.core.management import call_command
from django.db import connection

from accounts import audit
from accounts.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain(agency_a):
    errors = []

    def writer(n):
        try:
            for i in range(10):
                audit.record(audit.VIEW, agency_a, detail={"writer": n, "i": i})
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert AuditEntry.objects.filter(action="view").count() == 40
    seqs = list(AuditEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    call_command("audit", "verify")
