"""Intake's background work. Tasks take ids, are idempotent, and never raise out of the worker."""

from celery import shared_task

from . import ocr


@shared_task(name="ingest.ocr_document_file", acks_late=True)
def ocr_document_file(document_file_id):
    """Recognise the text of an image-only PDF or a scanned image (ingest.ocr)."""
    return ocr.recognise(document_file_id)


def queue_ocr(document_file_id):
    # Celery's limits leave OCRmyPDF's own timeout room to fire first and be recorded.
    limit = ocr.timeout()
    ocr_document_file.apply_async((document_file_id,), soft_time_limit=limit + 60, time_limit=limit + 120)


@shared_task(name="ingest.requeue_pending_ocr")
def requeue_pending_ocr():
    """Hourly: files still waiting for OCR (a lost message, a worker killed mid-way) go round again."""
    ids = ocr.pending_unclaimed()
    for document_file_id in ids:
        queue_ocr(document_file_id)
    return len(ids)
