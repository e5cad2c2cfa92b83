"""The orphan sweeper (ingest.sweeper, ``hoso sweep_orphans``)."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from casefiles import blobstore
from casefiles.models import Blob
from ingest import sweeper
from ingest.batch import import_file
from tests.conftest import pdf_bytes

pytestmark = pytest.mark.skipif(
    os.environ.get("HOSO_STORAGE", "local") != "local", reason="ages orphans through the local file system"
)
TWO_DAYS_AGO = time.time() - 48 * 3600


def age(path):
    os.utime(path, (TWO_DAYS_AGO, TWO_DAYS_AGO))


@pytest.fixture
def store_state(agency_a, tmp_path):
    """A stored document, a Blob row nobody references, an old and a fresh orphaned object, all aged."""
    source = tmp_path / "Công văn 1.pdf"
    source.write_bytes(pdf_bytes("Công văn số 1"))
    document_blob = Blob.objects.get(sha256=import_file(agency_a, source).sha256)
    lone_blob = blobstore.store(io.BytesIO(pdf_bytes("chưa gắn văn bản nào")))
    storage = blobstore.records_storage()
    old = storage.save(blobstore.blob_name("ab" * 32), ContentFile(b"left by a killed import"))
    fresh = storage.save(blobstore.blob_name("cd" * 32), ContentFile(b"a transaction still running"))
    for name in (document_blob.name, lone_blob.name, old):
        age(storage.path(name))
    return {"document": document_blob.name, "lone": lone_blob.name, "old": old, "fresh": fresh}


def stored_names():
    storage = blobstore.records_storage()
    return set(sweeper._walk(storage, ""))


def test_old_orphans_go_recent_ones_and_every_row_stay(store_state):
    report = sweeper.sweep()
    assert (report.scanned, report.removed, report.young) == (4, [store_state["old"]], [store_state["fresh"]])
    assert stored_names() == {store_state["document"], store_state["lone"], store_state["fresh"]}
    assert Blob.objects.count() == 2


def test_dry_run_removes_nothing(store_state):
    report = sweeper.sweep(dry_run=True)
    assert report.removed == [store_state["old"]]
    assert len(stored_names()) == 4


def test_max_age_zero_takes_every_orphan(store_state):
    assert sorted(sweeper.sweep(0).removed) == sorted([store_state["old"], store_state["fresh"]])


def test_stale_intake_workspaces_go(settings, tmp_path, db):
    settings.HOSO_INGEST_TMP = str(tmp_path)
    for name in ("hoso-ingest-old", "hoso-ingest-new", "other-old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "tmp1234").write_bytes(b"x")
    age(tmp_path / "hoso-ingest-old")
    age(tmp_path / "other-old")

    assert sweeper.sweep().workspaces == [str(tmp_path / "hoso-ingest-old")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hoso-ingest-new", "other-old"]


def test_command_and_task(store_state):
    out = io.StringIO()
    call_command("sweep_orphans", "--dry-run", stdout=out, stderr=io.StringIO())
    assert f"Sẽ xóa: {store_state['old']}" in out.getvalue()
    assert "Đã quét 4 tệp lưu trữ. Sẽ xóa 1 tệp mồ côi" in out.getvalue()
    assert sweeper.sweep_orphans() == {"scanned": 4, "removed": 1, "young": 1, "workspaces": 0}
    assert stored_names() == {store_state["document"], store_state["lone"], store_state["fresh"]}


@pytest.mark.django_db(transaction=True)
def test_an_old_object_swept_while_a_writer_reuses_it_is_written_again():
    """PostgreSQL: a writer finds an old orphaned object (its bytes) and reuses it; before its Blob row
    goes in, the sweeper, holding its lock, removes the object. The writer writes the bytes again."""
    import hashlib
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises the writer and the sweeper whole")
    data = pdf_bytes("Văn bản của lần nhập bị dừng")
    storage = blobstore.records_storage()
    name = storage.save(blobstore.blob_name(hashlib.sha256(data).hexdigest()), ContentFile(data))
    age(storage.path(name))
    stored, errors = [], []

    def writer():
        try:
            stored.append(blobstore.store(io.BytesIO(data)))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE casefiles_blob IN SHARE ROW EXCLUSIVE MODE")
        thread = threading.Thread(target=writer)
        thread.start()
        deadline = time.monotonic() + 60
        with connection.cursor() as cursor:  # until the writer waits on the lock, past its check
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = "
                               "'casefiles_blob'::regclass")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
        assert sweeper._remove(storage, name)
        assert not storage.exists(name)
    thread.join(timeout=60)
    assert not errors and stored[0].name == name
    with storage.open(name) as handle:
        assert handle.read() == data
