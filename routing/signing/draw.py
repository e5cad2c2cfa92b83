"""The artwork of fields and stamps, drawn with reportlab as one-page PDFs of the exact box size.

Text is set in hoso's serif font (Vietnamese coverage); images are PNG files drawn
with their transparency, so the seal shows the signature underneath it.
"""

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from hoso.fonts import register_fonts

from . import layout

BLACK = (0, 0, 0)
ITALIC_SKEW = 12  # degrees: the shipped font has no italic, the date is slanted instead (Appendix I: italic)


def _page(width, height, paint) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    paint(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def field_text(width, height, text, *, size=13, italic=False) -> bytes:
    """One line of text centred in a box: the number or the place and date."""
    regular, _bold = register_fonts()
    size = layout.fit_size(text, regular, size, width - 2)

    def paint(pdf):
        pdf.setFont(regular, size)
        pdf.translate(width / 2, (height - size) / 2 + size * 0.22)
        if italic:
            pdf.skew(0, ITALIC_SKEW)
        pdf.drawCentredString(0, 0, text)

    return _page(width, height, paint)


def signer_overlay(width, height, block: layout.SignerBlock, origin) -> bytes:
    """The position lines and the name of the signer's block, over a whole page."""
    _regular, bold = register_fonts()
    column_width = block.column[1] - block.column[0]

    def paint(pdf):
        pdf.setFillColorRGB(*BLACK)
        for text, baseline in block.baselines():
            pdf.setFont(bold, layout.fit_size(text, bold, layout.TITLE_SIZE, column_width))
            pdf.drawCentredString(block.centre_x - origin[0], baseline - origin[1], text)

    return _page(width, height, paint)


def _picture(pdf, png, box):
    """Draw a PNG fitted in box (x1, y1, x2, y2), centred, its proportions kept."""
    image = ImageReader(io.BytesIO(png))
    image_w, image_h = image.getSize()
    x1, y1, x2, y2 = box
    scale = min((x2 - x1) / image_w, (y2 - y1) / image_h)
    w, h = image_w * scale, image_h * scale
    pdf.drawImage(image, x1 + (x2 - x1 - w) / 2, y1 + (y2 - y1 - h) / 2, w, h, mask="auto")


def picture(width, height, png) -> bytes:
    """A signature image filling its box."""
    return _page(width, height, lambda pdf: _picture(pdf, png, (0, 0, width, height)))


def stamp(width, height, *, lines, size, leading, caption, seal_png=None, seal=None, align="centre") -> bytes:
    """The agency's signature: the seal image (if any) and lines of text in the caption box, both
    given relative to the stamp's lower-left corner."""
    regular, _bold = register_fonts()

    def paint(pdf):
        if seal_png is not None:
            _picture(pdf, seal_png, seal)
        pdf.setFillColorRGB(*BLACK)
        pdf.setFont(regular, size)
        x1, _y1, x2, y2 = caption
        for i, text in enumerate(lines):
            baseline = y2 - size - i * leading
            if align == "right":
                pdf.drawRightString(x2, baseline, text)
            else:
                pdf.drawCentredString((x1 + x2) / 2, baseline, text)

    return _page(width, height, paint)
