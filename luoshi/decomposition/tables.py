"""Task-division tables (任务分工表) as the proposed task division, row by row.

A decision often arrives with its division already made: an attachment
(附件：重点任务分工方案) holding a table 序号 / 重点任务 / 主要内容 / 牵头单位 /
配合单位 / 完成时限.  Such a table is recognised by its headers
(``table_columns``) and each of its rows becomes one proposed task:

1. Each row is found in the document's normalized text (the readers write a
   row as one line, cells joined by `` | ``), so every task points at the
   cells it came from (``cells``: role -> [start, end]).
2. Merged cells: a cell continuing the one above (``w:vMerge``) or saying
   同上 takes the value above in its column; a cell spanning columns counts
   for each.  Header rows repeated further down are skipped; a row holding
   only one text (一、深化简政放权) is a group heading for the rows below.
3. Units are matched to the catalog by name, short name or former name; the
   first unit of the lead column leads, the others of that column and the
   co-unit column co-operate.  With one 责任单位 column, the unit marked
   牵头 leads, else the first listed.  Names the catalog does not know are
   kept as ``unmatched``.
4. The deadline cell is parsed (2019年6月底前, 2019年12月, 长期坚持).
5. A row naming an item of the main text (its heading, or its text
   verbatim) is linked to that item (``linked``); the item is then not
   proposed again on its own.

Pure Python: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from luoshi.catalogs.catalog import Catalog
from luoshi.decomposition.table_columns import Columns, is_header_again, recognise
from luoshi.documents.docx_tables import SourceCell, SourceRow, SourceTable
from luoshi.documents.textproc.model import Section, Structure
from luoshi.documents.textproc.normalize import normalize

_SAME_AS_ABOVE = frozenset({"同上", "〃", "//", "同前"})
_SPLIT_UNITS = re.compile(r"[、，,；;\s/／]+|(?<=[部委局厅办院会署行社])(?:和|及|与)")
_UNIT_SUFFIX = re.compile(
    r"(?:部|委|局|厅|办|院|会|署|行|社|团|联|组|室|处|所|政府|中心|公司|集团|银行|法院|检察院)$"
)
_GENERIC_UNITS = re.compile(r"^(?:各|有关|相关|其他|各有关|各相关|其他有关)")
_LEAD_MARK = re.compile(r"^[（(]?(?:牵头|总牵头|负责|主责)[）)]?")
_ONGOING = re.compile(r"长期|持续|常态|经常性|每年|逐年|定期")
_YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_YEAR_ONLY = re.compile(r"(\d{4})\s*年")
_ITEM_NUMBER = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百\d]+[）)]|[一二三四五六七八九十百]+、|\d+[.．、])"
)
_PUNCT = re.compile(r"[\s，,。；;：:、“”\"'（）()《》|]")


@dataclass
class RowTask:
    """One row of a task-division table, as a proposed task."""

    table: int  # which table of the document (0-based)
    row: int  # which row of that table (0-based, header rows counted)
    number: str
    title: str
    text: str
    start: int  # the row's line in the normalized text (0, 0 when it could not be found)
    end: int
    cells: dict[str, list[int]]  # role -> [start, end] in the normalized text
    group: list[str]  # group headings above the row (一、深化简政放权…)
    leads: list[str]  # unit codes of the lead column, in order
    cos: list[str]  # unit codes working with the lead, in order
    unmatched: list[str]  # unit names the catalog does not know
    deadline_text: str = ""
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    scope: str = ""
    reference: str = ""  # a 对应条目 cell: the item of the main text the row carries out (（三）, 第五条…)
    linked: list[dict[str, Any]] = field(default_factory=list)

    def source(self) -> dict[str, Any]:
        """What a stored task keeps of its table row (PlanTask.table_source)."""
        return {
            "table": self.table,
            "row": self.row,
            "number": self.number,
            "cells": self.cells,
            "unmatched": self.unmatched,
            "deadline_text": self.deadline_text,
            "scope": self.scope,
            "reference": self.reference,
            "linked": self.linked,
            "group": self.group,
        }


@dataclass
class _Value:
    text: str
    lines: list[str]
    span: tuple[int, int] | None


@dataclass
class TaskTable:
    index: int
    columns: Columns
    start: int
    end: int
    rows: list[RowTask]


def division_tables(
    text: str,
    tables: Sequence[SourceTable],
    catalog: Catalog,
    structure: Structure,
    *,
    reference_year: int | None = None,
) -> list[TaskTable]:
    """The task-division tables among ``tables`` with their rows as tasks (see module doc).

    A table without a header right after a task-division table with as many columns continues it (a table
    split across pages).
    """
    out: list[TaskTable] = []
    cursor = 0
    previous: Columns | None = None
    previous_width = -1
    for index, table in enumerate(tables):
        spans, cell_spans = (
            _locate_rows(text, table, cursor) if table.rows_are_lines else _locate_cells(text, table, cursor)
        )
        found = [s for s in spans if s is not None] + [s for cells in cell_spans for s in cells.values()]
        if found:
            cursor = found[-1][1]
        columns = recognise(table.rows)
        if columns is None and previous is not None and table.columns == previous_width:
            columns = Columns(previous.roles, 0, previous.labels)
        if columns is None:
            previous = None
            continue
        previous, previous_width = columns, table.columns
        rows = _row_tasks(index, table, spans, cell_spans, columns, catalog, reference_year)
        if not rows:
            continue
        start = min((s[0] for s in found), default=0)
        end = max((s[1] for s in found), default=0)
        out.append(TaskTable(index, columns, start, end, rows))
    sections = [s for s in structure.all_sections() if not any(t.start <= s.start < t.end for t in out)]
    for table_ in out:
        for row in table_.rows:
            row.linked = _links(row, sections, text, table_)
    return out


# --- finding rows in the text ----------------------------------------------------------------


def _norm(s: str) -> str:
    return normalize(s).text.strip() if s.strip() else ""


Spans = list[tuple[int, int] | None]
CellSpans = list[dict[int, tuple[int, int]]]


def _locate_rows(text: str, table: SourceTable, cursor: int) -> tuple[Spans, CellSpans]:
    """The span of each row's line in ``text``, searched in order from ``cursor``, and of its cells."""
    spans: Spans = []
    for row in table.rows:
        line = _norm(SourceTable.row_line(row))
        span = None
        if line:
            pos = text.find(line, cursor)
            if pos >= 0:
                span = (pos, pos + len(line))
            else:
                first = next((_norm(c.text) for c in row.cells if c.text.strip()), "")
                pos = text.find(first, cursor) if first else -1
                if pos >= 0:
                    line_start = text.rfind("\n", 0, pos) + 1
                    line_end = text.find("\n", pos)
                    span = (line_start, len(text) if line_end < 0 else line_end)
        if span is not None:
            cursor = span[1]
        spans.append(span)
    return spans, [_cell_spans(text, row, span) for row, span in zip(table.rows, spans, strict=True)]


