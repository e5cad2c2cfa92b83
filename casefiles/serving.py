"""Serving a document file's bytes, the same way for the API and the staff UI."""

from django.http import FileResponse

from accounts.errors import HosoError

from . import blobstore, services

PDF = "application/pdf"


def file_response(document_file, *, inline=False, request=None):
    """The file's bytes exactly as stored, audited as a download. A recalled document's content is
    withdrawn (410); only clean PDFs are shown inline, everything else is an attachment."""
    document = document_file.document
    if document.is_recalled:
        raise HosoError("Văn bản đã bị thu hồi, nội dung không còn được sử dụng.", code="document_recalled",
                        status=410)
    blob = document_file.blob
    services.record_download(document_file, request=request)
    inline = inline and blob.mime_type == PDF and not document_file.quarantined
    response = FileResponse(blobstore.open_blob(blob), as_attachment=not inline,
                            filename=document_file.original_name, content_type=blob.mime_type)
    response["Content-Length"] = str(blob.size)
    response["X-Content-SHA256"] = blob.sha256
    return response
