"""How every stored file leaves the server: as an attachment the browser must not sniff or cache."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from documents.models import Document, DocumentStatus


def attachment(document: Document, content: bytes | None = None) -> HttpResponse:
    """The document's file streamed, or `content` in its place (a stamped copy), under its
    original name and sniffed content type. Only an accepted document leaves: one still being
    checked, or rejected, may be a ZIP bomb or a page of script, so it answers 404 to anyone."""
    if document.status != DocumentStatus.ACCEPTED:
        raise Http404("The document is not (or not yet) accepted.")
    if content is None:
        response: HttpResponse = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
    else:
        response = HttpResponse(content, content_type=document.content_type)
        response["Content-Disposition"] = content_disposition_header(True, document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
