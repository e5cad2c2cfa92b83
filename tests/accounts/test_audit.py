import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts import audit
from accounts.models import AuditEntry


@pytest.fixture
def chain(agency_a, clerk_a):
    """Ten entries on top of those the fixtures wrote."""
    for n in range(10):
        audit.record(audit.VIEW, agency_a, actor=clerk_a, client_address="10.0.0.1", detail={"n": n})
    return list(AuditEntry.objects.order_by("seq"))


def sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify_error():
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    return str(err.value)


def test_intact_chain_verifies(chain, capsys):
    call_command("audit", "verify")
    assert f"{len(chain)} entries" in capsys.readouterr().out
    entry = chain[-1]
    assert entry.actor_name == "hadtt.ubnd" and entry.client_address == "10.0.0.1"
    assert entry.agency_id is not None and entry.object_type == "accounts.agency"


def test_altered_entry_is_named(chain):
    target = chain[4]
    sql("UPDATE accounts_auditentry SET client_address = %s WHERE seq = %s", "1.2.3.4", target.seq)
    message = verify_error()
    assert f"#{target.seq}" in message and "altered" in message


def test_altered_hash_is_named(chain):
    target = chain[4]
    sql("UPDATE accounts_auditentry SET hash = %s WHERE seq = %s", "f" * 64, target.seq)
    assert f"#{target.seq}" in verify_error()


def test_deleted_entry_is_named(chain):
    target = chain[5]
    sql("DELETE FROM accounts_auditentry WHERE seq = %s", target.seq)
    message = verify_error()
    assert f"#{target.seq}" in message and "deleted" in message


def test_deleted_tail_is_named(chain):
    target = chain[-1]
    sql("DELETE FROM accounts_auditentry WHERE seq = %s", target.seq)
    message = verify_error()
    assert f"#{target.seq}" in message and "deleted" in message


def test_inserted_entry_is_named(chain):
    """A forged row slipped in by renumbering the rows after it."""
    position = chain[3].seq
    later = [e for e in chain if e.seq > position]
    for entry in reversed(later):
        sql("UPDATE accounts_auditentry SET seq = %s WHERE id = %s", entry.seq + 1, entry.pk)
    forged = chain[3]
    sql(
        "INSERT INTO accounts_auditentry (seq, time, action, actor_id, actor_name, agency_id, object_type,"
        " object_id, object_repr, client_address, detail, prev_hash, hash)"
        " VALUES (%s, %s, 'delete', NULL, 'x', NULL, 'casefiles.document', '1', 'x', '', '{}', %s, %s)",
        position + 1, forged.time, forged.hash, "a" * 64,
    )
    message = verify_error()
    assert f"#{position + 1}" in message and "inserted" in message


def test_appended_entry_is_named(chain):
    last = chain[-1]
    sql(
        "INSERT INTO accounts_auditentry (seq, time, action, actor_id, actor_name, agency_id, object_type,"
        " object_id, object_repr, client_address, detail, prev_hash, hash)"
        " VALUES (%s, %s, 'view', NULL, 'x', NULL, '', '', '', '', '{}', %s, %s)",
        last.seq + 1, last.time, last.hash, "b" * 64,
    )
    assert f"#{last.seq + 1}" in verify_error()


def test_orm_refuses_change_and_delete(chain):
    entry = chain[0]
    entry.object_repr = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
