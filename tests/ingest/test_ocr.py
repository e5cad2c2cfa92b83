"""OCR of scans: an image-only PDF or an image gets its Vietnamese text and a searchable copy.

The scans are drawn here with Pillow (DejaVu Serif, 200 dpi), so they carry no text layer.
"""

import hashlib
import io
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from casefiles import blobstore
from casefiles.models import DocumentFile
from casefiles.services import FileInput, create_document
from hoso.fonts import FONT_DIR
from hoso.text import fold
from ingest.tasks import ocr_document_file
from tests.conftest import client_for

needs_ocrmypdf = pytest.mark.skipif(
    shutil.which("ocrmypdf") is None,
    reason="OCRmyPDF is not installed (Debian packages ocrmypdf and tesseract-ocr-vie; `make test` installs them)",
)

LINES = ("Quyết định phê duyệt kế hoạch", "phát triển kinh tế xã hội năm 2026")


def scan(mode="L"):
    """A page of Vietnamese text as a picture: what a scanner gives."""
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), 48)
    image = Image.new(mode, (1700, 600), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(LINES):
        draw.text((100, 150 + 120 * number), line, font=font, fill="black")
    return image


def scan_pdf():
    buffer = io.BytesIO()
    scan().save(buffer, "PDF", resolution=200)
    return buffer.getvalue()


def pending_file(agency, data, name):
    document = create_document(agency=agency, subject="Bản quét", files=[
        FileInput(io.BytesIO(data), name, "main", {"ocr_status": "pending"}),
    ])
    return document.files.get()


def stored_sha256(blob):
    with blobstore.open_blob(blob) as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def assert_recognised(document_file, original):
    document_file.refresh_from_db()
    assert document_file.ocr_status == "done"
    assert document_file.text_source == "ocr"
    assert "phê duyệt" in document_file.text or "kế hoạch" in document_file.text
    assert "quyet dinh phe duyet ke hoach" in fold(document_file.text)
    assert document_file.page_count == 1
    assert "ocr_running" not in document_file.flags
    searchable = document_file.searchable_blob
    assert searchable is not None and searchable.mime_type == "application/pdf"
    assert searchable.sha256 != document_file.blob.sha256
    # The original is untouched: the same bytes as uploaded, under the same name.
    assert document_file.blob.sha256 == hashlib.sha256(original).hexdigest() == stored_sha256(document_file.blob)


@needs_ocrmypdf
def test_image_only_pdf_gets_text_and_a_searchable_copy(agency_a):
    data = scan_pdf()
    document_file = pending_file(agency_a, data, "scan.pdf")
    assert ocr_document_file(document_file.pk) == "done"
    assert_recognised(document_file, data)
    # Done once: running it again changes nothing.
    assert ocr_document_file(document_file.pk) == "skipped"


@needs_ocrmypdf
def test_scanned_pdf_uploaded_through_the_api(clerk_a, django_capture_on_commit_callbacks):
    data = scan_pdf()
    upload = io.BytesIO(data)
    upload.name = "quyet-dinh-scan.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk_a).post(
            "/api/v1/documents/", {"subject": "Quyết định (bản quét)", "file": upload}, format="multipart"
        )
    assert response.status_code == 201, response.content
    assert_recognised(DocumentFile.objects.get(pk=response.json()["files"][0]["id"]), data)
    # Findable by words that exist only in the picture, typed with or without marks.
    for words in ("phát triển kinh tế", "phat trien kinh te"):
        found = client_for(clerk_a).get("/api/v1/search/", {"q": words}).json()
        assert [hit["id"] for hit in found["results"]] == [response.json()["id"]], words


@needs_ocrmypdf
def test_image_uploaded_through_the_api_becomes_text(clerk_a, django_capture_on_commit_callbacks):
    # A PNG with transparency and no resolution: flattened and read as 300 dpi.
    buffer = io.BytesIO()
    scan("RGBA").save(buffer, "PNG")
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "cong-van.png"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk_a).post(
            "/api/v1/documents/", {"subject": "Công văn (ảnh chụp)", "file": upload}, format="multipart"
        )
    assert response.status_code == 201, response.content
    assert_recognised(DocumentFile.objects.get(pk=response.json()["files"][0]["id"]), buffer.getvalue())


