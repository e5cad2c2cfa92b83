"""Word-processing documents and spreadsheets: docx, odt, ods, xlsx, xls, and old Word .doc."""

import io
import shutil
import subprocess

import docx
import openpyxl
import xlrd
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from odf import opendocument, teletype
from odf.namespaces import TEXTNS

from .base import ExtractorMissing, Found

ANTIWORD_TIMEOUT = 60  # seconds
_ODF_BLOCKS = {(TEXTNS, "p"), (TEXTNS, "h")}


def word(path, text) -> Found:
    """docx: every paragraph of the body in order, those inside tables included."""
    document = docx.Document(path)
    for element in document.element.body.iter(qn("w:p")):
        if not text.add(Paragraph(element, document).text + "\n"):
            break
    return Found()


def opendocument_text(path, text) -> Found:
    """odt and ods: every paragraph and heading (spreadsheet cells hold paragraphs too), in order."""
    stack = [opendocument.load(path).body]
    while stack and not text.truncated:
        node = stack.pop()
        if getattr(node, "qname", None) in _ODF_BLOCKS:
            text.add(teletype.extractText(node) + "\n")
        else:
            stack.extend(reversed(getattr(node, "childNodes", [])))
    return Found()


def _rows(rows, text):
    for row in rows:
        cells = [str(value) for value in row if value not in (None, "")]
        if cells and not text.add("\t".join(cells) + "\n"):
            return


def xlsx(path, text) -> Found:
    with open(path, "rb") as handle:  # openpyxl judges a path by its extension; the workspace's have none
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                text.add(f"{sheet.title}\n")
                _rows(sheet.iter_rows(values_only=True), text)
        finally:
            book.close()
    return Found()


def xls(path, text) -> Found:
    book = xlrd.open_workbook(path, on_demand=True, logfile=io.StringIO())
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            text.add(f"{sheet.name}\n")
            _rows((sheet.row_values(row) for row in range(sheet.nrows)), text)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return Found()


def doc(path, text) -> Found:
    """Word 97-2003 through Debian's antiword, one paragraph a line, with a time limit."""
    program = shutil.which("antiword")
    if program is None:
        raise ExtractorMissing("antiword")
    result = subprocess.run([program, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                            timeout=ANTIWORD_TIMEOUT, check=True)
    text.add(result.stdout.decode("utf-8", "replace"))
    return Found()
