"""Evidence (佐证材料): a preview page, the file inline (images, PDF) and the download.

Every file is fetched with ``get_evidence_for`` (404 outside the user's scope, as its report) and
read from MEDIA_ROOT through the storage; never from the web root.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from luoshi.reports.access import get_evidence_for
from luoshi.reports.evidence_read import (
    INLINE_TYPES,
    content_disposition,
    preview_kind,
    preview_text,
    read_bytes,
)
from luoshi.reports.models import Evidence


def _file_response(evidence: Evidence, *, inline: bool) -> HttpResponse:
    try:
        data = read_bytes(evidence)
    except OSError:
        raise Http404 from None
    content_type = evidence.content_type if inline else "application/octet-stream"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(evidence, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for(request.user, pk)
    kind = preview_kind(evidence)
    context = {
        "evidence": evidence,
        "kind": kind,
        "report": evidence.report,
        "text": preview_text(evidence) if kind in ("docx", "text") else "",
    }
    return render(request, "web/reports/evidence.html", context)


@login_required
def inline(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as the browser shows it: images and PDF only (anything else is downloaded)."""
    evidence = get_evidence_for(request.user, pk)
    return _file_response(evidence, inline=evidence.content_type in INLINE_TYPES)


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_response(get_evidence_for(request.user, pk), inline=False)
