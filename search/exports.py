"""A result list as an XLSX sheet or a PDF table, with the columns a person chose, headed in the
language of the request (Vietnamese unless the person chose English); dates stay dd/mm/yyyy."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.errors import HosoError
from hoso.fonts import register_fonts

COLUMNS = {
    "number_notation": gettext_lazy("Number and notation"),
    "date": gettext_lazy("Date"),
    "title": gettext_lazy("Subject / Title"),
    "doc_type": gettext_lazy("Document type"),
    "kind": gettext_lazy("Record kind"),
    "register": gettext_lazy("Document register"),
    "agency": gettext_lazy("Agency"),
    "unit": gettext_lazy("Unit"),
    "status": gettext_lazy("Case-file status"),
    "rights": gettext_lazy("Access regime"),
    "retention": gettext_lazy("Retention period"),
    "files": gettext_lazy("Files"),
    "score": gettext_lazy("Relevance score"),
}
DEFAULT_COLUMNS = ["number_notation", "date", "title", "doc_type", "agency"]


def read_columns(text):
    columns = [c.strip() for c in (text or "").split(",") if c.strip()]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise HosoError("Cột không có: " + ", ".join(unknown), code="invalid_columns", detail=sorted(COLUMNS))
    return columns or list(DEFAULT_COLUMNS)


def cell(hit, column):
    value = hit.get(column)
    if column == "date" and value:
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else value


def to_xlsx(hits, columns, query=""):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Search results")
    sheet.append([_("Search results: %(query)s") % {"query": query} if query else _("Search results")])
    sheet.append([_("No."), *(str(COLUMNS[c]) for c in columns)])
    for cell_ in sheet[2]:
        cell_.font = Font(bold=True)
    for number, hit in enumerate(hits, start=1):
        sheet.append([number, *(cell(hit, c) for c in columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_pdf(hits, columns, query=""):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    regular, bold = register_fonts()
    text = ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName=bold, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=bold, fontSize=12, leading=15, spaceAfter=6)
    buffer = io.BytesIO()
    page = landscape(A4)
    document = SimpleDocTemplate(buffer, pagesize=page, leftMargin=12 * mm, rightMargin=12 * mm,
                                 topMargin=12 * mm, bottomMargin=12 * mm, title=_("Search results"))
    rows = [[Paragraph(escape(_("No.")), head), *(Paragraph(escape(str(COLUMNS[c])), head) for c in columns)]]
    for number, hit in enumerate(hits, start=1):
        rows.append([Paragraph(str(number), text), *(Paragraph(escape(str(cell(hit, c))), text) for c in columns)])
    width = page[0] - 24 * mm - 10 * mm
    weights = [3 if c == "title" else 1 for c in columns]
    widths = [10 * mm, *(width * w / sum(weights) for w in weights)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    count = len(hits)
    if query:
        heading = ngettext("Search results: %(query)s (%(count)s result)",
                           "Search results: %(query)s (%(count)s results)", count) % {"query": query, "count": count}
    else:
        heading = _("Search results (%(count)s)") % {"count": count}
    document.build([Paragraph(escape(heading), title), table])
    return buffer.getvalue(), "application/pdf"


FORMATS = {"xlsx": to_xlsx, "pdf": to_pdf}
