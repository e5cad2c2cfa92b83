import hashlib
import io

import pytest
from django.core.files.base import ContentFile

from accounts.errors import HosoError
from casefiles import blobstore
from casefiles.models import Blob, Document
from casefiles.services import create_document, original_name
from tests.conftest import pdf_bytes


def test_name_is_content_addressed_ascii_and_short(db):
    content = pdf_bytes()
    blob = blobstore.store(io.BytesIO(content))
    sha = hashlib.sha256(content).hexdigest()
    assert blob.sha256 == sha and blob.size == len(content)
    assert blob.name == f"{sha[:2]}/{sha[2:4]}/{sha[:48]}"
    assert blob.name.isascii() and len(blob.name.rsplit("/", 1)[1]) <= 50
    assert blob.mime_type == "application/pdf"
    with blobstore.open_blob(blob) as handle:
        assert handle.read() == content


def test_same_bytes_stored_once(db):
    first = blobstore.store(io.BytesIO(b"noi dung"))
    second = blobstore.store(ContentFile(b"noi dung"))
    assert first.pk == second.pk and Blob.objects.count() == 1


def test_existing_object_is_never_overwritten(db):
    """Bytes left by a write whose transaction died are reused only when they hash right."""
    storage = blobstore.records_storage()
    content = b"ban goc"
    name = blobstore.blob_name(hashlib.sha256(content).hexdigest())
    storage.save(name, ContentFile(content))
    blob = blobstore.store(io.BytesIO(content))
    assert blob.name == name
    assert storage.listdir(name.rsplit("/", 1)[0])[1] == [name.rsplit("/", 1)[1]]

    other = b"noi dung khac"
    other_name = blobstore.blob_name(hashlib.sha256(other).hexdigest())
    storage.save(other_name, ContentFile(b"tampered"))
    with pytest.raises(HosoError) as err:
        blobstore.store(io.BytesIO(other))
    assert err.value.code == "blob_conflict"
    with storage.open(other_name) as handle:
        assert handle.read() == b"tampered"


def test_failed_file_rolls_back_the_whole_record(db, agency_a, settings):
    settings.HOSO_MAX_UPLOAD_BYTES = 5000
    with pytest.raises(HosoError):
        create_document(
            agency=agency_a, subject="Hai tệp",
            files=[(io.BytesIO(b"small"), "a.txt", "main"), (io.BytesIO(b"x" * 6000), "b.txt", "attachment")],
        )
    assert not Document.objects.exists() and not Blob.objects.exists()


@pytest.mark.parametrize(
    ("given", "kept"),
    [("C:\\Users\\ha\\Quyết định.pdf", "Quyết định.pdf"), ("../../etc/passwd", "passwd"),
     ("Quye\u0302\u0301t.pdf", "Quyết.pdf"), ("", "tep")],
)
def test_original_name_is_nfc_basename(given, kept):
    assert original_name(given) == kept


def test_a_crash_mid_write_leaves_no_file_under_the_name(db):
    """A write cut short leaves only a hidden partial file, which neither blocks nor poisons the next store."""
    storage = blobstore.records_storage()
    content = b"van ban day du"
    name = blobstore.blob_name(hashlib.sha256(content).hexdigest())
    folder = storage.path(name.rsplit("/", 1)[0])
    import os

    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ".part-deadbeef"), "wb") as partial:
        partial.write(content[:4])  # what a killed writer leaves
    assert not storage.exists(name)
    blob = blobstore.store(io.BytesIO(content))
    with blobstore.open_blob(blob) as handle:
        assert handle.read() == content
    assert sorted(os.listdir(folder)) == [".part-deadbeef", name.rsplit("/", 1)[1]]
