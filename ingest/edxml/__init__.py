"""edXML (QCVN 102:2016) packages: receive, reply with statuses, export.

Entry points:

``is_edxml(head: bytes) -> bool``
    Whether a file's first bytes (give at least 4 KiB) look like an edXML package: a root
    ``edXML`` element and the QCVN namespace. A cheap sniff for channels that sort files
    (batch import, drop folder); ``import_package`` still validates everything.

``import_package(agency, source, name="", actor=None, request=None) -> EdxmlResult``
    Import a package (bytes or a binary file object) into ``agency``. Returns an
    ``EdxmlResult``: ``document``, ``package`` (the recorded EdxmlPackage), ``duplicate``
    (True when it was already imported: nothing new stored), ``reply`` (the status package
    produced), ``duplicate_of``, ``warnings``. Raises ``ingest.errors.Rejected`` (code
    xml_forbidden, xml_malformed, edxml_invalid, or a pipeline code); nothing is stored then.

``build_status(document_or_package, code, actor=None, description="") -> EdxmlPackage``
    Produce and store the outgoing status package ``code`` (see ``status_codes``) for a
    received document.

``build_document_package(document, business_type=0, reason=...) -> bytes``
    The package of an issued document, with its files (business type 1: its recall).

``send_document(document, *, actor=None, business_type=0, reason=...) -> EdxmlPackage``
    Build that package and keep it as outgoing for the transport.

``status_codes``
    Status code -> Vietnamese meaning (01 đã đến ... 06 hoàn thành, 13/15/16 recall).
"""

import re

from .build import build_document_package, send_document
from .receive import EdxmlResult, import_package
from .status import build_status, status_codes
from .tree import NAMESPACE

_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?edXML[\s/>]")


def is_edxml(head: bytes) -> bool:
    return NAMESPACE.encode() in head and _ROOT.search(head) is not None


__all__ = ["EdxmlResult", "build_document_package", "build_status", "import_package", "is_edxml", "send_document",
           "status_codes"]
