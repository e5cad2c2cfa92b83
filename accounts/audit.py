"""The append-only audit trail.

Every entry carries the HMAC-SHA256 of its content and of the previous
entry's hash, so a row altered, inserted or deleted directly in the database
breaks the chain; the head row (last sequence and hash, also sealed) catches a
deleted tail. ``verify()`` walks the chain and names the first broken entry.
The key is HOSO_AUDIT_KEY, or one derived from the secret key.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

CREATE = AuditEntry.Action.CREATE
UPDATE = AuditEntry.Action.UPDATE
VIEW = AuditEntry.Action.VIEW
DOWNLOAD = AuditEntry.Action.DOWNLOAD
DELETE = AuditEntry.Action.DELETE
LOGIN = AuditEntry.Action.LOGIN
DENIED = AuditEntry.Action.DENIED

GENESIS = "0" * 64
_FIELDS = (
    "seq", "time", "action", "actor_id", "actor_name", "agency_id", "object_type",
    "object_id", "object_repr", "client_address", "detail", "prev_hash",
)


def _key() -> bytes:
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"hoso-audit-chain", hashlib.sha256).digest()


def _mac(payload: str) -> str:
    return hmac.new(_key(), payload.encode(), hashlib.sha256).hexdigest()


def _canonical(values: dict) -> str:
    values = dict(values)
    values["time"] = values["time"].astimezone(dt_timezone.utc).isoformat(timespec="microseconds")
    return json.dumps([values[f] for f in _FIELDS], ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(entry: AuditEntry) -> str:
    return _mac(_canonical({f: getattr(entry, f) for f in _FIELDS}))


def _head_seal(seq: int, last_hash: str) -> str:
    return _mac(f"head:{seq}:{last_hash}")


def request_address(request) -> str:
    if request is None:
        return ""
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def _locked_head():
    """The chain's head row, locked; created when missing (a fresh or flushed database)."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1)
        except IntegrityError:
            pass  # created by a parallel writer
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def record(action, obj=None, *, actor=None, request=None, agency_id=None, client_address="",
           detail=None, object_type=None, object_id=None, object_repr=None):
    """Append one entry, inside the caller's transaction (all or nothing)."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if agency_id is None:
        agency_id = getattr(obj, "agency_id", None) if obj is not None else None
        if agency_id is None and actor is not None:
            agency_id = getattr(actor, "agency_id", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic(savepoint=False):  # the caller's savepoint, if any, covers it
        head = _locked_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            time=timezone.now(),
            action=str(action),
            actor_id=getattr(actor, "pk", None),
            actor_name=(getattr(actor, "username", "") or "")[:150],
            agency_id=agency_id,
            object_type=object_type or "",
            object_id=str(object_id or "")[:64],
            object_repr=(object_repr or "")[:300],
            client_address=client_address or request_address(request),
            detail=json.loads(json.dumps(detail or {}, default=str)),
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.seal = _head_seal(head.seq, head.hash)
        head.save()
    return entry


@dataclass
class Problem:
    seq: int
    kind: str  # altered | inserted | deleted | head
    message: str


def verify(progress=None) -> Problem | None:
    """Walk the chain; return the first problem found, or None when it is whole."""
    expected_seq, prev_hash = 1, GENESIS
    previous = None
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    pending = next(entries, None)
    while pending is not None:
        entry, pending = pending, next(entries, None)
        if progress:
            progress(1)
        if entry.seq != expected_seq:
            kind = "deleted" if entry.seq > expected_seq else "inserted"
            return Problem(expected_seq, kind, f"entry #{expected_seq} is missing (next found: #{entry.seq})")
        recomputed = entry_hash(entry)
        if entry.hash != recomputed or not hmac.compare_digest(entry.prev_hash, prev_hash):
            # A row whose successor chains to its predecessor was slipped in; otherwise it was changed.
            if pending is not None and pending.prev_hash == prev_hash and entry.hash != recomputed:
                return Problem(entry.seq, "inserted", f"entry #{entry.seq} was inserted into the chain")
            if entry.hash == recomputed:
                return Problem(entry.seq, "deleted",
                               f"the entry before #{entry.seq} was removed or replaced (chain link broken)")
            return Problem(entry.seq, "altered", f"entry #{entry.seq} was altered")
        previous, prev_hash, expected_seq = entry, entry.hash, expected_seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = previous.seq if previous else 0
    if head is None:
        if last_seq:
            return Problem(last_seq, "head", "the chain head is missing")
        return None
    if head.seq == 0 and last_seq == 0:
        return None
    if head.seal != _head_seal(head.seq, head.hash):
        return Problem(head.seq, "head", "the chain head was altered")
    if head.seq > last_seq:
        return Problem(last_seq + 1, "deleted", f"entries #{last_seq + 1}..#{head.seq} were deleted")
    if head.seq != last_seq or head.hash != prev_hash:
        return Problem(head.seq + 1, "inserted", f"entry #{head.seq + 1} was appended behind the system's back")
    return None
