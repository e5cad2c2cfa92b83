"""Intake's background work. Tasks take ids and are idempotent."""

from celery import shared_task


@shared_task(name="ingest.ocr_document_file", acks_late=True)
def ocr_document_file(document_file_id):
    """(to be written) Recognise the text of an image-only PDF or an image."""
    return None


def queue_ocr(document_file_id):
    ocr_document_file.delay(document_file_id)
