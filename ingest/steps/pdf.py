"""PDF: must open with pypdf (libmagic takes anything that begins with %PDF-), have pages and end
with %%EOF; a user password refuses it. Active or hidden content is looked for in the whole object
graph reachable from the trailer: JavaScript, launch actions, embedded files, rich media, XFA forms.
Such a PDF is stored but quarantined (never shown inline) with a flag for each finding.

The walk is iterative with a set of visited objects and a budget of objects, so a hostile graph
(cycles, huge or deep structures) cannot hang it; a PDF too large to walk is quarantined as well.
"""

from pypdf.errors import FileNotDecryptedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from ..errors import Rejected
from ..extractors import open_pdf

EOF_WINDOW = 1024  # readers accept %%EOF within the last kilobyte
MAX_OBJECTS = 200_000
RISKS = {
    "/JavaScript": "pdf_javascript", "/JS": "pdf_javascript",
    "/Launch": "pdf_launch",
    "/EmbeddedFiles": "pdf_embedded_file", "/EmbeddedFile": "pdf_embedded_file",
    "/FileAttachment": "pdf_embedded_file", "/GoToE": "pdf_embedded_file",
    "/RichMedia": "pdf_rich_media", "/RichMediaContent": "pdf_rich_media",
    "/XFA": "pdf_xfa",
}


def run(candidate, workspace):
    if candidate.extension != "pdf":
        return
    if not _ends_with_eof(candidate.path):
        raise Rejected.of("pdf_unreadable", candidate.name)
    try:
        reader = open_pdf(candidate.path)
        pages = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise Rejected.of("pdf_encrypted", candidate.name) from exc
    except Exception as exc:  # a hostile file can make the parser fail in any way
        raise Rejected.of("pdf_unreadable", candidate.name) from exc
    if pages < 1:
        raise Rejected.of("pdf_unreadable", candidate.name)
    findings = risks(reader.trailer)
    if findings:
        candidate.quarantined = True
        candidate.flags.extend(flag for flag in findings if flag not in candidate.flags)


def _ends_with_eof(path) -> bool:
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - EOF_WINDOW))
        return b"%%EOF" in handle.read()


def risks(trailer, budget=MAX_OBJECTS) -> list[str]:
    """Flags for every risky key or name reachable from the trailer, in a stable order."""
    found, seen, stack = set(), set(), [trailer]
    while stack:
        budget -= 1
        if budget < 0:
            found.add("pdf_too_complex")
            break
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            try:
                node = node.get_object()
            except Exception:  # a broken reference hides nothing a viewer would run
                continue
        if isinstance(node, DictionaryObject):
            for key, value in dict.items(node):
                if key in RISKS:
                    found.add(RISKS[key])
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(list.__iter__(node))
        elif isinstance(node, NameObject) and node in RISKS:
            found.add(RISKS[node])
    return sorted(found)
