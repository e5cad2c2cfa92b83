"""Deferring after-commit work across a batch of transactions. Imports no app: every app may use it.

A bulk channel (batch import) wraps its loop in ``batch()``; work that would run after
each commit (search indexing) registers with ``defer()`` instead, is merged by key,
and runs once every ``every`` items and at the end. Outside ``batch()``, ``defer``
returns False and the caller does its work as usual.
"""

import contextlib
import contextvars

_pending = contextvars.ContextVar("hoso_batching", default=None)


@contextlib.contextmanager
def batch():
    token = _pending.set({})
    try:
        yield
    finally:
        flush()
        _pending.reset(token)


def defer(key, callback, items) -> bool:
    """Add items to the deferred work ``callback(items)`` under key; False when no batch is open."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.setdefault(key, (callback, set()))[1].update(items)
    return True


def flush():
    """Run the deferred work now (a batch calls this every so many items, and at its end)."""
    pending = _pending.get()
    if not pending:
        return
    work = list(pending.values())
    pending.clear()
    for callback, items in work:
        callback(items)
