"""The archive step alone, and with the pipeline for nesting: ZIPs expanded within hard limits."""

import io
import os
import stat
import zipfile

import pytest

from ingest import pipeline
from ingest.errors import Rejected
from ingest.steps import archive
from tests.conftest import pdf_bytes

from . import format_samples as samples
from .format_samples import intake


def expand(data, name="ho-so.zip"):
    with intake(data, name) as (candidate, workspace):
        archive.run(candidate, workspace)
        return candidate, [(child.name, child.depth, child.role, child.path.read_bytes()) for child in candidate.children]


def refused(data, name="ho-so.zip"):
    with pytest.raises(Rejected) as caught:
        expand(data, name)
    return caught.value


def patched(data, old: bytes, new: bytes) -> bytes:
    """Replace bytes of an archive (a name, say) in both headers, keeping every length."""
    assert len(old) == len(new) and data.count(old) == 2
    return data.replace(old, new)


def test_entries_become_children_and_the_container_is_not_stored():
    first, second = pdf_bytes("Quyết định số 1"), pdf_bytes("Quyết định số 2")
    data = samples.zip_of([("thu-muc/", b""), ("thu-muc/Quyết định 1.pdf", first), ("Quyết định 2.pdf", second),
                           ("__MACOSX/._Quyết định 2.pdf", b"\0\5\26\7"), (".DS_Store", b"\0\0\0\1Bud1")])
    candidate, children = expand(data)
    assert candidate.skip_store
    assert children == [("thu-muc/Quyết định 1.pdf", 1, "main", first), ("Quyết định 2.pdf", 1, "main", second)]


def test_utf8_names_without_the_utf8_flag_are_read_as_utf8():
    name = "Tờ trình.pdf".encode()
    placeholder = b"x" * len(name)
    data = patched(samples.zip_of([(placeholder.decode(), pdf_bytes())]), placeholder, name)
    assert not zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x800
    assert expand(data)[1][0][0] == "Tờ trình.pdf"


def test_office_files_are_not_expanded():
    with intake(samples.docx(), "to-trinh.docx") as (candidate, workspace):
        archive.run(candidate, workspace)
        assert not candidate.skip_store and not candidate.children


def test_office_file_with_a_bomb_inside_is_refused():
    buffer = io.BytesIO(samples.docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as document:
        document.writestr("word/media/bom.bin", b"\0" * (20 * 1024 * 1024))
    assert refused(buffer.getvalue(), "to-trinh.docx").code == "zip_ratio"


def test_compression_ratio_is_limited():
    error = refused(samples.zip_bomb(20))
    assert error.code == "zip_ratio" and "bom nén" in error.message


def test_small_entries_may_compress_well():
    assert len(expand(samples.zip_of([("trong.txt", b" " * 500_000)]))[1]) == 1


def test_total_size_is_limited(settings):
    settings.HOSO_ZIP_MAX_TOTAL_BYTES = 1024 * 1024
    data = samples.zip_of([("a.bin", os.urandom(600_000)), ("b.bin", os.urandom(600_000))])
    assert refused(data).code == "zip_too_large"


def test_entry_count_is_limited(settings):
    settings.HOSO_ZIP_MAX_ENTRIES = 3
    data = samples.zip_of([(f"{i}.txt", b"x") for i in range(4)])
    assert refused(data).code == "zip_too_many_entries"
    assert len(expand(samples.zip_of([(f"{i}.txt", b"x") for i in range(3)]))[1]) == 3


def test_a_huge_central_directory_is_refused_before_it_is_read(settings):
    settings.HOSO_ZIP_MAX_ENTRIES = 2
    data = samples.zip_of([("a" * 1500 + ".txt", b"x"), ("b" * 1500 + ".txt", b"y")])
    assert refused(data).code == "zip_too_many_entries"


@pytest.mark.parametrize("entry", ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\system.ini", "C:x.pdf",
                                   "a\\..\\b.pdf", "thu-muc/../../b.pdf"])
def test_unsafe_paths_refuse_the_archive(entry):
    placeholder = "p" * len(entry.encode())
    data = patched(samples.zip_of([("ok.pdf", pdf_bytes()), (placeholder, b"x")]), placeholder.encode(),
                   entry.encode())
    error = refused(data)
    assert error.code == "zip_path_traversal"
    assert error.detail["entry"] == entry


def test_symbolic_links_refuse_the_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        link = zipfile.ZipInfo("lien-ket.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zipped.writestr(link, "/etc/passwd")
    assert refused(buffer.getvalue()).code == "zip_path_traversal"


def test_encrypted_entries_refuse_the_archive():
    data = samples.zip_of([("mat.pdf", pdf_bytes())])
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    data = bytearray(data)
    data[local + 6] |= 1  # the "encrypted" flag, in both headers
    data[central + 8] |= 1
    assert refused(bytes(data)).code == "zip_encrypted"


def test_damaged_and_empty_archives():
    assert refused(b"PK\x03\x04" + os.urandom(200)).code == "zip_unreadable"
    assert refused(samples.zip_of([])).code == "empty_file"
    assert refused(samples.zip_of([("thu-muc/", b"")])).code == "empty_file"


def test_headers_that_lie_about_sizes_let_no_more_bytes_in():
    honest = samples.zip_of([("a.txt", os.urandom(300_000))])
    info = zipfile.ZipFile(io.BytesIO(honest)).infolist()[0]
    data = bytearray(honest)
    central = honest.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (1000).to_bytes(4, "little")  # declared size: 1000 bytes
    assert info.file_size == 300_000
    assert refused(bytes(data)).code == "zip_unreadable"


def test_metered_reads_stop_at_the_limits():
    info = zipfile.ZipInfo("a.bin")
    info.compress_size = 10_000
    limits = archive.Limits(total=3 * archive.MB, ratio=100, entries=10, depth=2)
    reader = archive._Metered(io.BytesIO(b"\0" * (2 * archive.MB)), info, archive._Spent(), limits, "ho-so.zip")
    assert len(reader.read(-1)) == archive.CHUNK
    with pytest.raises(Rejected) as caught:
        reader.read(archive.CHUNK)
    assert caught.value.code == "zip_ratio"
    spent = archive._Spent(bytes=3 * archive.MB)
    info.compress_size = archive.MB
    with pytest.raises(Rejected) as caught:
        archive._Metered(io.BytesIO(b"x"), info, spent, limits, "ho-so.zip").read()
    assert caught.value.code == "zip_too_large"


def process(data, name="ho-so.zip"):
    with pipeline.Workspace() as workspace:
        return [(c.name, c.depth) for c in pipeline.process(workspace.add(data, name), workspace)]


def test_nesting_is_limited_by_depth(settings):
    assert process(samples.nested_zip(2)) == [("van-ban.pdf", 2)]
    with pytest.raises(Rejected) as caught:
        process(samples.nested_zip(3))
    assert caught.value.code == "zip_nesting"
    settings.HOSO_ZIP_MAX_DEPTH = 3
    assert process(samples.nested_zip(3)) == [("van-ban.pdf", 3)]


def test_nested_archives_share_one_budget(settings):
    """Each inner archive is under the limit; together they are not."""
    settings.HOSO_ZIP_MAX_TOTAL_BYTES = 1024 * 1024
    inner = [samples.zip_of([("a.bin", os.urandom(400_000))]) for _ in range(2)]
    with pytest.raises(Rejected) as caught:
        process(samples.zip_of([("mot.zip", inner[0]), ("hai.zip", inner[1])]))
    assert caught.value.code == "zip_too_large"
