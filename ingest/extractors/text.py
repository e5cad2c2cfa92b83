"""Plain text (txt, csv) in whatever encoding it came, and RTF."""

import codecs
import re
import unicodedata
from pathlib import Path

import charset_normalizer
from striprtf.striprtf import rtf_to_text

from .base import Found

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_VIETNAMESE = re.compile("[\u1ea0-\u1ef9]")  # letters with tone marks, precomposed
_DETECT_BYTES = 1024 * 1024
_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def decode(data: bytes) -> str:
    """Bytes of unknown encoding as text: a BOM, then UTF-8, then Windows-1258 Vietnamese, then a best guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut inside a character at the read limit
            return data[:exc.start].decode("utf-8")
    if (text := _cp1258(data)) is not None:
        return text
    best = charset_normalizer.from_bytes(data[:_DETECT_BYTES]).best()
    return data.decode(best.encoding if best else "cp1258", "replace")


def _cp1258(data: bytes) -> str | None:
    """Windows-1258 writes tone marks as separate combining bytes; short texts fool general detectors.

    It is taken when it yields Vietnamese letters and leaves no stray combining mark.
    """
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    if any(unicodedata.combining(ch) for ch in text) or not _VIETNAMESE.search(text):
        return None
    return text


def _read(path, text) -> bytes:
    """At most what the text buffer can hold (four bytes a character), never the whole of a huge file."""
    with open(path, "rb") as handle:
        return handle.read(4 * (text.limit - text.size) + 4)


def plain(path, text) -> Found:
    text.add(decode(_read(path, text)))
    return Found()


def rtf(path, text) -> Found:
    """RTF markup (pictures as hex) far outweighs its text: the whole file is read (at most the upload limit)."""
    data = Path(path).read_bytes()
    codepage = _CODEPAGE.search(data[:4096])
    encoding = f"cp{int(codepage.group(1))}" if codepage else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    text.add(rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace"))
    return Found()
