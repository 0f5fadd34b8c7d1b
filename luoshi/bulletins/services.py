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

from luoshi.bulletins import optional
from luoshi.bulletins.access import require_editor
from luoshi.bulletins.data import DEFAULT_OFFICE, BulletinData, UrgingNoticeData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.good_practice import (
    Candidate,
    CandidatePage,
    choose_good_practice,
    drop_good_practice,
    excerpt_of,
    good_practice_candidate,
    good_practice_candidates,
    good_practice_page,
    select_good_practice,
)
from luoshi.bulletins.ledger import ledger_rows
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.periods import as_of_warning, default_as_of, parse_period
from luoshi.bulletins.query import bulletin_data, check_level
from luoshi.bulletins.renderers.docx import render_docx
from luoshi.bulletins.renderers.html import render_html
from luoshi.bulletins.renderers.ledger_xlsx import write_ledger
from luoshi.bulletins.renderers.outline import Masthead, default_title, masthead
from luoshi.bulletins.renderers.pdf import pdf_unavailable, render_pdf
from luoshi.bulletins.renderers.urging import render_urging_notice
from luoshi.bulletins.renderers.xlsx import render_xlsx
from luoshi.bulletins.urging import urging_for_assignment, urging_for_unit
from luoshi.documents.models import Document
from luoshi.lib.bounds import check_date, clean_text
from luoshi.supervision.models import Urging

__all__ = [
    "FORMATS",
    "BulletinData",
    "BulletinError",
    "Candidate",
    "CandidatePage",
    "UrgingNoticeData",
    "as_of_warning",
    "bulletin_data",
    "check_choice",
    "choose_good_practice",
    "default_as_of",
    "default_title",
    "drop_good_practice",
    "excerpt_of",
    "good_practice_candidate",
    "good_practice_candidates",
    "good_practice_page",
    "issue_bulletin",
    "ledger_rows",
    "masthead",
    "pdf_unavailable",
    "render",
    "render_issued",
    "render_ledger",
    "render_urging_notice",
    "select_good_practice",
    "urging_for_assignment",
    "urging_for_unit",
]


def check_choice(*, period: str, level: str | None = None) -> None:
    """Refuse what ``bulletin_data`` would refuse for the period and level, without gathering anything."""
    parse_period(period)
    check_level(level)


def _html(data: BulletinData, *, head: Masthead) -> bytes:
    return render_html(data, head=head).encode("utf-8")


FORMATS: dict[str, Callable[..., bytes]] = {
    "docx": render_docx,
    "html": _html,
    "xlsx": render_xlsx,
    "pdf": render_pdf,
}


