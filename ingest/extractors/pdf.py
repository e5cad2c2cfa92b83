"""PDF text, page by page; a PDF with (almost) no text layer is a scan for OCR."""

import functools
import os

from pypdf import PasswordType, PdfReader
from pypdf.errors import FileNotDecryptedError

from .base import Found

MIN_CHARS_PER_PAGE = 20  # fewer visible characters than this, on average, means a scan


def open_pdf(path) -> PdfReader:
    """A reader over the file, decrypted when the user password is empty; FileNotDecryptedError otherwise.

    The intake steps that check a PDF and extract its text get the same parsed reader: the last
    two files read are kept, keyed by path, size and modification time.
    """
    stat = os.stat(path)
    return _parsed(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _parsed(path, size, mtime_ns) -> PdfReader:
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise FileNotDecryptedError("a password is needed")
    return reader


def pdf(path, text) -> Found:
    reader = open_pdf(path)
    pages = reader.pages
    visible = read = 0
    for page in pages:
        page_text = page.extract_text() or ""
        visible += len("".join(page_text.split()))
        read += 1
        if not text.add(page_text + "\n\n"):
            break
    return Found(page_count=len(pages), needs_ocr=visible < MIN_CHARS_PER_PAGE * read)
