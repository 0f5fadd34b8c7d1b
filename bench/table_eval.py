"""Task-division tables measured on tables built from the corpus' gold divisions (issue 17, item 3).

For each gold document (``gold/`` of the corpus), a Word file is made of the unit-stripped main text
followed by 附件：重点任务分工 and a table holding the official division, one row per official task, in
six layouts offices use:

- ``plain``: 序号 | 重点任务 | 主要内容 | 牵头单位 | 配合单位 | 完成时限;
- ``merged``: the same, runs of equal 重点任务 and 牵头单位 cells merged vertically;
- ``two_headers``: 责任单位 spanning 牵头单位 | 配合单位 on a second header row, the header marked as
  repeated on every page and written again every 8 rows (as in a file converted from print);
- ``one_column``: 序号 | 任务 | 责任单位 (the lead marked 牵头) | 时间进度;
- ``multi_line``: units one per line in their cells, the content one sentence per line;
- ``reform``: 序号 | 改革举措 | 主要内容 | 负责指导或推广的部门 | 推广范围 (the layout of the 17-row table in
  issue 17);
- ``pdf``: the ``merged`` table printed into a text PDF (ruled, cells wrapped, four rows a page with the
  header printed again on each page; the main text before it on the first pages).

The file goes through the same path as an upload (read_document, analyse, read_docx_tables or
read_pdf_tables, decompose)
and each row is checked: it became a task from the table; its lead is the official lead; its co-units are
the official others (as a set); its deadline was parsed to the date written; and it is linked to the item
of the main text that holds the official task (by the 重点任务 heading or the content's words).  Main-text tasks proposed besides the
table's are counted too.  Prints a table and writes bench/results/table_eval.json.

    .venv/bin/python bench/table_eval.py
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from bench.decompose_eval import locate
from luoshi.catalogs.catalog import Catalog, load_catalog
from luoshi.catalogs.evaluate import load_records, resolve_lead, strip_unit_parenthetical
from luoshi.decomposition.builder import ACTIONABLE, decompose
from luoshi.documents.docx_tables import read_docx_tables
from luoshi.documents.pdf_tables import read_pdf_tables
from luoshi.documents.readers import read_document
from luoshi.documents.textproc.pipeline import analyse
from luoshi.testing.tables import make_division_docx, make_division_pdf

RESULTS = Path(__file__).resolve().parent / "results"
LAYOUTS = ("plain", "merged", "two_headers", "one_column", "multi_line", "reform", "pdf")
PDF_WIDTHS = (25, 80, 200, 65, 90, 55)  # points: 序号 重点任务 主要内容 牵头单位 配合单位 完成时限
# Deadlines as offices write them, with the date each means.
DEADLINES = (
    ("2019年6月底前", "2019-06-30"),
    ("2019年12月", "2019-12-31"),
    ("2020年底前", "2020-12-31"),
    ("长期坚持", None),
    ("2020年", "2020-12-31"),
)


def _rows(records: list[dict[str, Any]], layout: str) -> tuple[list[list[str]], int, dict[str, Any]]:
    """The table's rows (header first), its header row count and the layout's docx options."""
    data: list[list[str]] = []
    for i, rec in enumerate(records, start=1):
        task = str(rec.get("h2") or rec.get("h1") or "")
        content = strip_unit_parenthetical(str(rec["task_text"]))
        lead = str(rec.get("lead_first_listed") or "")
        others = [str(o) for o in rec.get("others") or []]
        deadline = DEADLINES[i % len(DEADLINES)][0]
        if layout == "one_column":
            data.append([str(i), content, "、".join([f"{lead}（牵头）", *others]), deadline])
        elif layout == "reform":
            data.append([str(i), task, content, "、".join([lead, *others]), "全国"])
        elif layout == "multi_line":
            lines = "\n".join(s + "。" for s in content.split("。") if s.strip())
            data.append([str(i), task, lines, lead, "\n".join(others), deadline])
        else:
            data.append([str(i), task, content, lead, "、".join(others), deadline])
    options: dict[str, Any] = {}
    if layout == "one_column":
        return [["序号", "任务", "责任单位", "时间进度"], *data], 1, options
    if layout == "reform":
        return [["序号", "改革举措", "主要内容", "负责指导或推广的部门", "推广范围"], *data], 1, options
    header = ["序号", "重点任务", "主要内容", "牵头单位", "配合单位", "完成时限"]
    if layout in ("merged", "pdf"):
        options["vmerge"] = [1, 3]
    if layout == "two_headers":
        top = ["序号", "重点任务", "主要内容", "责任单位", "", "完成时限"]
        second = ["", "", "", "牵头单位", "配合单位", ""]
        body: list[list[str]] = []
        for k, row in enumerate(data):
            if k and k % 8 == 0:
                body.extend([top, second])
            body.append(row)
        options.update(hspan={(0, 3): 2}, repeat_header_flag=True)
        return [top, second, *body], 2, options
    return [header, *data], 1, options


def evaluate(stem: str, layout: str, catalog: Catalog) -> dict[str, Any]:
    records = load_records([corpus.gold() / f"gold_tasks_{stem}.jsonl"])
    main = (corpus.gold() / f"src_stripped_{stem}.txt").read_text(encoding="utf-8")
    rows, header_rows, options = _rows(records, layout)
    paragraphs = [*main.splitlines(), "附件", "重点任务分工"]
    if layout == "pdf":
        data = make_division_pdf(
            paragraphs, rows, widths=PDF_WIDTHS, vmerge=options["vmerge"], rows_per_page=4
        )
        tables = read_pdf_tables(data)
    else:
        data = make_division_docx(paragraphs, rows, header_rows=header_rows, **options)
        tables = read_docx_tables(data)
    read = read_document(
        data, filename=f"{stem}.{'pdf' if layout == 'pdf' else 'docx'}", max_bytes=50_000_000
    )
    analysis = analyse(read.text)
    result = decompose(analysis.text, analysis.structure, catalog, tables=tables)
    from_table = [t for t in result.tasks if t.table_source]
    others = [t for t in result.tasks if t.kind in ACTIONABLE and not t.table_source]
    table_start = analysis.text.find("重点任务分工")
    lead_ok = co_ok = deadline_ok = link_ok = linkable = 0
    for i, (rec, task) in enumerate(zip(records, from_table, strict=False), start=1):
        gold_lead = resolve_lead(rec, catalog)
        gold_co = {u.code for o in rec.get("others") or [] if (u := catalog.resolve(str(o))) is not None}
        lead_ok += bool(task.lead_suggestions) and task.lead_suggestions[0]["code"] == gold_lead
        co_ok += {s["code"] for s in task.co_suggestions} == gold_co - {gold_lead}
        expected = DEADLINES[i % len(DEADLINES)][1]
        if layout == "reform":
            deadline_ok += task.table_source.get("scope") == "全国"
        else:
            got = next((d.get("end_date") for d in task.deadlines if d.get("end_date")), None)
            deadline_ok += got == expected
        # The official task's place in the main text: the row should link to the item holding it.
        span = locate(analysis.text[:table_start], str(rec["task_text"]), 0)
        if span is not None:
            linkable += 1
            link_ok += any(d["start"] <= span[0] < d["end"] for d in task.table_source["linked"])
    n = len(records)
    return {
        "document": stem,
        "layout": layout,
        "rows": n,
        "tasks_from_table": len(from_table),
        "lead_right": lead_ok,
        "co_units_right": co_ok,
        "deadline_right": deadline_ok,
        "linkable": linkable,
        "linked_right": link_ok,
        "other_proposed": len(others),
    }


def main() -> None:
    catalog = load_catalog("state-council")
    stems = sorted(p.stem.removeprefix("gold_tasks_") for p in corpus.gold().glob("gold_tasks_*.jsonl"))
    rows = [evaluate(stem, layout, catalog) for layout in LAYOUTS for stem in stems]
    totals: dict[str, Any] = {}
    for layout in LAYOUTS:
        mine = [r for r in rows if r["layout"] == layout]
        n = sum(r["rows"] for r in mine)
        linkable = sum(r["linkable"] for r in mine)
        totals[layout] = {
            "rows": n,
            "rows_as_tasks": round(sum(min(r["tasks_from_table"], r["rows"]) for r in mine) / n, 3),
            "extra_tasks_from_table": sum(max(0, r["tasks_from_table"] - r["rows"]) for r in mine),
            "lead_right": round(sum(r["lead_right"] for r in mine) / n, 3),
            "co_units_right": round(sum(r["co_units_right"] for r in mine) / n, 3),
            "deadline_or_scope_right": round(sum(r["deadline_right"] for r in mine) / n, 3),
            "linked_right": round(sum(r["linked_right"] for r in mine) / linkable, 3) if linkable else None,
            "other_proposed": sum(r["other_proposed"] for r in mine),
        }
    print(
        f"{'layout':12} {'rows':>5} {'as tasks':>8} {'extra':>5} {'lead':>6} {'co-units':>8} {'deadline':>8} "
        f"{'linked':>6} {'other':>5}"
    )
    for layout, t in totals.items():
        linked = "-" if t["linked_right"] is None else f"{t['linked_right']:.3f}"
        print(
            f"{layout:12} {t['rows']:>5} {t['rows_as_tasks']:>8.3f} {t['extra_tasks_from_table']:>5} "
            f"{t['lead_right']:>6.3f} {t['co_units_right']:>8.3f} {t['deadline_or_scope_right']:>8.3f} "
            f"{linked:>6} {t['other_proposed']:>5}"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "table_eval.json").write_text(
        json.dumps(
            {"summary": totals, "documents": rows, "python": platform.python_version()},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
