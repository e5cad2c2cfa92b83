"""XML: parsed only through defusedxml, as a stream; no DTD, no entities, nothing external.

DTDs and entity declarations (XXE, billion laughs) refuse the file (xml_forbidden), syntax errors
too (xml_malformed). The text content, element by element, becomes the candidate's text
(bounded like every extracted text: HOSO_MAX_TEXT_CHARS).
"""

import xml.sax
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException

from ..errors import Rejected
from ..extractors import TextBuffer


class _Text(ContentHandler):
    def __init__(self, buffer):
        super().__init__()
        self.buffer = buffer

    def characters(self, content):
        self.buffer.add(content)

    def endElement(self, name):
        self.buffer.add("\n")


def run(candidate, workspace):
    if candidate.extension != "xml":
        return
    buffer = TextBuffer()
    try:
        with candidate.open() as source:
            defusedxml.sax.parse(source, _Text(buffer), forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        raise Rejected.of("xml_forbidden", candidate.name) from exc
    except xml.sax.SAXException as exc:
        raise Rejected.of("xml_malformed", candidate.name) from exc
    candidate.text = "\n".join(line.strip() for line in buffer.text().splitlines() if line.strip())
    if buffer.truncated:
        candidate.flags.append("text_truncated")