# Cells shorter than this (序号 "1", a lone date) would be found anywhere: a PDF's are not looked for.
_MIN_CELL_CHARS = 4


def _locate_cells(text: str, table: SourceTable, cursor: int) -> tuple[Spans, CellSpans]:
    """Each cell of a PDF table looked for on its own, after the table's first header cell (whitespace
    ignored: the text wraps where the page did); a row's span is that of its longest cell found."""
    compact, where = _compact(text)
    header = next((_norm(c.text) for c in table.rows[0].cells if c.text.strip()), "") if table.rows else ""
    start = compact.find(_compact(header)[0], _compact_index(where, cursor)) if header else -1
    start = max(start, 0)
    spans: Spans = []
    cells: CellSpans = []
    for row in table.rows:
        found: dict[int, tuple[int, int]] = {}
        for i, cell in enumerate(row.cells):
            needle = _compact(_norm(cell.text))[0]
            if len(needle) < _MIN_CELL_CHARS:
                continue
            pos = compact.find(needle, start)
            if pos >= 0:
                found[i] = (where[pos], where[pos + len(needle) - 1] + 1)
        cells.append(found)
        spans.append(max(found.values(), key=lambda s: s[1] - s[0]) if found else None)
    return spans, cells


def _compact(s: str) -> tuple[str, list[int]]:
    """``s`` without whitespace, and where each of its characters is in ``s``."""
    keep = [i for i, ch in enumerate(s) if not ch.isspace()]
    return "".join(s[i] for i in keep), keep


