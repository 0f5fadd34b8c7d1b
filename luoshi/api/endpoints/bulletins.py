"""Bulletins (检查通报) as issued, and the ledger (台账).

As on the bulletins page: the supervision office issues; the office and
leaders read; liaisons and unit heads are refused (403). An issued bulletin
is never changed: issuing the same period and scope again adds a new version.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from luoshi.accounts.scope import RoleRequired
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt
from luoshi.api.schemas import ERRORS
from luoshi.api.schemas_followup import BulletinFormat, BulletinIn, BulletinOut
from luoshi.bulletins import services as bulletins
from luoshi.bulletins.access import may_edit, require_reader
from luoshi.bulletins.models import Bulletin
from luoshi.documents.access import get_document_for

router = Router(tags=["bulletins"])

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}

# The data snapshot and the DOCX (megabytes for a region) stay in the database until downloaded.
ISSUED = Bulletin.objects.select_related("issued_by", "superseded_by").defer(
    "data", "docx", "superseded_by__data", "superseded_by__docx"
)


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS})
@paginate(Keyset)
def list_bulletins(request: HttpRequest, period: str | None = None, document: BigInt | None = None) -> Any:
    """Issued bulletins, newest first; a superseded one names the version that replaced it."""
    user = request.auth  # type: ignore[attr-defined]
    require_reader(user)
    found = ISSUED.all()
    if period is not None:
        found = found.filter(period=period.strip().upper())
    if document is not None:
        found = found.filter(document=get_document_for(user, document))
    return found.order_by("-issued_at", "-id")


@router.post("/bulletins", response={201: BulletinOut, **ERRORS})
def issue_bulletin(request: HttpRequest, payload: BulletinIn) -> Status[Bulletin]:
    """Issue the bulletin for a period and scope: numbered (2024年第3期), stored with its DOCX, never changed.

    Issuing the same period and scope again supersedes the earlier one (``version`` + 1).
    """
    user = request.auth  # type: ignore[attr-defined]
    if not may_edit(user):
        raise RoleRequired(
            "bulletins.edit", "只有督查室人员可以印发通报。", "Only the supervision office issues bulletins."
        )
    document = get_document_for(user, payload.document_id) if payload.document_id is not None else None
    bulletin = bulletins.issue_bulletin(
        period=payload.period,
        document=document,
        level=payload.level or None,
        user=user,
        title=payload.title or None,
        as_of=payload.as_of,
    )
    return Status(201, ISSUED.get(pk=bulletin.pk))


@router.get("/bulletins/{int:bulletin_id}", response={200: BulletinOut, **ERRORS})
def get_bulletin(request: HttpRequest, bulletin_id: BigInt) -> Bulletin:
    require_reader(request.auth)  # type: ignore[attr-defined]
    return get_object_or_404(ISSUED, pk=bulletin_id)


@router.get("/bulletins/{int:bulletin_id}/file", response={200: None, **ERRORS})
def download_bulletin(
    request: HttpRequest, bulletin_id: BigInt, format: BulletinFormat = "docx"
) -> HttpResponse:
    """An issued bulletin as an attachment: the DOCX exactly as issued, the other formats from its snapshot.

    PDF needs WeasyPrint and a CJK font on the server; without them, 400
    ``no_weasyprint`` or ``no_cjk_font``.
    """
    require_reader(request.auth)  # type: ignore[attr-defined]
    bulletin = get_object_or_404(Bulletin, pk=bulletin_id)
    content = bulletins.render_issued(bulletin=bulletin, fmt=format)
    return _attachment(content, format, f"bulletin-{bulletin.year}-{bulletin.sequence}")


@router.get("/ledger", response={200: None, **ERRORS})
def download_ledger(
    request: HttpRequest, document: BigInt | None = None, as_of: dt.date | None = None
) -> HttpResponse:
    """The ledger (台账) workbook: one row per assignment, as of a date (default today)."""
    user = request.auth  # type: ignore[attr-defined]
    require_reader(user)
    doc = get_document_for(user, document) if document is not None else None
    day = as_of or timezone.localdate()
    return _attachment(bulletins.render_ledger(document=doc, as_of=day), "xlsx", f"ledger-{day.isoformat()}")
