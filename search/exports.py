"""A result list as an XLSX sheet or a PDF table, with the columns a person chose."""

import io
from xml.sax.saxutils import escape

from accounts.errors import HosoError
from hoso.fonts import register_fonts

COLUMNS = {
    "number_notation": "Số, ký hiệu",
    "date": "Ngày",
    "title": "Trích yếu / Tiêu đề",
    "doc_type": "Loại văn bản",
    "kind": "Loại bản ghi",
    "register": "Sổ",
    "agency": "Cơ quan",
    "unit": "Đơn vị",
    "status": "Trạng thái hồ sơ",
    "rights": "Chế độ sử dụng",
    "retention": "Thời hạn bảo quản",
    "files": "Tệp",
    "score": "Điểm phù hợp",
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
    sheet.title = "Kết quả tìm kiếm"
    sheet.append([f"Kết quả tìm kiếm: {query}" if query else "Kết quả tìm kiếm"])
    sheet.append(["STT", *(COLUMNS[c] for c in columns)])
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
                                 topMargin=12 * mm, bottomMargin=12 * mm, title="Kết quả tìm kiếm")
    rows = [[Paragraph("STT", head), *(Paragraph(escape(COLUMNS[c]), head) for c in columns)]]
    for number, hit in enumerate(hits, start=1):
        rows.append([Paragraph(str(number), text), *(Paragraph(escape(str(cell(hit, c))), text) for c in columns)])
    width = page[0] - 24 * mm - 10 * mm
    weights = [3 if c == "title" else 1 for c in columns]
    widths = [10 * mm, *(width * w / sum(weights) for w in weights)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    heading = f"Kết quả tìm kiếm: {query} ({len(hits)} kết quả)" if query else f"Kết quả tìm kiếm ({len(hits)})"
    document.build([Paragraph(escape(heading), title), table])
    return buffer.getvalue(), "application/pdf"


FORMATS = {"xlsx": to_xlsx, "pdf": to_pdf}