def _compact_index(where: list[int], offset: int) -> int:
    from bisect import bisect_left

    return bisect_left(where, offset)


def _cell_spans(text: str, row: SourceRow, span: tuple[int, int] | None) -> dict[int, tuple[int, int]]:
    """The span of each non-empty cell (by index in the row) inside the row's line."""
    out: dict[int, tuple[int, int]] = {}
    if span is None:
        return out
    pos, end = span
    for i, cell in enumerate(row.cells):
        needle = _norm(cell.text)
        if not needle:
            continue
        found = text.find(needle, pos, end)
        if found >= 0:
            out[i] = (found, found + len(needle))
            pos = found + len(needle)
    return out


# --- rows ----------------------------------------------------------------------------------------


def _row_tasks(
    index: int,
    table: SourceTable,
    spans: Spans,
    cell_spans: CellSpans,
    columns: Columns,
    catalog: Catalog,
    reference_year: int | None,
) -> list[RowTask]:
    header = table.rows[: columns.header_rows]
    width = table.columns
    above: dict[int, _Value] = {}
    group: list[str] = []
    out: list[RowTask] = []
    for r in range(columns.header_rows, len(table.rows)):
        row = table.rows[r]
        if is_header_again(row, header):
            continue
        found = cell_spans[r]
        values: dict[int, _Value] = {}
        own: list[SourceCell] = []
        for column in range(width):
            cell = row.cell_at(column)
            if cell is None:
                continue
            i = row.cells.index(cell)
            if cell.continues_above or cell.text.strip() in _SAME_AS_ABOVE:
                if column in above:
                    values[column] = above[column]
                continue
            if not cell.text.strip():
                above.pop(column, None)
                continue
            if cell not in own:
                own.append(cell)
            values[column] = above[column] = _Value(cell.text.strip(), cell.lines, found.get(i))
        if _is_group_heading(own, columns, width):
            group = [own[0].text.strip()]
            continue
        task = _row_task(index, r, values, columns, spans[r], group, catalog, reference_year)
        if task is not None:
            out.append(task)
    return out


def _is_group_heading(own: list[SourceCell], columns: Columns, width: int) -> bool:
    """A row with a single text of its own, in a cell spanning the table or outside every unit column."""
    if len(own) != 1:
        return False
    cell = own[0]
    if cell.span >= max(2, width - 1):
        return True
    covered = {columns.roles.get(c) for c in range(cell.column, cell.column + cell.span)}
    return not covered & {"lead", "co", "units", "content", "deadline"} and bool(
        _ITEM_NUMBER.match(cell.text)
    )


def _joined(values: dict[int, _Value], cols: list[int]) -> _Value | None:
    picked: list[_Value] = []
    for c in cols:
        v = values.get(c)
        if v is not None and v not in picked:
            picked.append(v)
    if not picked:
        return None
    spans = [v.span for v in picked if v.span is not None]
    span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    return _Value("\n".join(v.text for v in picked), [line for v in picked for line in v.lines], span)


