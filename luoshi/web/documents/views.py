from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import can, require
from luoshi.documents import pending
from luoshi.documents.access import get_document_for, visible_documents
from luoshi.documents.errors import too_large_error
from luoshi.documents.models import Document, without_heavy
from luoshi.documents.scans import line_crop
from luoshi.documents.services import IngestError, IngestOutcome, document_json, ingest_document
from luoshi.web.answer import answer_form
from luoshi.web.documents.forms import UploadForm
from luoshi.web.documents.pages import detail_page


def get_document(request: HttpRequest, pk: int) -> Document:
    """The one way views fetch a document (404 outside the user's scope)."""
    return get_document_for(request.user, pk)


def _listing(request: HttpRequest) -> Any:
    return visible_documents(request.user).defer(*without_heavy())


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    context = {"documents": _listing(request), "form": UploadForm(), "can_upload": can(request.user, "plan")}
    return render(request, "web/documents/list.html", context)


def _wants_json(request: HttpRequest) -> bool:
    """The upload script asks for JSON; a plain form post gets pages and redirects."""
    return "application/json" in request.headers.get("Accept", "")


def _ingest(request: HttpRequest, data: dict[str, Any]) -> IngestOutcome:
    upload_file = data["file"]
    if upload_file.size > settings.MAX_UPLOAD_BYTES:
        raise too_large_error(upload_file.size, settings.MAX_UPLOAD_BYTES)
    return ingest_document(
        data=upload_file.read(), filename=upload_file.name, title=data["title"], user=request.user
    )


def _refused(request: HttpRequest, form: UploadForm) -> HttpResponse:
    if _wants_json(request):
        errors = {name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()}
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "web/documents/list.html",
        {"documents": _listing(request), "form": form, "can_upload": True},
        status=400,
    )


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan")
    form = UploadForm(request.POST, request.FILES)
    return answer_form(
        request,
        form,
        lambda data: _ingest(request, data),
        refusals=IngestError,
        done=lambda outcome: _ingested(request, form, outcome),
        page=lambda: _refused(request, form),
    )


def _ingested(request: HttpRequest, form: UploadForm, outcome: IngestOutcome) -> HttpResponse:
    """To the stored document, or, for a duplicate, to the choice of what to do with it."""
    if outcome.match is not None:
        upload_file = form.cleaned_data["file"]
        upload_file.seek(0)
        token = pending.hold(
            data=upload_file.read(),
            filename=upload_file.name,
            title=form.cleaned_data["title"],
            user_id=request.user.pk,
            match=outcome.match.to_dict(),
        )
        location = reverse("documents:duplicate", kwargs={"token": token})
        if _wants_json(request):
            return JsonResponse(
                {"location": location, "created": False, "match": outcome.match.to_dict()},
                json_dumps_params={"ensure_ascii": False},
            )
        return redirect(location)
    if not outcome.created:
        messages.info(request, _("This file was already ingested; showing the stored document."))
    location = reverse("documents:detail", kwargs={"pk": outcome.document.pk})
    if _wants_json(request):
        return JsonResponse({"location": location, "created": outcome.created})
    return redirect(location)


def _held(request: HttpRequest, token: str) -> tuple[pending.Pending, Document]:
    held = pending.load(token, user_id=request.user.pk)
    if held is None:
        raise Http404
    return held, get_document(request, int(held.match.get("document_id") or 0))


@login_required
def duplicate(request: HttpRequest, token: str) -> HttpResponse:
    """The choice for an upload that duplicates a stored document: open it, new version, keep both."""
    require(request.user, "plan")
    held, match = _held(request, token)
    return render(
        request,
        "web/documents/duplicate.html",
        {"held": held, "match": match, "info": held.match, "title": held.title},
    )


@login_required
@require_POST
def resolve(request: HttpRequest, token: str) -> HttpResponse:
    require(request.user, "plan")
    held, match = _held(request, token)
    choice = request.POST.get("choice", "")
    title = request.POST.get("title", "").strip()[:500]
    if choice == "open":
        pending.release(token)
        return redirect("documents:detail", pk=match.pk)
    if choice not in {"version", "keep"}:
        raise Http404
    try:
        outcome = ingest_document(
            data=held.data,
            filename=held.filename,
            title=title or (match.title if choice == "version" else ""),
            user=request.user,
            version_of=match if choice == "version" else None,
            keep_both=choice == "keep",
        )
    except IngestError as exc:
        return render(
            request,
            "web/documents/duplicate.html",
            {"held": held, "match": match, "info": held.match, "title": title, "error": exc.message()},
            status=400,
        )
    pending.release(token)
    return redirect("documents:detail", pk=outcome.document.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_document(request, pk)
    page = detail_page(doc, all_changes=request.GET.get("changes") == "all")
    return render(request, "web/documents/detail.html", {"doc": doc, "page": page})


@login_required
def detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(document_json(get_document(request, pk)), json_dumps_params={"ensure_ascii": False})


@login_required
def original(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_document(request, pk)
    response = HttpResponse(bytes(doc.original), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="document-{doc.pk}.{doc.format}"'
    return response


@login_required
def scan_line(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    """A recognised line cut out of the scan, shown beside its low-confidence finding."""
    doc = get_document(request, pk)
    png = line_crop(original=bytes(doc.original), fmt=doc.format, ocr=doc.ocr or {}, index=line)
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response
