"""Fonts with full Vietnamese coverage, shipped with hoso (DejaVu Serif)."""

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
REGULAR = "HosoSerif"
BOLD = "HosoSerif-Bold"


def register_fonts():
    """Register the fonts with reportlab once; return (regular, bold) font names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSerif-Bold.ttf")))
    return REGULAR, BOLD