def _row_task(
    index: int,
    r: int,
    values: dict[int, _Value],
    columns: Columns,
    span: tuple[int, int] | None,
    group: list[str],
    catalog: Catalog,
    reference_year: int | None,
) -> RowTask | None:
    by_role = {role: _joined(values, columns.columns(role)) for role in set(columns.roles.values())}
    task, content = by_role.get("task"), by_role.get("content")
    if task is None and content is None:
        return None
    number_value = by_role.get("number")
    number = number_value.text if number_value is not None else ""
    title_source = task.text if task is not None else content.text if content is not None else ""
    title = _title(title_source)
    body = "\n".join(v.text for v in (task, content) if v is not None)
    leads: list[str] = []
    cos: list[str] = []
    unmatched: list[str] = []
    lead_value, co_value, units_value = by_role.get("lead"), by_role.get("co"), by_role.get("units")
    if lead_value is not None:
        codes, missing = parse_units(lead_value.lines, catalog)
        leads.extend(codes)
        unmatched.extend(missing)
    if units_value is not None:
        codes, missing = parse_units(units_value.lines, catalog)
        marked = _marked_lead(units_value.text, catalog)
        if not leads:
            first = marked or (codes[0] if codes else None)
            if first:
                leads.append(first)
        cos.extend(c for c in codes if c not in leads)
        unmatched.extend(m for m in missing if m not in unmatched)
    if co_value is not None:
        codes, missing = parse_units(co_value.lines, catalog)
        cos.extend(c for c in codes if c not in leads and c not in cos)
        unmatched.extend(m for m in missing if m not in unmatched)
    deadline = by_role.get("deadline")
    scope = by_role.get("scope")
    reference = by_role.get("ref")
    cells = {role: list(v.span) for role, v in by_role.items() if v is not None and v.span is not None}
    starts = [s[0] for s in cells.values()]
    ends = [s[1] for s in cells.values()]
    row_span = span or ((min(starts), max(ends)) if starts else (0, 0))
    return RowTask(
        table=index,
        row=r,
        number=number,
        title=title,
        text=body,
        start=row_span[0],
        end=row_span[1],
        cells=cells,
        group=list(group),
        leads=leads,
        cos=cos,
        unmatched=unmatched,
        deadline_text=deadline.text if deadline else "",
        deadlines=parse_deadline(deadline.text, reference_year) if deadline else [],
        scope=scope.text if scope else "",
        reference=reference.text if reference else "",
    )


def _title(text: str) -> str:
    first = re.split(r"[。；;\n]", text.strip(), maxsplit=1)[0].strip()
    first = _ITEM_NUMBER.sub("", first).strip() or first
    return first if len(first) <= 40 else first[:39] + "…"


# --- units and deadlines -----------------------------------------------------------------------


def parse_units(lines: Sequence[str], catalog: Catalog) -> tuple[list[str], list[str]]:
    """(unit codes in order, names the catalog does not know) of a unit cell's lines."""
    codes: list[str] = []
    unmatched: list[str] = []
    for line in lines:
        mentions = catalog.find_name(line)
        for m in mentions:
            if m.unit_code not in codes:
                codes.append(m.unit_code)
        rest = list(line)
        for m in mentions:
            rest[m.start : m.end] = ["、"] * (m.end - m.start)
        for piece in _SPLIT_UNITS.split("".join(rest)):
            piece = _LEAD_MARK.sub("", piece.strip("（）()：: ")).strip()
            piece = re.sub(r"[（(](?:牵头|配合|参与|负责)[）)]$|(?:牵头|负责|配合|参与|指导)$", "", piece)
            if (
                len(piece) >= 2
                and _UNIT_SUFFIX.search(piece)
                and not _GENERIC_UNITS.match(piece)
                and piece not in unmatched
            ):
                unmatched.append(piece)
    return codes, unmatched


def _marked_lead(text: str, catalog: Catalog) -> str | None:
    """The unit a 责任单位 cell marks as lead: 财政部（牵头）, 由财政部牵头."""
    for m in catalog.find_name(text):
        if m.lead or _LEAD_MARK.match(text[m.end :]):
            return m.unit_code
    return None


