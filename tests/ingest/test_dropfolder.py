"""Drop folders (ingest.dropfolder): files dropped per agency become documents, then are filed away."""

import fcntl
import json
import os

import pytest

from casefiles.models import Document
from ingest.dropfolder import poll_drop_folders
from tests.conftest import pdf_bytes


@pytest.fixture
def drop(settings, tmp_path, agency_a):
    settings.HOSO_DROP_ROOT = tmp_path / "drop"
    settings.HOSO_DROP_SETTLE_SECONDS = 0
    folder = tmp_path / "drop" / agency_a.abbreviation
    folder.mkdir(parents=True)
    return folder


def listing(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_files_become_documents_and_are_filed_away(drop, agency_a):
    (drop / "Quyết định 5.pdf").write_bytes(pdf_bytes("Quyết định số 5"))
    (drop / "hỏng.pdf").write_bytes(b"")
    (drop / ".đang-chép.pdf").write_bytes(b"%PDF-")  # hidden: a copy in progress

    assert poll_drop_folders() == {"accepted": 1, "duplicate": 0, "rejected": 1}

    assert listing(drop) == [".đang-chép.pdf", "done/Quyết định 5.pdf", "rejected/hỏng.pdf",
                             "rejected/hỏng.pdf.error.json"]
    error = json.loads((drop / "rejected" / "hỏng.pdf.error.json").read_text(encoding="utf-8"))
    assert error == {"file": "hỏng.pdf", "code": "empty_file", "message": "Tệp rỗng."}
    document = Document.objects.get(agency=agency_a)
    assert document.subject == "Quyết định 5"
    assert document.files.get().original_name == "Quyết định 5.pdf"


def test_the_same_bytes_again_go_to_duplicates_and_names_never_collide(drop, agency_a):
    (drop / "a.pdf").write_bytes(pdf_bytes("một"))
    poll_drop_folders()
    (drop / "a.pdf").write_bytes(pdf_bytes("một"))
    (drop / "b.pdf").write_bytes(pdf_bytes("một"))
    assert poll_drop_folders() == {"accepted": 0, "duplicate": 2, "rejected": 0}
    (drop / "a.pdf").write_bytes(pdf_bytes("hai"))
    assert poll_drop_folders()["accepted"] == 1

    assert listing(drop) == ["done/a (2).pdf", "done/a.pdf", "duplicates/a.pdf", "duplicates/b.pdf"]
    assert Document.objects.filter(agency=agency_a).count() == 2


def test_a_file_still_changing_waits(drop, settings):
    settings.HOSO_DROP_SETTLE_SECONDS = 3600
    (drop / "đang-quét.pdf").write_bytes(pdf_bytes())
    assert poll_drop_folders() == {"accepted": 0, "duplicate": 0, "rejected": 0}
    assert listing(drop) == ["đang-quét.pdf"]


def test_a_claim_abandoned_by_a_dead_poller_is_taken_over(drop):
    (drop / "processing").mkdir()
    (drop / "processing" / "bỏ dở.pdf").write_bytes(pdf_bytes("bỏ dở"))
    assert poll_drop_folders()["accepted"] == 1
    assert listing(drop) == ["done/bỏ dở.pdf"]


def test_files_another_poller_holds_are_left_to_it(drop):
    (drop / "processing").mkdir()
    held = [drop / "processing" / "đang xử lý.pdf", drop / "vừa nhận.pdf"]
    for path in held:
        path.write_bytes(pdf_bytes(path.name))
    handles = [os.open(path, os.O_RDONLY) for path in held]
    try:
        for fd in handles:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a live poller does
        assert poll_drop_folders() == {"accepted": 0, "duplicate": 0, "rejected": 0}
    finally:
        for fd in handles:
            os.close(fd)
    assert listing(drop) == ["processing/đang xử lý.pdf", "vừa nhận.pdf"]
    assert poll_drop_folders()["accepted"] == 2


def test_each_agency_has_its_own_folder(drop, agency_b, settings):
    other = settings.HOSO_DROP_ROOT / agency_b.abbreviation
    other.mkdir()
    (other / "x.pdf").write_bytes(pdf_bytes("Sở Nội vụ"))
    (settings.HOSO_DROP_ROOT / "khongco").mkdir()
    (settings.HOSO_DROP_ROOT / "khongco" / "y.pdf").write_bytes(pdf_bytes("không có cơ quan"))

    assert poll_drop_folders()["accepted"] == 1
    assert Document.objects.get().agency == agency_b
    assert listing(settings.HOSO_DROP_ROOT / "khongco") == ["y.pdf"]


@pytest.mark.skipif(bool(os.environ.get("CELERY_BROKER_URL")), reason="eager mode only (no broker)")
def test_the_task_runs_through_celery(drop, agency_a):
    (drop / "qua-celery.pdf").write_bytes(pdf_bytes("qua Celery"))
    assert poll_drop_folders.delay().get() == {"accepted": 1, "duplicate": 0, "rejected": 0}
    assert Document.objects.filter(agency=agency_a, subject="qua-celery").exists()
