"""The bulletins page: what the office chose (period, document, level), the preview and the issued bulletins."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from luoshi.bulletins.access import may_edit
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.periods import parse_period
from luoshi.bulletins.services import (
    FORMATS,
    BulletinError,
    Candidate,
    CandidatePage,
    as_of_warning,
    bulletin_data,
    check_choice,
    choose_good_practice,
    default_as_of,
    drop_good_practice,
    excerpt_of,
    good_practice_candidate,
    good_practice_page,
    masthead,
    pdf_unavailable,
    render,
)
from luoshi.documents.access import get_document_for, visible_documents
from luoshi.documents.queries import without_heavy
from luoshi.lib.bounds import within_horizon
from luoshi.reports.queries import report_for_candidate
from luoshi.units.models import Unit

if TYPE_CHECKING:
    from luoshi.documents.models import Document
    from luoshi.reports.models import Report

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
    as_of: dt.date | None = None  # 截至; None: the period's end (today while it runs)
    as_of_error: str = ""  # what was wrong with the date typed in
    good_practice_page: int = 1  # of the good-practice candidates

    def params(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "document": self.document.pk if self.document else "",
            "level": self.level,
            "as_of": self.as_of.isoformat() if self.as_of else "",
        }

    def preview_url(self) -> str:
        """Where the preview frame loads the bulletin from (the choice, without the title or page)."""
        query = urlencode({k: v for k, v in self.params().items() if v != ""})
        return f"{reverse('web:bulletin_preview')}?{query}"


@dataclass
class BulletinsPage:
    choice: Choice
    preview: str  # the URL of the HTML bulletin the preview frame loads ("" when the choice is refused)
    error: str
    documents: list[Document]
    levels: list[tuple[str, str]]
    issued: list[Bulletin]
    may_issue: bool
    formats: list[str]
    pdf_missing: (
        str  # that the administrator can enable PDF here (no commands: those are in docs/bulletins.md)
    )
    good_practice: CandidatePage | None  # a page of the reports the office may quote (editors only)
    as_of_notice: str = ""  # the period has not ended, or the as-of date is before its end


def previous_quarter(today: dt.date) -> str:
    """The last full quarter before the date, e.g. "2026-Q3" in November 2026."""
    quarter = (today.month - 1) // 3
    return f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"


def read_choice(*, user: Any, params: Mapping[str, str], today: dt.date) -> Choice:
    """The form's values; the document is fetched through the user's scope (404 outside it)."""
    document = get_document_for(user, params["document"]) if params.get("document") else None
    period = (params.get("period") or previous_quarter(today)).strip()
    as_of, as_of_error = None, ""
    raw = (params.get("as_of") or "").strip()
    try:
        as_of = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        as_of_error = _("The as-of date must be a date (YYYY-MM-DD).")
    if as_of is not None and not (within_horizon(as_of, today) and as_of <= today):
        as_of, as_of_error = None, _("The as-of date must be a day up to today.")
    if as_of is None:
        with contextlib.suppress(BulletinError):
            as_of = default_as_of(parse_period(period), today=today)
    raw_page = params.get("gp_page", "1")
    page = int(raw_page) if raw_page.isdigit() and len(raw_page) <= 6 else 1
    return Choice(
        period=period,
        document=document,
        level=params.get("level", "").strip(),
        title=params.get("title", "").strip(),
        as_of=as_of,
        as_of_error=as_of_error,
        good_practice_page=max(page, 1),
    )


def as_of_notice(choice: Choice, *, today: dt.date) -> str:
    """Why the bulletin's figures are not the whole period's (page's language); "" when they are."""
    if choice.as_of is None:
        return ""
    try:
        warning = as_of_warning(parse_period(choice.period), as_of=choice.as_of, today=today)
    except BulletinError:
        return ""
    if warning is None:
        return ""
    return warning[1] if (get_language() or "").startswith("en") else warning[0]


def render_choice(choice: Choice, *, fmt: str) -> bytes:
    """The bulletin for the choice in one format (not issued: no number)."""
    data = bulletin_data(
        period=choice.period, document=choice.document, level=choice.level or None, as_of=choice.as_of
    )
    return render(data, fmt=fmt, head=masthead(data, title=choice.title or None))


def preview_html(choice: Choice) -> str:
    return render_choice(choice, fmt="html").decode("utf-8")


PDF_MISSING = frozenset({"no_weasyprint", "no_cjk_font"})


def refusal_text(exc: BulletinError) -> str:
    """A refusal as the page says it: no PDF here is the administrator's to enable (the commands for that
    are in docs/bulletins.md, not for office staff); anything else, the reason in the page's language."""
    if exc.code in PDF_MISSING:
        return _("The PDF version has to be enabled by the system administrator.")
    return exc.message()


def bulletins_page(*, user: Any, choice: Choice, today: dt.date, error: str = "") -> BulletinsPage:
    """The form, the preview frame (its bulletin is rendered when the frame asks: ``preview_html``), a page
    of good-practice candidates and the issued bulletins; a choice the bulletin would refuse shows why."""
    preview, candidates = "", None
    error = error or choice.as_of_error
    if not error:
        try:
            check_choice(period=choice.period, level=choice.level or None)
            preview = choice.preview_url()
            if may_edit(user):
                candidates = good_practice_page(
                    period=choice.period,
                    document=choice.document,
                    level=choice.level or None,
                    page=choice.good_practice_page,
                )
        except BulletinError as exc:
            error = refusal_text(exc)
    missing = pdf_unavailable()
    return BulletinsPage(
        choice=choice,
        preview=preview,
        error=error,
        documents=list(visible_documents(user).defer(*without_heavy()).order_by("pk")),
        levels=[(str(code), str(label)) for code, label in Unit.LEVELS],
        issued=list(
            Bulletin.objects.select_related("issued_by", "document").defer(*without_heavy("document__"))[
                :ISSUED_SHOWN
            ]
        ),
        may_issue=may_edit(user),
        formats=list(FORMATS),
        pdf_missing=refusal_text(missing) if missing else "",
        good_practice=candidates,
        as_of_notice=as_of_notice(choice, today=today),
    )


@dataclass(frozen=True)
class GoodPracticeEdit:
    """The good-practice form of one report: include it or not, and what to quote.

    ``use`` is "sentences" (sentences ``first`` to ``last`` of the narrative) or anything else (the
    ``excerpt`` text, which the page fills with the kept excerpt or the whole narrative; without the
    field at all, the whole narrative).
    """

    include: bool
    use: str
    excerpt: str | None
    first: str
    last: str


def read_good_practice_edit(params: Mapping[str, str]) -> GoodPracticeEdit:
    return GoodPracticeEdit(
        include=bool(params.get("include")),
        use=params.get("use", ""),
        excerpt=params.get("excerpt"),
        first=params.get("first", ""),
        last=params.get("last", ""),
    )


def save_good_practice(*, user: Any, report: Report, edit: GoodPracticeEdit) -> str:
    """Apply the form (services check the role and the quote); the result in Chinese and English."""
    if not edit.include:
        drop_good_practice(report=report, user=user)
        return _("Removed from the bulletin.")
    excerpt = edit.excerpt
    if edit.use == "sentences":
        if not (edit.first.isdigit() and edit.last.isdigit()):
            raise BulletinError("bad_sentences", "请选择起止句。", "Choose the first and the last sentence.")
        excerpt = excerpt_of(report, first=int(edit.first), last=int(edit.last))
    chosen = choose_good_practice(
        report=report, excerpt=report.narrative if excerpt is None else excerpt, user=user
    )
    return _("Quoted in the bulletin: “%(excerpt)s”") % {"excerpt": chosen.excerpt[:30]}


def get_bulletin(pk: int) -> Bulletin:
    """An issued bulletin; every reader of the bulletins page may see all of them."""
    found = Bulletin.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def candidate_for(report: Report) -> Candidate:
    """The report's row after a change (its kept excerpts read again)."""
    return good_practice_candidate(report_for_candidate(report=report))
