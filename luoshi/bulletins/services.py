"""Bulletins (检查通报), urging notices (催办单) and the ledger (台账): the one module other code imports.

Keyword-only functions; the CLI, pages, API and tests call these. Refusals
raise ``BulletinError`` (code, message_zh, message_en).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.accounts.scope import role_of
from luoshi.bulletins.data import BulletinData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.ledger import ledger_rows, render_ledger
from luoshi.bulletins.models import Bulletin, GoodPractice
from luoshi.bulletins.periods import parse_period
from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.renderers.docx import render_docx
from luoshi.bulletins.renderers.html import render_html
from luoshi.bulletins.renderers.outline import DEFAULT_OFFICE, Masthead, default_title, masthead
from luoshi.bulletins.renderers.pdf import render_pdf
from luoshi.bulletins.renderers.urging import render_urging_notice
from luoshi.bulletins.renderers.xlsx import render_xlsx
from luoshi.bulletins.urging import UrgingNoticeData, urging_for_assignment, urging_for_unit
from luoshi.documents.models import Document
from luoshi.reports.models import Report

__all__ = [
    "FORMATS",
    "BulletinData",
    "BulletinError",
    "UrgingNoticeData",
    "bulletin_data",
    "default_title",
    "issue_bulletin",
    "ledger_rows",
    "masthead",
    "render",
    "render_issued",
    "render_ledger",
    "render_urging_notice",
    "select_good_practice",
    "urging_for_assignment",
    "urging_for_unit",
]

# Who may select good practice and issue bulletins: the supervision office.
EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def _html(data: BulletinData, *, head: Masthead) -> bytes:
    return render_html(data, head=head).encode("utf-8")


FORMATS: dict[str, Callable[..., bytes]] = {"docx": render_docx, "html": _html, "xlsx": render_xlsx, "pdf": render_pdf}


def render(data: BulletinData, *, fmt: str, head: Masthead) -> bytes:
    """The bulletin in one format: "docx", "html", "xlsx" or "pdf"."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise BulletinError("bad_format", f"不支持的格式：{fmt}（可选 {'、'.join(FORMATS)}）。",
                            f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.") from None
    return renderer(data, head=head)


def _require_editor(user: Any) -> None:
    if role_of(user) not in EDITORS:
        raise BulletinError("not_allowed", "只有督查室人员可以进行此操作。",
                            "Only the supervision office can do this.")


def select_good_practice(*, report: Report, excerpt: str, user: Any, now: dt.datetime | None = None) -> GoodPractice:
    """Keep an excerpt of a report as good practice for the bulletin of the report's period.

    The excerpt must be taken from the report (its narrative, problems or next
    steps, whitespace ignored); selecting the same excerpt twice returns the first.
    """
    _require_editor(user)
    excerpt = (excerpt or "").strip()
    if not excerpt:
        raise BulletinError("empty_excerpt", "请填写选录的经验做法。", "The excerpt is empty.")

    def squeeze(text: str) -> str:
        return "".join(text.split())

    source = squeeze(" ".join((report.narrative, report.problems, report.next_steps)))
    if squeeze(excerpt) not in source:
        raise BulletinError("excerpt_not_in_report", "选录内容须摘自该报告原文。",
                            "The excerpt must be quoted from the report.")
    found, _ = GoodPractice.objects.get_or_create(
        report=report, excerpt=excerpt, defaults={"selected_by": user, "selected_at": now or timezone.now()})
    return found


def issue_bulletin(*, period: str, document: Document | None = None, level: str | None = None, user: Any,
                   title: str | None = None, as_of: dt.date | None = None, office: str = DEFAULT_OFFICE,
                   now: dt.datetime | None = None) -> Bulletin:
    """Issue the bulletin for the period: number it, store its data and its DOCX; never changed afterwards.

    1. Build the data (``bulletin_data``) and take the next number of the
       issuing year ("2024年第3期").
    2. If a bulletin for the same period and scope was issued before, the new
       one supersedes it (``version`` + 1).
    3. Store the JSON snapshot and the rendered DOCX in one row. Two issuers
       racing for the same number or the same predecessor: the loser retries.
    """
    _require_editor(user)
    now = now or timezone.now()
    span = parse_period(period)
    data = bulletin_data(period=span.key, document=document, level=level, as_of=as_of)
    year = timezone.localdate(now).year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                previous = (Bulletin.objects.filter(period=span.key, document=document, level=level or "",
                                                    superseded_by__isnull=True).order_by("-id").first())
                sequence = (Bulletin.objects.filter(year=year).aggregate(n=Max("sequence"))["n"] or 0) + 1
                number = f"{year}年第{sequence}期"
                head = masthead(data, title=title or (previous.title if previous else None), number=number,
                                office=office, issue_date=timezone.localdate(now))
                content = render_docx(data, head=head)
                return Bulletin.objects.create(
                    number=number, year=year, sequence=sequence, title=head.title, period=span.key,
                    period_start=span.start, period_end=span.end, as_of=data.as_of, document=document,
                    level=level or "", version=previous.version + 1 if previous else 1, supersedes=previous,
                    data=data.to_dict(), docx=content, docx_sha256=hashlib.sha256(content).hexdigest(),
                    issued_by=user, issued_at=now, office=office,
                )
        except IntegrityError:
            continue
    raise BulletinError("busy", "通报编号冲突，请重试。", "Could not allocate a bulletin number; try again.")


def render_issued(*, bulletin: Bulletin, fmt: str) -> bytes:
    """An issued bulletin in any format: the stored DOCX as issued, the others from its snapshot."""
    if fmt == "docx":
        return bytes(bulletin.docx)
    head = Masthead(title=bulletin.title, number=bulletin.number, office=bulletin.office,
                    date_text=masthead(BulletinData.from_dict(bulletin.data),
                                       issue_date=timezone.localdate(bulletin.issued_at)).date_text)
    return render(BulletinData.from_dict(bulletin.data), fmt=fmt, head=head)

