"""The filing register (备案登记) and the quarterly catalogue of filed documents: one query, two renderers.

The register lists every document filed for filing review with its statutory deadlines: filed by
``filing_due`` (publication + LUOSHI_FILING_DAYS; on time or how many days late), reviewed by
``review_due``, its status and conclusion. The catalogue (备案目录) is the register of one quarter
(filed in it), the form in which filed documents are published each quarter. The page, the XLSX and
the API all read ``register_rows``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from luoshi.bulletins.periods import parse_period
from luoshi.lib.tabular import new_workbook, workbook_bytes, write_sheet
from luoshi.review.models import Conclusion, ReviewKind, Status, Submission


@dataclass(frozen=True)
class RegisterRow:
    submission: Submission
    filed_on: dt.date
    filing_due: dt.date | None
    days_late: int  # 0 when filed on time
    review_overdue_days: int  # days past review_due while not concluded (as of today)
    status: str
    conclusion: str

    @property
    def on_time(self) -> bool:
        return self.days_late == 0


def register_rows(
    submissions: QuerySet[Submission], *, period: str = "", today: dt.date | None = None
) -> tuple[list[RegisterRow], str]:
    """The filed documents among ``submissions`` (in one period when given, "2024-Q3"), oldest first,
    and the period's label ("" for all)."""
    today = today or timezone.localdate()
    filed = submissions.filter(review_kind=ReviewKind.FILING).select_related("drafting_unit")
    label = ""
    if period:
        p = parse_period(period)
        filed = filed.filter(submitted_at__date__gte=p.start, submitted_at__date__lte=p.end)
        label = p.label
    rows = []
    for s in filed.order_by("submitted_at", "id"):
        filed_on = timezone.localdate(s.submitted_at)
        late = max(0, (filed_on - s.filing_due).days) if s.filing_due else 0
        overdue = 0
        if s.status != Status.CONCLUDED and s.review_due and today > s.review_due:
            overdue = (today - s.review_due).days
        rows.append(
            RegisterRow(
                s,
                filed_on,
                s.filing_due,
                late,
                overdue,
                s.get_status_display(),
                str(Conclusion(s.conclusion).label) if s.conclusion else "",
            )
        )
    return rows, label


HEADERS = [
    ("序号", 6),
    ("登记编号", 12),
    ("文件名称", 36),
    ("文号", 18),
    ("制定机关", 20),
    ("报备单位", 18),
    ("文件种类", 12),
    ("公布日期", 12),
    ("施行日期", 12),
    ("报备期限", 12),
    ("报备日期", 12),
    ("是否按期", 10),
    ("审查期限", 12),
    ("状态", 14),
    ("审查结论", 12),
    ("办结日期", 12),
]


def _values(i: int, r: RegisterRow) -> list[object]:
    s = r.submission
    return [
        i,
        s.number,
        s.title,
        s.doc_number,
        s.issuing_body,
        s.drafting_unit.name,
        s.get_doc_kind_display(),
        s.published_on,
        s.effective_on,
        r.filing_due,
        r.filed_on,
        "按期" if r.on_time else f"逾期{r.days_late}日",
        s.review_due,
        r.status + (f"（超期{r.review_overdue_days}日）" if r.review_overdue_days else ""),
        r.conclusion,
        timezone.localdate(s.concluded_at) if s.concluded_at else None,
    ]


def register_xlsx(rows: list[RegisterRow], *, label: str = "") -> bytes:
    workbook, sheet = new_workbook()
    sheet.title = "备案登记"
    title = f"规范性文件备案登记{'（' + label + '）' if label else ''}"
    write_sheet(
        sheet,
        headers=[h for h, _ in HEADERS],
        widths=[w for _, w in HEADERS],
        title=title,
        rows=[_values(i, r) for i, r in enumerate(rows, 1)],
    )
    return workbook_bytes(workbook)
