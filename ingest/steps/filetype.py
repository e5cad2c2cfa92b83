"""Type: the real type (libmagic) must be an accepted format and agree with the extension.

Accepted (Sơn La regulation Art. 7.3): txt, rtf, doc, docx, odt, pdf, csv, xls, xlsx, ods, jpg/jpeg,
png, tif/tiff; also zip (a container, expanded by the archive step) and xml (edXML packages).
Several real types are legitimate for one extension, depending on libmagic's version and on how
the file was written: text is text/plain or text/csv; OOXML and ODF files may show as plain ZIP,
and are then recognised by their parts; old Office files may show as a generic OLE container.
HTML is never plain text (it would run in a browser). A PDF still has to open (ingest.steps.pdf):
libmagic takes anything that begins with %PDF- for a PDF.
"""

import zipfile

import magic

from ..errors import Rejected
from .archive import open_zip

ZIP = "application/zip"
OLE = {"application/CDFV2", "application/x-ole-storage", "application/vnd.ms-office"}
OOXML_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OOXML_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_SHEET = "application/vnd.oasis.opendocument.spreadsheet"

ACCEPTED = {
    "pdf": {"application/pdf"},
    "rtf": {"text/rtf", "application/rtf"},
    "doc": {"application/msword", *OLE},
    "xls": {"application/vnd.ms-excel", *OLE},
    "docx": {OOXML_WORD, ZIP},
    "xlsx": {OOXML_SHEET, ZIP},
    "odt": {ODF_TEXT, ZIP},
    "ods": {ODF_SHEET, ZIP},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "tif": {"image/tiff"},
    "tiff": {"image/tiff"},
    "zip": {ZIP},
    "xml": {"text/xml", "application/xml", "text/plain"},  # XML without a declaration is text/plain
    "txt": {"application/csv"},  # and any text but HTML (_is_text)
    "csv": {"application/csv"},
}
TEXT = {"txt", "csv"}
# What a ZIP must hold to be this office format: a part, or the content of ODF's "mimetype" part.
OFFICE_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": ODF_TEXT, "ods": ODF_SHEET}


def detect(path) -> str:
    try:
        return magic.from_file(str(path), mime=True)
    except magic.MagicException:
        return ""


def run(candidate, workspace):
    extension = candidate.extension
    if extension not in ACCEPTED:
        raise Rejected.of("type_not_allowed", candidate.name)
    mime = detect(candidate.path)
    if not mime:
        raise Rejected.of("type_unknown", candidate.name)
    if not _agrees(candidate, extension, mime):
        raise Rejected.of("type_mismatch", candidate.name, extension=extension, detected=mime)
    candidate.mime_type = mime


def _agrees(candidate, extension, mime) -> bool:
    if extension in TEXT and _is_text(mime):
        return True
    if mime not in ACCEPTED[extension]:
        return False
    if mime == ZIP and extension in OFFICE_MARKERS:
        return _zip_holds(candidate, OFFICE_MARKERS[extension])
    return True


def _is_text(mime) -> bool:
    return mime.startswith("text/") and mime != "text/html"


def _zip_holds(candidate, marker) -> bool:
    """A ZIP libmagic could not name: an OOXML file has its main part, an ODF file its mimetype."""
    with open_zip(candidate) as archive:
        names = set(archive.namelist())
        if marker in names:
            return True
        if "mimetype" not in names or archive.getinfo("mimetype").file_size > 100:
            return False
        try:
            return archive.read("mimetype").decode("ascii", "replace").strip() == marker
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
            return False
