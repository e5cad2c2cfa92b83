"""The indexing job: idempotent, takes refs (see search.indexing), re-reads the records."""

from celery import shared_task

from . import indexing


@shared_task(name="search.index_records", acks_late=True, autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
def index_records(refs):
    """Index (or drop) the records named by refs; safe to run again, so a failure is retried."""
    return indexing.refresh(refs)