def render(data: BulletinData, *, fmt: str, head: Masthead) -> bytes:
    """The bulletin in one format: "docx", "html", "xlsx" or "pdf"."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise BulletinError(
            "bad_format",
            f"不支持的格式：{fmt}（可选 {'、'.join(FORMATS)}）。",
            f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.",
        ) from None
    return renderer(data, head=head)


def render_ledger(
    *, document: Document | None = None, as_of: dt.date, per_unit_sheets: bool = False
) -> bytes:
    """The ledger as an .xlsx workbook: the rows (``ledger.ledger_rows``) and the instructions' sheet when
    that app is installed, written by ``renderers/ledger_xlsx.py``."""
    return write_ledger(
        ledger_rows(document=document, as_of=as_of),
        as_of=as_of,
        per_unit_sheets=per_unit_sheets,
        evaluation=optional.evaluation_installed(),
        accountability=optional.accountability_installed(),
        instructions=optional.instruction_ledger(as_of=as_of),
    )


def issue_bulletin(
    *,
    period: str,
    document: Document | None = None,
    level: str | None = None,
    user: Any,
    title: str | None = None,
    as_of: dt.date | None = None,
    office: str = DEFAULT_OFFICE,
    now: dt.datetime | None = None,
) -> Bulletin:
    """Issue the bulletin for the period: number it, store its data and its DOCX; never changed afterwards.

    1. Build the data (``bulletin_data``) and take the next number of the
       issuing year ("2024年第3期").
    2. If a bulletin for the same period and scope was issued before, the new
       one supersedes it (``version`` + 1).
    3. Store the JSON snapshot and the rendered DOCX in one row. Two issuers
       racing for the same number or the same predecessor: the loser retries.
    """
    require_editor(user)
    now = now or timezone.now()
    title = (
        clean_text(
            title, error=BulletinError, field="title", what_zh="通报标题", what_en="bulletin title", limit=300
        ).strip()
        or None
    )
    office = (
        clean_text(
            office,
            error=BulletinError,
            field="office",
            what_zh="印发机关",
            what_en="issuing office",
            limit=100,
        ).strip()
        or DEFAULT_OFFICE
    )
    span = parse_period(period)
    today = timezone.localdate(now)
    if span.start > today:
        raise BulletinError(
            "period_not_begun",
            f"通报期次 {span.key} 尚未开始（{span.start} 起），不能编号印发；可先预览。",
            f"The period {span.key} has not begun (it starts {span.start}); it cannot be "
            "numbered and issued yet, only previewed.",
        )
    if as_of is not None:
        check_date(
            as_of,
            error=BulletinError,
            field="as_of",
            what_zh="数据截止日期",
            what_en="as-of date",
            today=today,
        )
        if as_of > today:
            raise BulletinError(
                "as_of_future",
                f"截至日期 {as_of} 晚于今天，不能印发。",
                f"The as-of date {as_of} is after today; the bulletin cannot be issued.",
            )
    else:
        as_of = default_as_of(span, today=today)
    data = bulletin_data(period=span.key, document=document, level=level, as_of=as_of)
    year = today.year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                previous = (
                    Bulletin.objects.filter(
                        period=span.key, document=document, level=level or "", superseded_by__isnull=True
                    )
                    .order_by("-id")
                    .first()
                )
                sequence = (Bulletin.objects.filter(year=year).aggregate(n=Max("sequence"))["n"] or 0) + 1
                number = f"{year}年第{sequence}期"
                head = masthead(
                    data,
                    title=title or (previous.title if previous else None),
                    number=number,
                    office=office,
                    issue_date=today,
                )
                content = render_docx(data, head=head)
                return Bulletin.objects.create(
                    number=number,
                    year=year,
                    sequence=sequence,
                    title=head.title,
                    period=span.key,
                    period_start=span.start,
                    period_end=span.end,
                    as_of=data.as_of,
                    document=document,
                    level=level or "",
                    version=previous.version + 1 if previous else 1,
                    supersedes=previous,
                    data=data.to_dict(),
                    docx=content,
                    docx_sha256=hashlib.sha256(content).hexdigest(),
                    issued_by=user,
                    issued_at=now,
                    office=office,
                )
        except IntegrityError:
            continue
    raise BulletinError("busy", "通报编号冲突，请重试。", "Could not allocate a bulletin number; try again.")


def render_issued(*, bulletin: Bulletin, fmt: str) -> bytes:
    """An issued bulletin in any format: the stored DOCX as issued, the others from its snapshot."""
    if fmt == "docx":
        return bytes(bulletin.docx)
    head = Masthead(
        title=bulletin.title,
        number=bulletin.number,
        office=bulletin.office,
        date_text=masthead(
            BulletinData.from_dict(bulletin.data), issue_date=timezone.localdate(bulletin.issued_at)
        ).date_text,
    )
    return render(BulletinData.from_dict(bulletin.data), fmt=fmt, head=head)


def urging_notice_docx(*, urging: Urging) -> bytes:
    """The 催办单 of an urging record, in the official layout.

    Built from the record as it was issued: the overdue items of its assignment as
    of the day it was created, the response date it set, and a number
    督催〔year〕id号.
    """
    issued = timezone.localtime(urging.created_at).date()
    data = urging_for_assignment(
        assignment=urging.assignment,
        as_of=issued,
        response_days=max(0, (urging.respond_by - issued).days),
        number=f"督催〔{issued.year}〕{urging.pk}号",
    )
    return render_urging_notice(data)
