"""OCR: the text of an image-only PDF or a scanned image, recognised by OCRmyPDF (Tesseract, Vietnamese).

OCRmyPDF runs on a temporary copy of the stored file and makes a searchable PDF:
it is stored as a new Blob in searchable_blob, beside the untouched original, and
its text (NFC) becomes the file's text. Only `-l vie` is used: adding English
drops diacritics on some words.

A file is recognised once: only while its ocr_status is pending, and a worker
first claims it (flag "ocr_running:<time>", set under a row lock) so that a second
worker leaves it alone. A claim older than the OCR timeout plus a margin belongs to
a worker that died: it lapses, and ``requeue_pending`` (a beat job) sends such files
round again. Any failure ends as ocr_status failed with a flag naming why
(ingest.errors.MESSAGES), logged, never raised.
"""

import datetime
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageSequence

from casefiles import blobstore
from casefiles.models import DocumentFile
from hoso.text import nfc

from .extractors import TextBuffer
from .extractors import pdf as extract_pdf

logger = logging.getLogger(__name__)

OCR_RUNNING = "ocr_running"  # flag "ocr_running:<unix time>" of a file a worker is recognising
CLAIM_MARGIN = 300  # seconds past the OCR timeout after which a claim has lapsed
IMAGE_DPI = 300  # assumed for scanned images that do not state a credible resolution
Status = DocumentFile.OcrStatus


class OcrError(Exception):
    """OCR did not succeed; code is one of the ocr_* codes of ingest.errors.MESSAGES."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


def enabled() -> bool:
    return bool(settings.HOSO_OCR_ENABLED)


def timeout() -> float:
    """Seconds one OCRmyPDF run may take."""
    return float(settings.HOSO_OCR_TIMEOUT)


def recognise(document_file_id) -> str:
    """Recognise a pending file's text; return what happened: done, failed, skipped, disabled or error."""
    if not enabled():
        return "disabled"
    try:
        document_file = _claim(document_file_id)
    except Exception:  # noqa: BLE001 - a failing task must never crash the worker; the file stays pending
        logger.exception("OCR of document file %s could not start", document_file_id)
        return "error"
    if document_file is None:
        return "skipped"
    try:
        _recognise(document_file)
    except OcrError as exc:
        logger.warning("OCR of document file %s failed: %s", document_file_id, exc)
        return _fail(document_file_id, exc.code)
    except Exception:  # noqa: BLE001 - a failing task must never crash the worker
        logger.exception("OCR of document file %s failed", document_file_id)
        return _fail(document_file_id, "ocr_failed")
    return "done"


def _without_claim(flags):
    return [flag for flag in flags if flag.split(":")[0] != OCR_RUNNING]


def _live_claim(flags, now=None) -> bool:
    """Whether a worker holds the file now (its claim has not lapsed)."""
    now = time.time() if now is None else now
    for flag in flags:
        name, _, since = flag.partition(":")
        if name == OCR_RUNNING and (not since.isdigit() or now - int(since) < timeout() + CLAIM_MARGIN):
            return True
    return False


def _claim(document_file_id):
    """The pending file, now claimed; None when it is not pending or a live worker has it."""
    with transaction.atomic():
        document_file = (
            DocumentFile.objects.select_for_update().select_related("blob")
            .filter(pk=document_file_id, ocr_status=Status.PENDING).first()
        )
        if document_file is None or _live_claim(document_file.flags):
            return None
        document_file.flags = [*_without_claim(document_file.flags), f"{OCR_RUNNING}:{int(time.time())}"]
        document_file.save(update_fields=["flags"])
    return document_file


def pending_unclaimed(older_than=600):
    """Ids of files still pending, unclaimed (or whose claim lapsed), created more than N seconds ago."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than)
    files = DocumentFile.objects.filter(ocr_status=Status.PENDING, created_at__lt=cutoff).values_list("pk", "flags")
    return [pk for pk, flags in files if not _live_claim(flags)]


def _recognise(document_file):
    with tempfile.TemporaryDirectory(prefix="hoso-ocr-", dir=settings.HOSO_INGEST_TMP) as folder:
        folder = Path(folder)
        source, output = folder / "original", folder / "searchable.pdf"
        with blobstore.open_blob(document_file.blob) as stored, open(source, "wb") as copy:
            shutil.copyfileobj(stored, copy)
        options = []
        if document_file.blob.mime_type.startswith("image/"):
            source, options = _prepare_image(source, folder)
        elif document_file.blob.mime_type != "application/pdf":
            raise OcrError("ocr_failed", f"not an image or a PDF: {document_file.blob.mime_type}")
        _run_ocrmypdf(source, output, options)
        text = TextBuffer()
        pages = extract_pdf(output, text).page_count
        with transaction.atomic():
            with open(output, "rb") as searchable:
                blob = blobstore.store(searchable)
            current = DocumentFile.objects.select_for_update().get(pk=document_file.pk)
            current.searchable_blob = blob
            current.text = nfc(text.text()).strip()
            current.text_source = DocumentFile.TextSource.OCR
            current.page_count = pages
            current.ocr_status = Status.DONE
            current.flags = _without_claim(current.flags)
            if text.truncated and "text_truncated" not in current.flags:
                current.flags.append("text_truncated")
            current.save(update_fields=["searchable_blob", "text", "text_source", "page_count", "ocr_status",
                                        "flags"])


def _prepare_image(path, folder):
    """(image to give OCRmyPDF, options): transparency flattened onto white, a resolution when none is credible."""
    with Image.open(path) as image:
        dpi = image.info.get("dpi")
        credible = bool(dpi) and min(dpi) > 96  # OCRmyPDF refuses 96 dpi and less
        if image.mode not in ("1", "L", "RGB"):  # alpha, palette, CMYK: what OCRmyPDF cannot take as it is
            frames = [_flatten(frame) for frame in ImageSequence.Iterator(image)]
            path = folder / "flat.tiff"
            frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate",
                           dpi=dpi if credible else (IMAGE_DPI, IMAGE_DPI))
            credible = True
    return path, [] if credible else ["--image-dpi", str(IMAGE_DPI)]


def _flatten(frame):
    rgba = frame.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _run_ocrmypdf(source, output, options):
    binary = shutil.which(settings.HOSO_OCRMYPDF)
    if binary is None:
        raise OcrError("ocr_unavailable")
    command = [binary, "--quiet", "-l", "vie", "--output-type", "pdf", "--skip-text", *options, str(source),
               str(output)]
    # Its own session, so that a timeout stops the Tesseract processes it started too.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout())
    except subprocess.TimeoutExpired as exc:
        raise OcrError("ocr_timeout", f"more than {timeout():g} s") from exc
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process.returncode != 0:
        raise OcrError("ocr_failed", f"ocrmypdf exit {process.returncode}: {stderr.decode(errors='replace')[-500:]}")


def _fail(document_file_id, code) -> str:
    try:
        with transaction.atomic():
            document_file = DocumentFile.objects.select_for_update().filter(pk=document_file_id).first()
            if document_file is None:
                return "failed"
            flags = _without_claim(document_file.flags)
            document_file.flags = flags if code in flags else [*flags, code]
            document_file.ocr_status = Status.FAILED
            document_file.save(update_fields=["flags", "ocr_status"])
    except Exception:  # noqa: BLE001 - the database itself failing: nothing more to record
        logger.exception("Could not record the OCR failure of document file %s", document_file_id)
    return "failed"
