"""Receivers that note which records changed and, on commit, queue one indexing job per batch.

Changes inside one transaction are collected in a set (per database connection)
and handed to the task queue once the transaction commits: a thousand saves in
one transaction make one job of a thousand ids, never a thousand jobs; nothing
is queued for a transaction that rolls back. Inside ``deferred()`` (a batch of
many small transactions) the changes are collected across transactions instead.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from casefiles.models import AccessRegime, CaseFile, CaseFileEntry, Document, DocumentFile, Recipient
from hoso import batching

from .indexing import BATCH, CASE_FILE, DOCUMENT

logger = logging.getLogger("hoso.search")


_deferred = ContextVar("hoso_search_deferred", default=None)


def mark(*refs, using=None):
    """Note refs to index once the current transaction commits."""
    refs = {(kind, int(pk)) for kind, pk in refs}
    collected = _deferred.get()
    if collected is not None:
        collected.update(refs)
        if len(collected) >= BATCH:
            batch = sorted(collected)
            collected.clear()
            transaction.on_commit(lambda: queue(batch), using=using)
        return
    connection = transaction.get_connection(using)
    connection.__dict__.setdefault("_hoso_search_pending", set()).update(refs)
    # One flush per transaction: register again only when ours is no longer waiting (it ran, or a
    # rollback dropped it).
    callback = connection.__dict__.get("_hoso_search_flush")
    if callback is None or not any(item[1] is callback for item in connection.run_on_commit):
        callback = connection._hoso_search_flush = partial(flush, connection)
        transaction.on_commit(callback, using=using)


@contextmanager
def deferred(using=None):
    """Collect the changes of many transactions (a batch import commits each file on its own) and
    queue them BATCH at a time and at the end, once committed."""
    collected = set()
    token = _deferred.set(collected)
    try:
        yield
    finally:
        _deferred.reset(token)
        batch = sorted(collected)
        transaction.on_commit(lambda: queue(batch), using=using)


def flush(connection):
    """Queue what the connection's transaction changed."""
    connection.__dict__.pop("_hoso_search_flush", None)
    queue(sorted(connection.__dict__.pop("_hoso_search_pending", set())))


def queue(refs):
    """Hand refs to the task queue, BATCH to a job."""
    from .tasks import index_records

    for start in range(0, len(refs), BATCH):
        batch = [list(ref) for ref in refs[start:start + BATCH]]
        try:
            index_records.delay(batch)
        except Exception:  # the records are saved; `hoso search check` repairs the index
            logger.exception("search: indexing %d records failed", len(batch))


def _document(sender, instance, raw=False, **kwargs):
    if not raw:
        mark((DOCUMENT, instance.pk), using=kwargs.get("using"))


def _document_part(sender, instance, raw=False, **kwargs):
    if not raw:
        mark((DOCUMENT, instance.document_id), using=kwargs.get("using"))


def _case_file_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        mark(("casefile_tree", instance.pk), using=kwargs.get("using"))


def _case_file_deleted(sender, instance, **kwargs):
    # Its entries' own delete signals name the documents it held.
    mark((CASE_FILE, instance.pk), using=kwargs.get("using"))


def _filing(sender, instance, raw=False, **kwargs):
    if not raw:
        mark((DOCUMENT, instance.document_id), (CASE_FILE, instance.case_file_id), using=kwargs.get("using"))


def _regime(sender, instance, raw=False, **kwargs):
    if not raw:
        mark(("regime", instance.pk), using=kwargs.get("using"))


RECEIVERS = [
    (Document, _document, _document),
    (DocumentFile, _document_part, _document_part),
    (Recipient, _document_part, _document_part),
    (CaseFile, _case_file_saved, _case_file_deleted),
    (CaseFileEntry, _filing, _filing),
    (AccessRegime, _regime, None),
]


def connect():
    for model, on_save, on_delete in RECEIVERS:
        post_save.connect(on_save, sender=model, dispatch_uid=f"search:{model.__name__}:save")
        if on_delete:
            post_delete.connect(on_delete, sender=model, dispatch_uid=f"search:{model.__name__}:delete")
