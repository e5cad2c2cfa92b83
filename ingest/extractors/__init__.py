"""Text and page count of every accepted format, one function per format family.

An extractor takes the file's path and a TextBuffer, adds the text it finds (the buffer
bounds it) and returns what it learned besides (pages, need of OCR). Extractors trust the
format checks done before them (ingest.steps.filetype, pdf); a failure is the caller's to note.
"""

from .base import ExtractorMissing, Found, TextBuffer
from .image import image
from .office import doc, opendocument_text, word, xls, xlsx
from .pdf import open_pdf, pdf
from .text import plain, rtf

EXTRACTORS = {
    "pdf": pdf,
    "txt": plain, "csv": plain, "rtf": rtf,
    "doc": doc, "docx": word, "odt": opendocument_text,
    "xls": xls, "xlsx": xlsx, "ods": opendocument_text,
    "jpg": image, "jpeg": image, "png": image, "tif": image, "tiff": image,
}

__all__ = ["EXTRACTORS", "ExtractorMissing", "Found", "TextBuffer", "open_pdf"]