def parse_deadline(text: str, reference_year: int | None) -> list[dict[str, Any]]:
    """The time expressions of a deadline cell: 2019年6月底前, 2019年12月 (month end), 2020年 (year end),
    长期坚持 (ongoing)."""
    from luoshi.decomposition.extract.dates import extract_deadlines

    found = [t.to_dict() for t in extract_deadlines(text, reference_year=reference_year)]
    if any(d.get("end_date") for d in found):
        return found
    m = _YEAR_MONTH.search(text)
    if m and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        nxt = (year + month // 12, month % 12 + 1)
        import datetime as dt

        last = dt.date(nxt[0], nxt[1], 1) - dt.timedelta(days=1)
        found.append(_deadline(m[0], m.start(), m.end(), last.isoformat()))
    elif (y := _YEAR_ONLY.search(text)) is not None:
        found.append(_deadline(y[0], y.start(), y.end(), f"{y[1]}-12-31"))
    if _ONGOING.search(text) and not any(d.get("recurrence") for d in found):
        m2 = _ONGOING.search(text)
        assert m2 is not None
        found.append(
            {
                "text": m2[0],
                "kind": "recurring",
                "start": m2.start(),
                "end": m2.end(),
                "start_date": None,
                "end_date": None,
                "duration": None,
                "recurrence": "ongoing",
                "interval": None,
                "day": None,
                "month": None,
                "explicit": True,
            }
        )
    return found


def _deadline(text: str, start: int, end: int, end_date: str) -> dict[str, Any]:
    return {
        "text": text,
        "kind": "deadline",
        "start": start,
        "end": end,
        "start_date": None,
        "end_date": end_date,
        "duration": None,
        "recurrence": None,
        "interval": None,
        "day": None,
        "month": None,
        "explicit": True,
    }


# --- links to the main text ------------------------------------------------------------------


def _bare(s: str) -> str:
    return _PUNCT.sub("", _ITEM_NUMBER.sub("", s))


def _links(row: RowTask, sections: list[Section], text: str, table: TaskTable) -> list[dict[str, Any]]:
    """Items of the main text the row names: by number in a 对应条目 cell (（三）, 第五条), by heading
    (（一）强化顶层设计…), or by quoting its text."""
    out: list[dict[str, Any]] = []
    if row.reference:
        wanted = [n.strip() for n in re.split(r"[、，,；;\s]+", row.reference) if n.strip()]
        for number in wanted:
            bare = _bare(number)
            key = number.rstrip("、.．:： ").replace("(", "（").replace(")", "）")
            same = [s for s in sections if s.number == key or (len(bare) >= 6 and bare in _bare(s.heading))]
            if len(same) == 1:
                out.append(_link(same[0]))
        if out:
            return out
    first_line = row.text.split("\n", 1)[0]
    task_bare = _bare(first_line)
    for s in sections:
        heading = _bare(s.heading)
        if len(heading) < 6:
            continue
        if heading in task_bare or (len(task_bare) >= 6 and task_bare in heading):
            out.append(_link(s))
    if out:
        return out[:3]
    # The row's content copies a passage of the main text: link the innermost item holding it.
    for line in row.text.split("\n"):
        probe = _norm(_ITEM_NUMBER.sub("", line))[:24]
        if len(probe) < 12:
            continue
        pos = text.find(probe)
        while pos >= 0 and table.start <= pos < table.end:
            pos = text.find(probe, pos + 1)
        if pos < 0:
            continue
        holders = [s for s in sections if s.start <= pos < s.end]
        if holders:
            inner = max(holders, key=lambda s: s.level)
            return [_link(inner)]
    return out


def _link(s: Section) -> dict[str, Any]:
    return {"number": s.number, "heading": s.heading, "start": s.start, "end": s.end}
