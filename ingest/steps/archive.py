"""ZIP containers: expanded into their entries, within hard limits; office files (ZIPs too) only measured.

Only the extension .zip makes a container: docx, xlsx, odt and ods are ZIPs that stay whole, but
their declared sizes are checked before any extractor inflates them (zipfile never inflates an
entry past its declared size). Entries become candidates of their own that pass every step.

Limits (settings, with defaults): HOSO_ZIP_MAX_TOTAL_BYTES (200 MB inflated, for all the archives
of one intake together), HOSO_ZIP_MAX_RATIO (100, per entry past 1 MB), HOSO_ZIP_MAX_ENTRIES (1000,
all archives of one intake together) and HOSO_ZIP_MAX_DEPTH (2 levels of ZIP). Sizes are counted on
the bytes actually inflated, never taken from the headers alone. Unsafe names (absolute, '..',
drive letters, backslashes), symbolic links and encrypted entries refuse the whole archive.
zipfile lists every entry of the central directory when it opens an archive, so the directory's
declared size is bounded first (about 1 KB an entry), before zipfile reads it.
"""

import re
import stat
import struct
import weakref
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from ..errors import Rejected

MB = 1024 * 1024
CHUNK = MB
RATIO_FLOOR = MB  # entries inflating to less than this are too small to be a bomb, whatever their ratio
OFFICE = {"docx", "xlsx", "odt", "ods"}
JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$)")  # what archivers add on their own
DIRECTORY_BYTES_PER_ENTRY = 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)


@dataclass(frozen=True)
class Limits:
    total: int
    ratio: int
    entries: int
    depth: int

    @classmethod
    def from_settings(cls):
        return cls(total=settings.HOSO_ZIP_MAX_TOTAL_BYTES,
                   ratio=settings.HOSO_ZIP_MAX_RATIO,
                   entries=settings.HOSO_ZIP_MAX_ENTRIES,
                   depth=settings.HOSO_ZIP_MAX_DEPTH)


@dataclass
class _Spent:
    """Bytes inflated and entries taken so far in one workspace (nested archives share it)."""

    bytes: int = 0
    entries: int = 0


_spent = weakref.WeakKeyDictionary()


def run(candidate, workspace):
    if candidate.extension == "zip":
        _expand(candidate, workspace, Limits.from_settings())
    elif candidate.extension in OFFICE:
        limits = Limits.from_settings()
        with open_zip(candidate, limits) as archive:
            _check_declared(candidate, archive.infolist(), limits, _Spent())


def open_zip(candidate, limits=None) -> zipfile.ZipFile:
    """The candidate as a ZipFile, once its central directory is known to be of a sane size."""
    limits = limits or Limits.from_settings()
    try:
        if _directory_size(candidate.path) > limits.entries * DIRECTORY_BYTES_PER_ENTRY:
            raise Rejected.of("zip_too_many_entries", candidate.name)
        return zipfile.ZipFile(candidate.path)
    except (zipfile.BadZipFile, OSError, struct.error) as exc:
        raise Rejected.of("zip_unreadable", candidate.name) from exc


def _directory_size(path) -> int:
    """The central directory's size as the end record declares it (ZIP64 included); 0 if none is found."""
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - 22 - 0xFFFF))
        tail = handle.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) < end + 22:
            return 0  # zipfile will say what is wrong
        directory = struct.unpack_from("<I", tail, end + 12)[0]
        if directory != 0xFFFFFFFF:
            return directory
        locator = end - 20  # ZIP64: the real size is in the ZIP64 end record the locator points at
        if locator < 0 or tail[locator:locator + 4] != b"PK\x06\x07":
            raise zipfile.BadZipFile("ZIP64 end record missing")
        handle.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
        record = handle.read(56)
        if record[:4] != b"PK\x06\x06":
            raise zipfile.BadZipFile("ZIP64 end record missing")
        return struct.unpack_from("<Q", record, 40)[0]


def _expand(candidate, workspace, limits):
    if candidate.depth >= limits.depth:
        raise Rejected.of("zip_nesting", candidate.name)
    spent = _spent.setdefault(workspace, _Spent())
    with open_zip(candidate, limits) as archive:
        entries = [info for info in archive.infolist() if not info.is_dir() and not JUNK.search(info.filename)]
        for info in archive.infolist():
            _check_entry(candidate, info)
        _check_declared(candidate, entries, limits, spent)
        if not entries:
            raise Rejected.of("empty_file", candidate.name)
        for info in entries:
            spent.entries += 1
            try:
                with archive.open(info) as stream:
                    child = workspace.add(_Metered(stream, info, spent, limits, candidate.name), _name(info),
                                          role=candidate.role, depth=candidate.depth + 1)
            except _UNREADABLE as exc:
                raise Rejected.of("zip_unreadable", candidate.name) from exc
            candidate.children.append(child)
    candidate.skip_store = True


def _check_entry(candidate, info):
    name = info.filename
    parts = PurePosixPath(name).parts
    if (name.startswith("/") or "\\" in name or _DRIVE.match(name) or ".." in parts
            or stat.S_ISLNK(info.external_attr >> 16)):
        raise Rejected.of("zip_path_traversal", candidate.name, entry=name[:200])
    if info.flag_bits & 0x1:
        raise Rejected.of("zip_encrypted", candidate.name)


def _check_declared(candidate, entries, limits, spent):
    """Refuse early on what the headers admit to; _Metered enforces the same on the real bytes."""
    if spent.entries + len(entries) > limits.entries:
        raise Rejected.of("zip_too_many_entries", candidate.name)
    if spent.bytes + sum(info.file_size for info in entries) > limits.total:
        raise Rejected.of("zip_too_large", candidate.name)
    for info in entries:
        if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise Rejected.of("zip_ratio", candidate.name)


def _name(info) -> str:
    """Entry names without the UTF-8 flag are read as CP437; many archivers wrote UTF-8 all the same."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


class _Metered:
    """An entry's inflated bytes, counted as they come; past a limit the whole archive is refused."""

    def __init__(self, stream, info, spent, limits, archive_name):
        self.stream, self.info, self.spent, self.limits, self.archive_name = stream, info, spent, limits, archive_name
        self.count = 0

    def read(self, size=-1):
        chunk = self.stream.read(CHUNK if size is None or size < 0 else min(size, CHUNK))
        self.count += len(chunk)
        self.spent.bytes += len(chunk)
        if self.spent.bytes > self.limits.total:
            raise Rejected.of("zip_too_large", self.archive_name)
        if self.count > RATIO_FLOOR and self.count > self.limits.ratio * max(self.info.compress_size, 1):
            raise Rejected.of("zip_ratio", self.archive_name)
        return chunk
