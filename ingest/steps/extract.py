"""Extract: text (NFC) and page count of every accepted format (ingest.extractors).

A file that passed the format checks is never refused here: if its extractor fails, the text
stays empty and the flag "extraction_failed" says so ("extractor_missing" when the program that
reads the format, antiword for .doc, is not installed). A PDF with almost no text layer and
every image wait for OCR.
"""

import logging
import unicodedata

from ..extractors import EXTRACTORS, ExtractorMissing, TextBuffer

logger = logging.getLogger(__name__)


def run(candidate, workspace):
    extractor = EXTRACTORS.get(candidate.extension)
    if extractor is not None:
        _extract(candidate, extractor)
    text = unicodedata.normalize("NFC", candidate.text).replace("\x00", "")  # no NUL in a database text
    candidate.text = text.strip()
    candidate.text_source = "extracted" if candidate.text else ""


def _extract(candidate, extractor):
    buffer = TextBuffer()
    try:
        found = extractor(candidate.path, buffer)
    except ExtractorMissing as exc:
        logger.warning("no extractor for %s: %s missing", candidate.extension, exc)
        candidate.flags.append("extractor_missing")
        return
    except Exception:  # a hostile or damaged file can make any parser fail in any way
        logger.warning("extraction failed for a .%s file", candidate.extension, exc_info=True)
        candidate.flags.append("extraction_failed")
        return
    candidate.text = buffer.text()
    candidate.page_count = found.page_count
    candidate.needs_ocr = found.needs_ocr
    if buffer.truncated:
        candidate.flags.append("text_truncated")
