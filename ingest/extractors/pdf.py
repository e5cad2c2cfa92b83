"""PDF text, page by page; a PDF with (almost) no text layer is a scan for OCR.

pypdf parses a page's fonts (encodings, ToUnicode maps, widths) each time it extracts a page, though
the pages of one document share the same font objects: a quarter of the extraction time of an
ordinary letter went into parsing its three fonts again on every page. While ``pdf()`` extracts one
document, pypdf's ``Font.from_font_resource`` returns the font it built for that same font object
on an earlier page (pypdf uses the Font as read-only once built). Anywhere else, and on a pypdf
without that method, pypdf runs unchanged.
"""

import contextlib
import contextvars
import functools
import os

from pypdf import PasswordType, PdfReader
from pypdf.errors import FileNotDecryptedError

from .base import Found

MIN_CHARS_PER_PAGE = 20  # fewer visible characters than this, on average, means a scan

_fonts = contextvars.ContextVar("hoso_pdf_fonts", default=None)  # id(font dict) -> (font dict, Font)


def _share_fonts():
    try:
        from pypdf.generic._font import Font
    except ImportError:
        return
    build = getattr(Font, "from_font_resource", None)
    if build is None or getattr(build, "hoso_shared", False):
        return

    def from_font_resource(cls, pdf_font_dict):
        fonts = _fonts.get()
        if fonts is None:
            return build(pdf_font_dict)
        held = fonts.get(id(pdf_font_dict))
        if held is None or held[0] is not pdf_font_dict:  # the dict is kept, so its id is not reused
            held = fonts[id(pdf_font_dict)] = (pdf_font_dict, build(pdf_font_dict))
        return held[1]

    from_font_resource.hoso_shared = True
    Font.from_font_resource = classmethod(from_font_resource)


_share_fonts()


@contextlib.contextmanager
def shared_fonts():
    """Within: each font object of a PDF is parsed once, not once per page."""
    token = _fonts.set({})
    try:
        yield
    finally:
        _fonts.reset(token)


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
    with shared_fonts():
        for page in pages:
            page_text = page.extract_text() or ""
            visible += len("".join(page_text.split()))
            read += 1
            if not text.add(page_text + "\n\n"):
                break
    return Found(page_count=len(pages), needs_ocr=visible < MIN_CHARS_PER_PAGE * read)
