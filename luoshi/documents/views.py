from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import can, get_document_for, require, visible_documents
from luoshi.documents.errors import too_large_error
from luoshi.documents.forms import UploadForm
from luoshi.documents.models import Document
from luoshi.documents.services import IngestError, document_json, ingest_document


def get_document(request: HttpRequest, pk: int) -> Document:
    """The one way views fetch a document (404 outside the user's scope)."""
    return get_document_for(request.user, pk)


def _listing(request: HttpRequest) -> Any:
    return visible_documents(request.user).defer("original", "source_text", "text", "structure")


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    context = {"documents": _listing(request), "form": UploadForm(), "can_upload": can(request.user, "plan")}
    return render(request, "documents/list.html", context)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "documents/list.html", {"documents": _listing(request), "form": form,
                                                       "can_upload": True}, status=400)
    upload_file = form.cleaned_data["file"]
    try:
        if upload_file.size > settings.MAX_UPLOAD_BYTES:
            raise too_large_error(upload_file.size, settings.MAX_UPLOAD_BYTES)
        data = upload_file.read()
        outcome = ingest_document(
            data=data, filename=upload_file.name, title=form.cleaned_data["title"], user=request.user
        )
    except IngestError as exc:
        form.add_error("file", str(exc))
        return render(request, "documents/list.html", {"documents": _listing(request), "form": form,
                                                       "can_upload": True}, status=400)
    if not outcome.created:
        messages.info(request, _("This file was already ingested; showing the stored document."))
    return redirect("documents:detail", pk=outcome.document.pk)


def _marked_text(doc: Document) -> list[dict[str, Any]]:
    """Split the normalized text into runs, marking the spans of findings."""
    text = doc.text
    spans = sorted((f.start, max(f.end, f.start), f) for f in doc.findings.all() if f.end > f.start)
    runs: list[dict[str, Any]] = []
    pos = 0
    for start, end, finding in spans:
        if start < pos:
            continue
        if start > pos:
            runs.append({"text": text[pos:start], "finding": None})
        runs.append({"text": text[start:end], "finding": finding})
        pos = end
    runs.append({"text": text[pos:], "finding": None})
    return runs


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_document(request, pk)
    context = {
        "doc": doc,
        "sections": doc.structure.get("sections", []),
        "findings": doc.findings.all(),
        "runs": _marked_text(doc),
        "removed": doc.removals,
    }
    return render(request, "documents/detail.html", context)


@login_required
def detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(document_json(get_document(request, pk)), json_dumps_params={"ensure_ascii": False})


@login_required
def original(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_document(request, pk)
    response = HttpResponse(bytes(doc.original), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="document-{doc.pk}.{doc.format}"'
    return response