def test_only_a_pending_unclaimed_file_is_recognised(agency_a):
    claimed = pending_file(agency_a, scan_pdf(), "scan.pdf")
    claimed.flags = ["ocr_running"]  # another worker has it
    claimed.save()
    assert ocr_document_file(claimed.pk) == "skipped"
    claimed.refresh_from_db()
    assert claimed.ocr_status == "pending" and claimed.flags == ["ocr_running"]

    not_needed = DocumentFile.objects.filter(pk=claimed.pk)
    not_needed.update(ocr_status="none", flags=[])
    assert ocr_document_file(claimed.pk) == "skipped"
    assert ocr_document_file(999_999) == "skipped"


def test_disabled_ocr_leaves_the_file_pending(agency_a, settings):
    settings.HOSO_OCR_ENABLED = False
    document_file = pending_file(agency_a, scan_pdf(), "scan.pdf")
    assert ocr_document_file(document_file.pk) == "disabled"
    document_file.refresh_from_db()
    assert document_file.ocr_status == "pending"


def test_missing_ocrmypdf_fails_with_a_clear_flag(agency_a, settings, tmp_path):
    settings.HOSO_OCRMYPDF = str(tmp_path / "no-such-ocrmypdf")
    document_file = pending_file(agency_a, scan_pdf(), "scan.pdf")
    assert ocr_document_file(document_file.pk) == "failed"
    document_file.refresh_from_db()
    assert document_file.ocr_status == "failed"
    assert document_file.flags == ["ocr_unavailable"]
    assert document_file.searchable_blob is None


@needs_ocrmypdf
def test_damaged_scan_fails_without_raising(agency_a):
    document_file = pending_file(agency_a, b"%PDF-1.4\n% a header and nothing else\n", "hong.pdf")
    assert ocr_document_file(document_file.pk) == "failed"
    document_file.refresh_from_db()
    assert (document_file.ocr_status, document_file.flags) == ("failed", ["ocr_failed"])


@needs_ocrmypdf
def test_ocr_past_its_time_limit_fails(agency_a, settings):
    settings.HOSO_OCR_TIMEOUT = 0.01
    document_file = pending_file(agency_a, scan_pdf(), "scan.pdf")
    assert ocr_document_file(document_file.pk) == "failed"
    document_file.refresh_from_db()
    assert (document_file.ocr_status, document_file.flags) == ("failed", ["ocr_timeout"])


@needs_ocrmypdf
def test_a_lapsed_claim_is_taken_over(agency_a, settings):
    """A worker killed mid-way leaves a claim that lapses after the timeout and a margin."""
    import time

    from ingest import ocr

    stale = pending_file(agency_a, scan_pdf(), "scan.pdf")
    stale.flags = [f"ocr_running:{int(time.time()) - settings.HOSO_OCR_TIMEOUT - ocr.CLAIM_MARGIN - 1}"]
    stale.save()
    assert ocr_document_file(stale.pk) == "done"
    stale.refresh_from_db()
    assert stale.ocr_status == "done" and not any(f.startswith("ocr_running") for f in stale.flags)


def test_pending_files_go_round_again(agency_a, settings):
    import time

    from django.utils import timezone

    from ingest import ocr
    from ingest.tasks import requeue_pending_ocr

    settings.HOSO_OCR_ENABLED = False  # the requeued task then leaves them pending: only the choice is tested
    lost = pending_file(agency_a, scan_pdf(), "lost.pdf")
    running = pending_file(agency_a, scan_pdf() + b"\n", "running.pdf")
    running.flags = [f"ocr_running:{int(time.time())}"]
    running.save()
    fresh = pending_file(agency_a, scan_pdf() + b"\n\n", "fresh.pdf")
    old = timezone.now() - timezone.timedelta(hours=1)
    DocumentFile.objects.filter(pk__in=[lost.pk, running.pk]).update(created_at=old)
    assert ocr.pending_unclaimed() == [lost.pk]
    assert fresh.pk not in ocr.pending_unclaimed()
    assert requeue_pending_ocr() == 1
