"""Where things go on the page (Decree 30 Appendix I), in PDF points from the page's lower-left corner.

Defaults follow the A4 portrait layout of an administrative document (left margin
30 mm, right margin 15–20 mm): the number under the agency's name at the top left,
the place and date under the national motto at the top right, the signer's block
in the right half below the last line of text. Settings override them:

* HOSO_STAMP_NUMBER_BOX, HOSO_STAMP_DATE_BOX: (x1, y1, x2, y2) of the "Số: …" and
  "…, ngày … tháng … năm …" fields on page 1;
* HOSO_STAMP_SIGNER_COLUMN: (x1, x2) of the column the signer's block is centred in.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from hoso.fonts import register_fonts

NUMBER_BOX = (85, 726, 273, 746)
DATE_BOX = (273, 726, 544, 746)
SIGNER_COLUMN = (305, 544)

MARGIN_BOTTOM = 20 * mm  # text lower down is a footer; the signer's block stays above it
MARGIN_TOP = 20 * mm
MARGIN_RIGHT = 15 * mm

TITLE_SIZE, TITLE_LEADING = 13, 16  # position and name: bold, 13 pt (Appendix I: 13–14 pt)
IMAGE_W, IMAGE_H = 150, 64  # the signer's signature image (about 53 × 23 mm)
GAP = 4
SEAL_MM = 36  # diameter of a seal image that does not state its resolution
SEAL_MAX = 42 * mm
CAPTION_SIZE, CAPTION_LEADING, CAPTION_W = 9, 11, 230  # the agency's signature text under the seal
CAPTION_LINES = 3  # at most; room is kept for them under the signer's block
APPENDIX_SIZE, APPENDIX_LEADING, APPENDIX_W = 10, 12, 230  # Appendix I: size 10, black


Box = tuple[float, float, float, float]


def setting(name, default):
    return tuple(getattr(settings, name, None) or default)


def number_box() -> Box:
    return setting("HOSO_STAMP_NUMBER_BOX", NUMBER_BOX)


def date_box() -> Box:
    return setting("HOSO_STAMP_DATE_BOX", DATE_BOX)


def shift(box: Box, origin) -> Box:
    return box[0] + origin[0], box[1] + origin[1], box[2] + origin[0], box[3] + origin[1]


@dataclass(frozen=True)
class SignerBlock:
    """The signer's block: position lines, the signature image between them and the name."""

    position_lines: tuple[str, ...]
    name: str
    column: tuple[float, float]  # x1, x2
    top: float

    @property
    def centre_x(self) -> float:
        return (self.column[0] + self.column[1]) / 2

    @property
    def image(self) -> Box:
        top = self.top - len(self.position_lines) * TITLE_LEADING - GAP
        return self.centre_x - IMAGE_W / 2, top - IMAGE_H, self.centre_x + IMAGE_W / 2, top

    def baselines(self):
        """(text, baseline y) of each line of text, from the top."""
        lines = [(line, self.top - TITLE_SIZE - i * TITLE_LEADING) for i, line in enumerate(self.position_lines)]
        return lines + [(self.name, self.image[1] - GAP - TITLE_SIZE)]

    @property
    def bottom(self) -> float:
        """The lowest point, keeping room for the agency's seal and signature text under the name."""
        return min(self.image[1] - GAP - TITLE_LEADING, seal_layout(self.image, SEAL_MAX)[0][1])


def signer_block(position: str, name: str, page_box: Box, lines) -> SignerBlock | None:
    """The signer's block on a page below its lowest text in the signer's column (lines from
    pdf.text_lines); None when it does not fit above the bottom margin."""
    _regular, bold = register_fonts()
    x1, x2 = setting("HOSO_STAMP_SIGNER_COLUMN", SIGNER_COLUMN)
    x1, x2 = x1 + page_box[0], x2 + page_box[0]
    wrapped = tuple(simpleSplit(position.upper(), bold, TITLE_SIZE, x2 - x1)) if position.strip() else ()
    floor = page_box[1] + MARGIN_BOTTOM
    in_column = [y for start, y, end, _text in lines if end > x1 and start < x2 and floor < y < page_box[3]]
    top = min(in_column) - TITLE_LEADING if in_column else page_box[3] - MARGIN_TOP
    block = SignerBlock(wrapped, name, (x1, x2), min(top, page_box[3] - MARGIN_TOP))
    return block if block.bottom >= floor else None


def seal_diameter(png: bytes | None) -> float:
    """The seal's actual size in points, from the PNG's resolution (SEAL_MM when it states none)."""
    if png is None:
        return 0
    try:
        with Image.open(io.BytesIO(png)) as image:
            dpi = image.info.get("dpi", (0, 0))[0]
            width = image.width
    except (UnidentifiedImageError, OSError):
        return SEAL_MM * mm
    return min(width / dpi * 72 if dpi > 1 else SEAL_MM * mm, SEAL_MAX)


def seal_layout(image: Box, diameter: float) -> tuple[Box, Box, Box]:
    """(field, seal, caption) boxes of the agency's signature beside a signer's signature image:
    the seal overlaps the left third of the image (Appendix I), the caption below the seal. The field
    does not depend on the seal's size: it is made before the seal is known (routing.signing.stamps)."""
    x1, y1, x2, y2 = image
    right, middle = x1 + (x2 - x1) / 3, (y1 + y2) / 2
    seal = right - diameter, middle - diameter / 2, right, middle + diameter / 2
    caption_top = middle - SEAL_MAX / 2 - 2
    centre = (x1 + x2) / 2
    caption = (centre - CAPTION_W / 2, caption_top - CAPTION_LINES * CAPTION_LEADING - 2,
               centre + CAPTION_W / 2, caption_top)
    field = (min(right - SEAL_MAX, caption[0]), caption[1], max(right, caption[2]), middle + SEAL_MAX / 2)
    return field, seal, caption


def wrap(lines, size, width) -> list[str]:
    regular, _bold = register_fonts()
    return [part for line in lines for part in simpleSplit(line, regular, size, width)]


def appendix_box(page_box: Box, line_count: int) -> Box:
    """The agency's text block at the top right of an appendix's first page."""
    x2, y2 = page_box[2] - MARGIN_RIGHT, page_box[3] - 12
    return x2 - APPENDIX_W, y2 - line_count * APPENDIX_LEADING - 4, x2, y2


def fit_size(text: str, font: str, size: float, width: float) -> float:
    """The font size at most size at which text fits width."""
    needed = stringWidth(text, font, size)
    return size if needed <= width else size * width / needed
