from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from documents import selectors
from documents.responses import attachment


@require_safe
def document_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    """The document's check status; polls itself with htmx while the check runs."""
    document = selectors.document_for(user=request.user, uuid=uuid)
    template = "documents/_status.html" if request.headers.get("HX-Request") else "documents/detail.html"
    return render(request, template, {"document": document})


@require_safe
def document_download(request: HttpRequest, uuid: str) -> HttpResponse:
    return attachment(selectors.document_for(user=request.user, uuid=uuid))
