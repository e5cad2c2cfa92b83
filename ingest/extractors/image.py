"""Images carry no text layer: they wait for OCR. A TIFF counts one page a frame."""

from PIL import Image

from .base import Found


def image(path, text) -> Found:
    with Image.open(path) as picture:
        return Found(page_count=getattr(picture, "n_frames", 1), needs_ocr=True)
