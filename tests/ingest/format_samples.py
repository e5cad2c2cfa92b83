"""Files of every accepted format (and hostile ones), written here with Vietnamese text.

Old Word (.doc) and Excel (.xls) files are written by hand as minimal OLE compound files
(no library writes them): enough for libmagic, antiword and xlrd to read them as the real thing.
"""

import io
import struct
import unicodedata
import zipfile
from contextlib import contextmanager

from tests.conftest import pdf_bytes

PHRASE = "Quyết định phê duyệt kế hoạch cải cách hành chính"
SHORT = "Ủy ban nhân dân tỉnh Sơn La"


def docx(text=PHRASE, cell=SHORT) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    document.add_table(rows=1, cols=1).cell(0, 0).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(rows=((PHRASE, 125), (SHORT, None))) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Danh mục"
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def odt(text=PHRASE) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=SHORT))
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def ods(rows=((PHRASE, SHORT),)) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Bảng 1")
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def rtf(text=PHRASE) -> bytes:
    """RTF as Word writes Vietnamese: \\uN escapes with a one-byte fallback, in a cp1258 document."""
    escaped = "".join(ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in text)
    return ("{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\uc1\\f0 "
            + escaped + "\\par}").encode("ascii")


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text=PHRASE) -> bytes:
    """Windows-1258: letters with a tone mark become the base letter and a separate tone byte."""
    out = ""
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out += unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += "".join(c for c in parts if c in _TONES)
    return out.encode("cp1258")


def image(kind="PNG", frames=1) -> bytes:
    from PIL import Image

    pictures = [Image.new("RGB", (40, 30), (255, 255, 255 - 40 * i)) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, kind, save_all=frames > 1, append_images=pictures[1:])
    return buffer.getvalue()


def scanned_pdf(pages=2) -> bytes:
    """A PDF of pictures only (no text layer), as a scanner makes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for _page in range(pages):
        pdf.rect(72, 600, 300, 100, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_with(change) -> bytes:
    """pdf_bytes() rewritten by pypdf after change(writer)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    from pypdf.actions import JavaScript

    return pdf_with(lambda writer: writer.add_open_action(JavaScript("app.alert('Xin chào');")))


def pdf_with_attachment() -> bytes:
    return pdf_with(lambda writer: writer.add_attachment("virus.exe", b"MZ\x90\x00"))


def pdf_encrypted(password) -> bytes:
    return pdf_with(lambda writer: writer.encrypt(password, "chu-so-huu", algorithm="AES-128"))


