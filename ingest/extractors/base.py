"""What every extractor shares: a bounded text buffer and what it reports besides text."""

from typing import NamedTuple

from django.conf import settings



class Found(NamedTuple):
    """What an extractor learned besides the text: pages, and whether only OCR can read it."""

    page_count: int | None = None
    needs_ocr: bool = False


class ExtractorMissing(Exception):
    """The program that reads this format is not installed here."""


class TextBuffer:
    """Text gathered up to HOSO_MAX_TEXT_CHARS (5 million by default); the rest is dropped and noted."""

    def __init__(self, limit=None):
        self.limit = limit or settings.HOSO_MAX_TEXT_CHARS
        self.parts, self.size, self.truncated = [], 0, False

    def add(self, text: str) -> bool:
        """Keep what fits; False once the buffer is full (the caller may stop reading)."""
        if self.truncated or not text:
            return not self.truncated
        room = self.limit - self.size
        if len(text) > room:
            text, self.truncated = text[:room], True
        self.parts.append(text)
        self.size += len(text)
        return not self.truncated

    def text(self) -> str:
        return "".join(self.parts)
