"""Size: nothing empty, nothing past HOSO_MAX_UPLOAD_MB (50 MB, Sơn La regulation Art. 7.4).

The upper limit is enforced while the bytes are copied in (pipeline.Workspace.add), so an
oversized file is never held whole; this step refuses empty files.
"""

from ..errors import Rejected


def run(candidate, workspace):
    if candidate.size == 0:
        raise Rejected.of("empty_file", candidate.name)
