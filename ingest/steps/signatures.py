"""Signatures: every signature of a PDF validated against the trust roots (ingest.signatures).

Nothing here rejects a file: a broken or untrusted signature is recorded for the reader to see.
"""

from .. import signatures


def run(candidate, workspace):
    if candidate.mime_type != "application/pdf" and candidate.extension != "pdf":
        return
    found = signatures.read_signatures(candidate.path)
    if found is None:
        candidate.flags.append("signatures_unreadable")
    else:
        candidate.signatures.extend(found)
