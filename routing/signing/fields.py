"""The number and date of an issued document, as form fields filled after the leader signs.

The draft gets two empty, read-only text fields on page 1: "so" for "Số: 15/QĐ-UBND"
and "ngay" for "Sơn La, ngày 05 tháng 3 năm 2026". The leader signs the draft; the
clerk numbers it afterwards. Filling a form field is a change the leader's signature
allows (its lock permits form filling), so the signature stays valid.
"""

from datetime import date

from pyhanko.pdf_utils import generic

from accounts.errors import HosoError
from hoso.text import long_date

from . import draw, layout
from .pdf import (append_to, form_fields, import_art, media_box, open_writer, output, signature_fields,
                  widget_rect)

NUMBER_FIELD = "so"
DATE_FIELD = "ngay"
READ_ONLY = 1  # field flag: people cannot type into it, hoso fills it
PRINT = 4  # annotation flag


def _name(value):
    return generic.pdf_name(value)


def _acro_form(writer):
    """The document's form dictionary, created when it has none."""
    root = writer.root
    if "/AcroForm" not in root:
        helvetica = generic.DictionaryObject({
            _name("/Type"): _name("/Font"), _name("/Subtype"): _name("/Type1"),
            _name("/BaseFont"): _name("/Helvetica"), _name("/Encoding"): _name("/WinAnsiEncoding"),
        })
        root[_name("/AcroForm")] = writer.add_object(generic.DictionaryObject({
            _name("/Fields"): generic.ArrayObject(),
            _name("/DA"): generic.pdf_string("/Helv 0 Tf 0 g"),
            _name("/DR"): generic.DictionaryObject({
                _name("/Font"): generic.DictionaryObject({_name("/Helv"): writer.add_object(helvetica)})}),
        }))
        writer.update_root()
    return root["/AcroForm"]


def _add_text_field(writer, name, box):
    page_ref, _resources = writer.find_page_for_modification(0)
    x1, y1, x2, y2 = box
    blank = writer.add_object(generic.StreamObject({
        _name("/Type"): _name("/XObject"), _name("/Subtype"): _name("/Form"),
        _name("/BBox"): generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, x2 - x1, y2 - y1)]),
    }, stream_data=b""))
    field = writer.add_object(generic.DictionaryObject({
        _name("/FT"): _name("/Tx"), _name("/T"): generic.pdf_string(name), _name("/Ff"): generic.NumberObject(READ_ONLY),
        _name("/DA"): generic.pdf_string("/Helv 12 Tf 0 g"),
        _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Widget"), _name("/F"): generic.NumberObject(PRINT),
        _name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in box]), _name("/P"): page_ref,
        _name("/AP"): generic.DictionaryObject({_name("/N"): blank}),
    }))
    append_to(writer, page_ref.get_object(), "/Annots", field)
    append_to(writer, _acro_form(writer), "/Fields", field)


def prepare_draft(pdf: bytes) -> bytes:
    """Add the empty number and date fields to page 1 of a draft (settings HOSO_STAMP_NUMBER_BOX and
    HOSO_STAMP_DATE_BOX place them). A draft that has them already is returned as it is."""
    writer = open_writer(pdf)
    if next(signature_fields(writer, filled=True), None) is not None:
        raise HosoError("Văn bản đã được ký số: không thể thêm ô số và ngày ban hành.", code="pdf_already_signed",
                        status=409)
    present = form_fields(writer)
    missing = [(name, box) for name, box in ((NUMBER_FIELD, layout.number_box()), (DATE_FIELD, layout.date_box()))
               if name not in present]
    if not missing:
        return pdf
    origin = media_box(writer, 0)[:2]
    for name, box in missing:
        _add_text_field(writer, name, layout.shift(box, origin))
    return output(writer)


def _fill(writer, field_ref, text, *, italic=False):
    field = field_ref.get_object()
    x1, y1, x2, y2 = widget_rect(field)
    field[_name("/V")] = generic.TextStringObject(text)
    field[_name("/AP")] = generic.DictionaryObject({
        _name("/N"): import_art(writer, draw.field_text(x2 - x1, y2 - y1, text, italic=italic))})
    writer.mark_update(field_ref)


def fill_number(pdf: bytes, *, number_notation: str, issued_date: date, place: str) -> bytes:
    """Write the number and notation ("Số: 15/QĐ-UBND") and the place and date ("Sơn La, ngày 05 tháng 3
    năm 2026") into the draft's fields, as an incremental update that keeps its signatures valid."""
    writer = open_writer(pdf)
    fields = form_fields(writer)
    if NUMBER_FIELD not in fields or DATE_FIELD not in fields:
        raise HosoError("Văn bản chưa có ô số và ngày ban hành để điền.", code="pdf_fields_missing", status=409)
    _fill(writer, fields[NUMBER_FIELD], f"Số: {number_notation}")
    _fill(writer, fields[DATE_FIELD], long_date(place, issued_date), italic=True)
    return output(writer)
