"""PDF plumbing on bytes: open for an incremental update, write out, find pages, fields and text.

Every change is an incremental update (pyHanko), so the signatures already in a
file stay intact. Artwork drawn with reportlab (routing.signing.draw) is brought
in as form XObjects: the text is set by reportlab with correctly scaled TrueType
metrics, which pyHanko's own text stamps get wrong for 2048-unit fonts.
"""

import io
import logging

from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from accounts.errors import HosoError
from hoso.fonts import register_fonts

logger = logging.getLogger(__name__)

# What a malformed file makes pyHanko or pypdf raise while it is read.
READ_ERRORS = (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError)


def unreadable(detail=""):
    return HosoError("Không đọc được tệp PDF (tệp hỏng hoặc không phải PDF).", code="pdf_unreadable",
                     detail={"reason": detail[:300]} if detail else None)


def open_writer(pdf: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer on the PDF; pdf_unreadable when it is not a readable, unencrypted PDF."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        encrypted = writer.prev.encrypted
        pages = writer.root["/Pages"]["/Count"]
    except READ_ERRORS as exc:
        raise unreadable(str(exc)) from None
    if encrypted:
        raise HosoError("Tệp PDF được đặt mật khẩu (mã hóa); hãy gỡ mật khẩu trước khi ký.", code="pdf_unreadable")
    if not pages:
        raise unreadable("no pages")
    return writer


def output(writer) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def page_count(writer) -> int:
    return int(writer.root["/Pages"]["/Count"])


def media_box(writer, page_ix) -> tuple[float, float, float, float]:
    """(x1, y1, x2, y2) of a page, in points."""
    page_ref, _resources = writer.find_page_for_modification(page_ix)
    box = _inherited(page_ref.get_object(), "/MediaBox")
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _inherited(node, key):
    while node is not None:
        node = node.get_object()
        if key in node:
            return node[key]
        node = node.get("/Parent")
    raise KeyError(key)


def import_art(writer, art_pdf: bytes) -> generic.IndirectObject:
    """The first page of a reportlab PDF as a form XObject of the writer (its BBox is that page)."""
    return writer.import_page_as_xobject(PdfFileReader(io.BytesIO(art_pdf)))


class Art(content.PdfContent):
    """Reportlab artwork as the background of a pyHanko stamp (its box is the artwork's page)."""

    def __init__(self, art_pdf: bytes, width: float, height: float):
        super().__init__(box=layout.BoxConstraints(width=width, height=height))
        self.art_pdf = art_pdf

    def render(self) -> bytes:
        xobject = import_art(self._ensure_writer, self.art_pdf)
        name = f"/HosoArt{xobject.idnum}"
        self.resources.xobject[name] = xobject
        return f"{name} Do".encode()


def add_overlay(writer, page_ix, art_pdf: bytes, origin: tuple[float, float]):
    """Draw a page-sized reportlab PDF over a page, its lower-left corner at origin; the page's own
    content is wrapped in q/Q so that its graphics state cannot shift the overlay."""
    xobject = import_art(writer, art_pdf)
    name = f"/HosoArt{xobject.idnum}"
    before = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
    after = writer.add_object(generic.StreamObject(
        stream_data=f"\nQ q 1 0 0 1 {origin[0]:g} {origin[1]:g} cm {name} Do Q\n".encode()))
    resources = generic.DictionaryObject({
        generic.pdf_name("/XObject"): generic.DictionaryObject({generic.pdf_name(name): xobject})})
    writer.add_stream_to_page(page_ix, before, prepend=True)
    writer.add_stream_to_page(page_ix, after, resources=resources)


def add_blank_page(writer, like_page_ix) -> int:
    """Append an empty page of the same size as another; return its index."""
    x1, y1, x2, y2 = media_box(writer, like_page_ix)
    page = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject([generic.FloatObject(v) for v in (x1, y1, x2, y2)]),
        generic.pdf_name("/Resources"): generic.DictionaryObject(),
        generic.pdf_name("/Contents"): writer.add_object(generic.StreamObject(stream_data=b"")),
    })
    writer.insert_page(page)
    return page_count(writer) - 1


def text_lines(pdf: bytes, page_ix) -> list[tuple[float, float, float, str]]:
    """(x1, y, x2, text) of the text runs on a page, in page coordinates (pypdf). The end x2 is an
    estimate: the run set in hoso's serif font, which is wider than the usual ones."""
    regular, _bold = register_fonts()
    found = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[0] * cm[0]) or 1
            found.append((x, y, x + stringWidth(text.strip(), regular, size * scale), text.strip()))

    try:
        PdfReader(io.BytesIO(pdf)).pages[page_ix].extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - text is only a placement hint: a page pypdf cannot read has none
        logger.info("Text of page %d could not be read for placing the signature", page_ix, exc_info=True)
        return []
    return found


def signature_fields(writer, *, filled: bool):
    """(name, field dict, field reference) of the filled or empty signature fields, in document order."""
    for name, _value, field_ref in enumerate_sig_fields(writer, filled_status=filled):
        yield name, field_ref.get_object(), field_ref


def form_fields(writer) -> dict[str, generic.IndirectObject]:
    """The top-level form fields by name (iterating a pyHanko array yields its raw items: references)."""
    try:
        fields = writer.root["/AcroForm"]["/Fields"]
    except KeyError:
        return {}
    return {str(ref.get_object().get("/T", "")): ref for ref in fields if isinstance(ref, generic.IndirectObject)}


def append_to(writer, holder, key, item):
    """Append item to the array holder[key] (creating it), marking whichever changed for the update."""
    array = holder.get(key)
    if array is None:
        holder[generic.pdf_name(key)] = generic.ArrayObject([item])
        writer.update_container(holder)
    else:
        array.append(item)
        writer.update_container(array)


def widget_page(writer, field_ref) -> int | None:
    """The index of the page whose annotations hold the field's widget (its first one)."""
    kids = field_ref.get_object().get("/Kids")
    widget = kids.raw_get(0) if kids else field_ref
    target = widget.reference if isinstance(widget, generic.IndirectObject) else None
    for page_ix in range(page_count(writer)):
        page_ref, _resources = writer.find_page_for_modification(page_ix)
        annots = page_ref.get_object().get("/Annots") or ()
        if any(isinstance(item, generic.IndirectObject) and item.reference == target for item in annots):
            return page_ix
    return None


def widget_rect(field) -> tuple[float, float, float, float] | None:
    """The field's (first) widget rectangle, normalised; None when it is invisible (no area)."""
    kids = field.get("/Kids")
    widget = kids[0].get_object() if kids else field
    rect = widget.get("/Rect")
    if rect is None:
        return None
    x1, y1, x2, y2 = (float(v) for v in rect)
    box = min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
    return box if box[2] - box[0] > 1 and box[3] - box[1] > 1 else None
