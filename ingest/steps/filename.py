"""File names: keep the sender's name (NFC, last path part, at most 255 characters) and its extension.

The stored name is the content hash (casefiles.blobstore), ASCII and within 50 characters,
so nothing in the original name can reach the file system.
"""

from casefiles.services import original_name

from ..errors import Rejected


def run(candidate, workspace):
    name = original_name(candidate.name)
    if any(ord(ch) < 32 for ch in name):
        name = "".join(ch for ch in name if ord(ch) >= 32) or "tep"
    candidate.name = name
    stem, dot, extension = name.rpartition(".")
    candidate.extension = extension.lower() if dot and stem else ""
    if len(candidate.extension) > 10:
        raise Rejected.of("name_invalid", candidate.name)
