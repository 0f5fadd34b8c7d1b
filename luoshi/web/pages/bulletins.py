"""The bulletins page: what the office chose (period, document, level), the preview and the issued bulletins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from luoshi.accounts.scope import get_document_for, role_of, visible_documents
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.services import EDITORS, FORMATS, BulletinError, bulletin_data, masthead, render
from luoshi.documents.models import Document
from luoshi.units.models import Unit

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
XLSX = CONTENT_TYPES["xlsx"]
ISSUED_SHOWN = 50


@dataclass(frozen=True)
class Choice:
    period: str
    document: Document | None = None
    level: str = ""
    title: str = ""

    def params(self) -> dict[str, Any]:
        return {"period": self.period, "document": self.document.pk if self.document else "", "level": self.level}


@dataclass
class BulletinsPage:
    choice: Choice
    preview: str  # the HTML renderer's page, embedded in an iframe
    error: str
    documents: list[Document]
    levels: list[tuple[str, str]]
    issued: list[Bulletin]
    may_issue: bool
    formats: list[str]


def previous_quarter(today: dt.date) -> str:
    """The last full quarter before the date, e.g. "2026-Q3" in November 2026."""
    quarter = (today.month - 1) // 3
    return f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"


def read_choice(*, user: Any, params: Mapping[str, str], today: dt.date) -> Choice:
    """The form's values; the document is fetched through the user's scope (404 outside it)."""
    document = get_document_for(user, params["document"]) if params.get("document") else None
    return Choice(period=(params.get("period") or previous_quarter(today)).strip(), document=document,
                  level=params.get("level", "").strip(), title=params.get("title", "").strip())


def may_issue(user: Any) -> bool:
    return role_of(user) in EDITORS


def render_choice(choice: Choice, *, fmt: str) -> bytes:
    """The bulletin for the choice in one format (not issued: no number)."""
    data = bulletin_data(period=choice.period, document=choice.document, level=choice.level or None)
    return render(data, fmt=fmt, head=masthead(data, title=choice.title or None))


def bulletins_page(*, user: Any, choice: Choice, error: str = "") -> BulletinsPage:
    preview = ""
    if not error:
        try:
            preview = render_choice(choice, fmt="html").decode("utf-8")
        except BulletinError as exc:
            error = str(exc)
    return BulletinsPage(
        choice=choice, preview=preview, error=error, documents=list(visible_documents(user).order_by("pk")),
        levels=[(str(code), str(label)) for code, label in Unit.LEVELS],
        issued=list(Bulletin.objects.select_related("issued_by", "document")[:ISSUED_SHOWN]),
        may_issue=may_issue(user), formats=list(FORMATS),
    )


def get_bulletin(pk: int) -> Bulletin:
    """An issued bulletin; every reader of the bulletins page may see all of them."""
    found = Bulletin.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
