"""Who am I, units, and decision documents."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from luoshi.accounts.scope import ACTIONS, can, require, role_of, unit_of
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt
from luoshi.api.schemas import ERRORS, DocumentOut, ErrorOut, MeOut, UnitOut, UploadOut
from luoshi.documents.access import get_document_for, visible_documents
from luoshi.documents.errors import too_large_error
from luoshi.documents.models import Document
from luoshi.documents.services import document_json, ingest_document
from luoshi.units.models import Unit

router = Router(tags=["documents and units"])


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller: role, unit, and the actions the role allows."""
    user = request.auth  # type: ignore[attr-defined]
    return {
        "username": user.get_username(),
        "display_name": user.get_full_name(),
        "role": role_of(user),
        "unit": unit_of(user),
        "actions": [action for action in ACTIONS if can(user, action)],
    }


def _with_paths(units: list[Unit]) -> None:
    """Give each unit its ``path`` of names from the top (one query for the whole hierarchy)."""
    names = {u.pk: (u.name, u.parent_id) for u in Unit.objects.only("id", "name", "parent_id")}
    for unit in units:
        out: list[str] = []
        seen: set[int] = set()
        pk: int | None = unit.pk
        while pk is not None and pk not in seen and pk in names:
            seen.add(pk)
            name, pk = names[pk]
            out.append(name)
        unit.path = out[::-1]  # type: ignore[attr-defined]


@router.get("/units", response={200: list[UnitOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Keyset, complete=_with_paths)
def list_units(request: HttpRequest, catalog: str | None = None, active: bool = True) -> Any:
    """Units with their place in the hierarchy (``parent_id`` and ``path`` of names from the top), by catalog."""
    units = Unit.objects.all() if catalog is None else Unit.objects.filter(catalog=catalog)
    if active:
        units = units.filter(active=True)
    return units.order_by("catalog", "id")


@router.get("/documents", response={200: list[DocumentOut], 401: ErrorOut})
@paginate(Keyset)
def list_documents(request: HttpRequest) -> Any:
    """Documents in scope, newest first."""
    return (
        visible_documents(request.auth)  # type: ignore[attr-defined]
        .defer("original", "source_text", "text", "structure", "offset_runs")
        .order_by("-created_at", "-id")
    )


@router.get("/documents/{int:document_id}", response={200: dict[str, Any], **ERRORS})
def get_document(request: HttpRequest, document_id: BigInt) -> dict[str, Any]:
    """The document with its structure: the shape of ``luoshi ingest --json`` (docs/ingest-json.md)."""
    return document_json(get_document_for(request.auth, document_id))  # type: ignore[attr-defined]


@router.post("/documents", response={201: UploadOut, 200: UploadOut, **ERRORS})
def upload_document(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    as_version_of: Form[int | None] = None,
    keep_both: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """Ingest a decision document (multipart: ``file``, optional ``title``); 200 when already stored.

    200 with ``match`` set: a stored document has the same or nearly the same text and nothing was
    stored; send again with ``as_version_of`` (its id) or ``keep_both`` and a distinguishing ``title``.
    """
    user = request.auth  # type: ignore[attr-defined]
    require(user, "plan")
    if file.size is not None and file.size > settings.MAX_UPLOAD_BYTES:
        raise too_large_error(file.size, settings.MAX_UPLOAD_BYTES)
    version_of = get_document_for(user, as_version_of) if as_version_of is not None else None
    outcome = ingest_document(
        data=file.read(),
        filename=file.name or "",
        title=title,
        user=user,
        version_of=version_of,
        keep_both=keep_both,
    )
    document: Document = outcome.document
    match = outcome.match.to_dict() if outcome.match else None
    return Status(
        201 if outcome.created else 200, {"document": document, "created": outcome.created, "match": match}
    )
