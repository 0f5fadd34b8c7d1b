"""What the columns of a task-division table (任务分工表) hold, recognised by their headers.

A header cell is short (a few words); its role is the first pattern that
matches.  Two header rows (责任单位 over 牵头单位 | 配合单位) are read
together: for each grid column the lowest header cell with a role wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from luoshi.documents.docx_tables import SourceRow

# (role, pattern), first match wins: 牵头领导 is a person (leader), not the lead unit.
ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(p))
    for role, p in (
        ("number", r"^(?:序号|编号|序|号|序列)$"),
        ("leader", r"领导|责任人|联系人"),
        ("notes", r"备注|说明"),
        ("ref", r"对应|出处|原文|条款|条目|文件依据"),
        ("lead", r"牵头|主责|主办|负责指导|负责推广|负责(?:单位|部门)|主要负责"),
        ("co", r"配合|协办|参与|协同|协助|会同"),
        ("units", r"责任(?:单位|部门|主体)|承办|落实单位|实施(?:单位|主体)|分工|主体|部门|单位"),
        ("deadline", r"时限|时间|进度|时序|期限|节点|年度|完成时"),
        ("scope", r"范围|区域|地区"),
        ("output", r"成果|产出|标志|形式"),
        ("content", r"内容|措施|要点|目标|具体|要求|标准"),
        ("task", r"任务|举措|事项|工作|政策|改革|项目|名称"),
    )
)
_MAX_HEADER_CHARS = 14
UNIT_ROLES = frozenset({"lead", "co", "units"})
TEXT_ROLES = frozenset({"task", "content"})


def header_role(text: str) -> str | None:
    """The role of a header cell's text, or None when it is not a header word."""
    words = re.sub(r"[\s（）()：:、/／]+", "", text)
    if not words or len(words) > _MAX_HEADER_CHARS:
        return None
    for role, pattern in ROLE_PATTERNS:
        if pattern.search(words):
            return role
    return None


@dataclass
class Columns:
    """The role of each grid column and the rows that make the header."""

    roles: dict[int, str]
    header_rows: int
    labels: dict[int, str]

    def columns(self, role: str) -> list[int]:
        return sorted(c for c, r in self.roles.items() if r == role)


def _row_roles(row: SourceRow) -> tuple[int, int]:
    """(cells with a header role, non-empty cells that are not headers) of one row."""
    roles = others = 0
    for cell in row.cells:
        if not cell.text or cell.continues_above:
            continue
        if header_role(cell.text):
            roles += 1
        else:
            others += 1
    return roles, others


def recognise(rows: Sequence[SourceRow], *, max_start: int = 3) -> Columns | None:
    """The column roles of a task-division table, or None when ``rows`` does not start like one.

    1. The header is the first row (among the first ``max_start``) whose cells are all header words, two at
       least; the next rows belong to it while they are header words too (a second header row).
    2. Each grid column takes the role of its lowest header cell that has one.
    3. It is a task-division table when some column holds the task (任务/内容) and some the units.
    """
    for first in range(min(max_start, len(rows))):
        roles, others = _row_roles(rows[first])
        if roles >= 2 and others == 0:
            break
    else:
        return None
    last = first
    while last + 1 < len(rows):
        roles, others = _row_roles(rows[last + 1])
        if roles == 0 or others:
            break
        last += 1
    width = max((c.column + c.span for r in rows[first : last + 1] for c in r.cells), default=0)
    by_column: dict[int, str] = {}
    labels: dict[int, str] = {}
    for row in rows[first : last + 1]:
        for column in range(width):
            cell = row.cell_at(column)
            if cell is None or cell.continues_above or not cell.text:
                continue
            role = header_role(cell.text)
            if role:
                by_column[column] = role
                labels[column] = cell.text
    roles_found = set(by_column.values())
    if not roles_found & TEXT_ROLES or not roles_found & UNIT_ROLES:
        return None
    # With a lead column, 责任单位 means the units working with the lead.
    if "lead" in roles_found:
        by_column = {c: ("co" if r == "units" else r) for c, r in by_column.items()}
    # A second task column (重点任务 | 具体任务) holds the content when no column is called so.
    tasks = sorted(c for c, r in by_column.items() if r == "task")
    if len(tasks) > 1 and "content" not in roles_found:
        for c in tasks[1:]:
            by_column[c] = "content"
    return Columns(by_column, last + 1, labels)


def is_header_again(row: SourceRow, header: Sequence[SourceRow]) -> bool:
    """A header row repeated further down (a page break in a converted file, or Word's repeated header)."""
    texts = [c.text for c in row.cells if c.text]
    if not texts:
        return False
    if row.repeated_header:
        return True
    header_texts = {c.text for h in header for c in h.cells if c.text}
    return all(t in header_texts for t in texts) and len(texts) >= 2
