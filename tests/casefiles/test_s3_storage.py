"""The content-addressed store on a real S3-compatible server, over HTTP.

Needs HOSO_TEST_S3_ENDPOINT (``make test`` starts a moto server and sets it).
Each test gets its own bucket and points the "records" storage at it, as the
HOSO_STORAGE=s3 profile does (location "records", never overwrite).
"""

import hashlib
import io
import os
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.storage import storages

from accounts.errors import HosoError
from casefiles import blobstore, services
from casefiles.models import Blob, DocumentFile
from tests.conftest import client_for, pdf_bytes

ENDPOINT = os.environ.get("HOSO_TEST_S3_ENDPOINT")

pytestmark = [
    pytest.mark.s3,
    pytest.mark.skipif(not ENDPOINT, reason="needs an S3 server: set HOSO_TEST_S3_ENDPOINT (make test does)"),
]

CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}
PREFIX = "records"


@pytest.fixture
def s3(settings):
    import boto3

    bucket = f"hoso-test-{uuid.uuid4().hex[:16]}"
    client = boto3.client(
        "s3", endpoint_url=ENDPOINT, aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"], region_name=CREDENTIALS["region_name"],
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "records": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **CREDENTIALS, "bucket_name": bucket, "endpoint_url": ENDPOINT, "location": PREFIX,
                "file_overwrite": False, "default_acl": None, "querystring_auth": True,
            },
        },
    }
    storages._storages.pop("records", None)

    def keys():
        listing = client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def body(key):
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()

    yield SimpleNamespace(client=client, bucket=bucket, keys=keys, body=body)
    storages._storages.pop("records", None)
    for key in keys():
        client.delete_object(Bucket=bucket, Key=key)
    client.delete_bucket(Bucket=bucket)


def read_all(blob):
    with blobstore.open_blob(blob) as handle:
        return handle.read()


def test_records_storage_is_s3(s3):
    from storages.backends.s3 import S3Storage

    storage = blobstore.records_storage()
    assert isinstance(storage, S3Storage)
    assert storage.bucket_name == s3.bucket


def test_same_bytes_stored_once(s3, db):
    content = pdf_bytes("Quyết định lưu trên S3")
    first = blobstore.store(io.BytesIO(content))
    second = blobstore.store(io.BytesIO(content))

    assert second.pk == first.pk
    assert Blob.objects.count() == 1
    assert first.sha256 == hashlib.sha256(content).hexdigest()
    assert first.size == len(content)
    assert first.mime_type == "application/pdf"
    assert s3.keys() == [f"{PREFIX}/{first.name}"]
    assert s3.body(f"{PREFIX}/{first.name}") == content
    assert read_all(first) == content


def test_different_bytes_are_different_objects(s3, db):
    one = blobstore.store(io.BytesIO("Công văn số 1".encode()))
    two = blobstore.store(io.BytesIO("Công văn số 2".encode()))

    assert one.name != two.name
    assert s3.keys() == sorted([f"{PREFIX}/{one.name}", f"{PREFIX}/{two.name}"])
    assert read_all(one) == "Công văn số 1".encode()
    assert read_all(two) == "Công văn số 2".encode()


def test_large_file_round_trip(s3, db):
    # Past boto3's 8 MB threshold: a multipart upload.
    content = os.urandom(9 * 1024 * 1024 + 123)
    blob = blobstore.store(io.BytesIO(content))

    assert blob.size == len(content)
    digest = hashlib.sha256()
    with blobstore.open_blob(blob) as handle:
        while chunk := handle.read(blobstore.CHUNK):
            digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(content).hexdigest() == blob.sha256


def test_whole_object_left_by_an_earlier_write_is_reused(s3, db):
    content = "Tờ trình còn sót lại".encode()
    name = blobstore.blob_name(hashlib.sha256(content).hexdigest())
    s3.client.put_object(Bucket=s3.bucket, Key=f"{PREFIX}/{name}", Body=content)

    blob = blobstore.store(io.BytesIO(content))

    assert blob.name == name
    assert s3.keys() == [f"{PREFIX}/{name}"]
    assert read_all(blob) == content


def test_object_with_other_bytes_under_the_name_is_refused(s3, db):
    content = "Nội dung thật".encode()
    name = blobstore.blob_name(hashlib.sha256(content).hexdigest())
    s3.client.put_object(Bucket=s3.bucket, Key=f"{PREFIX}/{name}", Body=b"something else")

    with pytest.raises(HosoError) as error:
        blobstore.store(io.BytesIO(content))

    assert error.value.code == "blob_conflict"
    assert not Blob.objects.exists()
    assert s3.body(f"{PREFIX}/{name}") == b"something else"  # never overwritten


def test_document_files_download_through_the_api(s3, clerk_a):
    main = pdf_bytes("Quyết định phê duyệt kế hoạch", pages=2)
    appendix = "Phụ lục: danh sách đơn vị\n".encode()
    document = services.create_document(
        agency=clerk_a.agency, actor=clerk_a, subject="Về việc phê duyệt kế hoạch năm 2026",
        files=[(io.BytesIO(main), "Quyết định.pdf", DocumentFile.Role.MAIN),
               (io.BytesIO(appendix), "Phụ lục.txt", DocumentFile.Role.APPENDIX)],
    )
    files = list(document.files.select_related("blob").order_by("ordinal"))
    assert s3.keys() == sorted(f"{PREFIX}/{file.blob.name}" for file in files)

    client = client_for(clerk_a)
    for file, content in zip(files, [main, appendix]):
        response = client.get(f"/api/v1/documents/{document.pk}/files/{file.pk}/download/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Length"] == str(len(content))
        assert response["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
        assert "attachment" in response["Content-Disposition"]
    assert "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf" in client.get(
        f"/api/v1/documents/{document.pk}/files/{files[0].pk}/download/")["Content-Disposition"]


def test_upload_through_the_api_lands_in_the_bucket(s3, clerk_a):
    content = pdf_bytes("Công văn gửi qua API")
    upload = io.BytesIO(content)
    upload.name = "Công văn 17.pdf"
    client = client_for(clerk_a)
    response = client.post("/api/v1/documents/", {"subject": "Về việc báo cáo số liệu", "kind": "received",
                                                   "file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    stored = response.json()["files"][0]

    assert s3.keys() == [f"{PREFIX}/{stored['stored_name']}"]
    assert s3.body(f"{PREFIX}/{stored['stored_name']}") == content
    download = client.get(stored["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
