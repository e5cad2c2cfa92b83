"""Receivers that note which records changed and, on commit, queue one indexing job per batch.

Changes inside one transaction are collected in a set (per database connection)
and handed to the task queue once the transaction commits: a thousand saves in
one transaction make one job of a thousand ids, never a thousand jobs; nothing
is queued for a transaction that rolls back. Inside ``hoso.batching.batch()`` (a
batch import: many small transactions) they are collected across transactions.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from casefiles.models import AccessRegime, CaseFile, CaseFileEntry, Document, DocumentFile, Recipient
from hoso import batching

from .indexing import BATCH, CASE_FILE, DOCUMENT

logger = logging.getLogger("hoso.search")


def mark(*refs, using=None):
    """Note refs to index once the current transaction commits (or, inside hoso.batching.batch(),
    when the batch flushes: one job for many transactions)."""
    refs = {(kind, int(pk)) for kind, pk in refs}
    if batching.defer("search", queue, refs):
        return
    connection = transaction.get_connection(using)
    connection.__dict__.setdefault("_hoso_search_pending", set()).update(refs)
    # One flush per transaction: register again only when ours is no longer waiting (it ran, or a
    # rollback dropped it).
    callback = connection.__dict__.get("_hoso_search_flush")
    if callback is None or not any(item[1] is callback for item in connection.run_on_commit):
        callback = connection._hoso_search_flush = partial(flush, connection)
        transaction.on_commit(callback, using=using)


def flush(connection):
    """Queue the refs noted in the transaction that committed."""
    connection.__dict__.pop("_hoso_search_flush", None)
    queue(connection.__dict__.pop("_hoso_search_pending", set()))


def queue(refs):
    """Queue refs to index, BATCH to a job (the job re-reads each record: a rolled-back one is dropped)."""
    from .tasks import index_records

    refs = sorted(refs)
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