def zip_of(entries) -> bytes:
    """A ZIP of [(name, bytes)], deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def nested_zip(levels, content=None) -> bytes:
    """A ZIP holding a ZIP ... levels deep, the innermost holding a PDF (or content)."""
    data = zip_of([("van-ban.pdf", content or pdf_bytes())])
    for level in range(levels - 1):
        data = zip_of([(f"cap-{level}.zip", data)])
    return data


# --- Old Office formats: a minimal OLE compound file (version 3, 512-byte sectors) ---------------

_SECTOR = 512
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name, kind, start, size, right=_NOSTREAM, child=_NOSTREAM):
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, _NOSTREAM, right, child)
            + b"\0" * 36 + struct.pack("<IQ", start, size))


def compound_file(streams) -> bytes:
    """Up to three streams, each padded to 4096 bytes so none goes to the mini stream."""
    fat, body, entries, sector = [_FATSECT, _END], b"", [], 2
    for name, data in streams:
        data = data.ljust(max(4096, -(-len(data) // _SECTOR) * _SECTOR), b"\0")
        count = len(data) // _SECTOR
        fat += [sector + i + 1 for i in range(count - 1)] + [_END]
        entries.append((name, sector, len(data)))
        body += data
        sector += count
    assert len(fat) <= 128 and len(entries) <= 3
    entries.sort(key=lambda entry: (len(entry[0]), entry[0].upper()))  # siblings in the format's order
    directory = _directory_entry("Root Entry", 5, _END, 0, child=1)
    for position, (name, start, size) in enumerate(entries, start=1):
        directory += _directory_entry(name, 2, start, size, right=position + 1 if position < len(entries) else _NOSTREAM)
    directory += _directory_entry("", 0, 0, 0) * (3 - len(entries))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", 0, *[_FREE] * 108))
    return header + struct.pack("<128I", *fat + [_FREE] * (128 - len(fat))) + directory + body


def doc(text=PHRASE) -> bytes:
    """Word 97: a FIB, the text as one UTF-16 piece, and the least of a table stream antiword needs."""
    chars = (text.replace("\n", "\r") + "\r").encode("utf-16-le")
    count = len(chars) // 2
    fib = bytearray(0x200)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0xC1)  # wIdent, nFib (Word 97)
    struct.pack_into("<H", fib, 0x0A, 0x0200)  # fWhichTblStm: the table stream is 1Table
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<I", fib, 0x40, 0x200 + len(chars))  # cbMac
    struct.pack_into("<I", fib, 0x4C, count)  # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)  # cbRgFcLcb
    pieces = struct.pack("<II", 0, count) + struct.pack("<HIH", 0, 0x200, 0)
    parts = {  # index in FibRgFcLcb97 -> data in the table stream
        1: struct.pack("<H", 18) + struct.pack("<9H", 0, 10, 1, 0x0FFF, 0x0FFF, 0, 0, 0, 0),  # stylesheet
        6: struct.pack("<II", 0, count) + struct.pack("<HIHI", 0, 0xFFFFFFFF, 0, 0),  # one section
        15: struct.pack("<HH", 0, 0),  # no fonts
        33: b"\x02" + struct.pack("<I", len(pieces)) + pieces,  # the piece table (Clx)
    }
    table = b""
    for index, data in parts.items():
        struct.pack_into("<II", fib, 0x9A + 8 * index, len(table), len(data))
        table += data
    return compound_file([("WordDocument", bytes(fib) + chars), ("1Table", table)])


def _record(kind, data=b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def xls(rows=((PHRASE, SHORT),), sheet="Trang 1") -> bytes:
    """Excel 97: one sheet of text cells (BIFF8 LABEL records in UTF-16)."""
    name = sheet.encode("utf-16-le")
    sheet_at = len(_bof(5)) + 4 + 8 + len(name) + len(_record(0x000A))
    globals_ = _bof(5) + _record(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(sheet), 1) + name) + _record(0x000A)
    assert len(globals_) == sheet_at
    cells = b"".join(
        _record(0x0204, struct.pack("<HHHHB", r, c, 0, len(value), 1) + value.encode("utf-16-le"))
        for r, row in enumerate(rows) for c, value in enumerate(row)
    )
    dimensions = _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(map(len, rows)), 0))
    return compound_file([("Workbook", globals_ + _bof(0x10) + dimensions + cells + _record(0x000A))])


# --- Hostile inputs -----------------------------------------------------------------------------

HTML = "<!DOCTYPE html><html><body><script>alert(1)</script>Quyết định</body></html>".encode()
HTML_AS_PDF = b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n"
ELF = (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HHI", 2, 0x3E, 1) + b"\x00" * 40
       + b"\x00" * 200)
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r>&x;</r>')
BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">'.encode() for i in range(1, 10))
                  + b"]>\n<lolz>&lol9;</lolz>")


def zip_bomb(megabytes=20) -> bytes:
    return zip_of([("bom.txt", b"\0" * (megabytes * 1024 * 1024))])


def truncated_pdf() -> bytes:
    data = pdf_bytes()
    return data[: len(data) * 2 // 3]


@contextmanager
def intake(data, name):
    """A workspace holding one candidate as the size and file-name steps leave it."""
    from ingest import pipeline
    from ingest.steps import filename

    with pipeline.Workspace() as workspace:
        candidate = workspace.add(data, name)
        filename.run(candidate, workspace)
        yield candidate, workspace
