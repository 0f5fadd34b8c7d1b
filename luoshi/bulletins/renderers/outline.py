"""The bulletin's text as a list of blocks (headings, paragraphs, tables), written once for every format.

The DOCX, HTML/PDF and XLSX renderers each lay out these same blocks, so a
number cannot differ between formats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from luoshi.bulletins.data import DEFAULT_OFFICE, BulletinData, InstructionItem, ProblemTask
from luoshi.bulletins.narrative import percent
from luoshi.bulletins.periods import date_zh
from luoshi.bulletins.renderers.gbt9704 import Column

CHINESE_NUMERALS = "一二三四五六七八九十"
RAG_ZH = {"green": "绿", "amber": "黄", "red": "红", "": "—"}
STATUS_ZH = {"overdue": "逾期", "lagging": "滞后"}


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str
    lead: str = ""


@dataclass
class Table:
    name: str  # also the XLSX sheet name
    columns: list[Column]
    rows: list[list[object]] = field(default_factory=list)


Block = Heading | Paragraph | Table


@dataclass
class Masthead:
    title: str
    number: str  # 2024年第1期, "" before issue
    office: str
    date_text: str


def default_title(data: BulletinData) -> str:
    return f"关于{data.period_label}{data.scope_label()}重点任务落实情况的通报"


def masthead(
    data: BulletinData,
    *,
    title: str | None = None,
    number: str = "",
    office: str = DEFAULT_OFFICE,
    issue_date: dt.date | None = None,
) -> Masthead:
    return Masthead(
        title=title or default_title(data),
        number=number,
        office=office,
        date_text=date_zh(issue_date or data.as_of),
    )


def zh_number(n: int) -> str:
    """1..99 in Chinese numerals, as headings number them: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    if not 0 < n < 100:
        return str(n)
    return (
        ("" if tens < 2 else CHINESE_NUMERALS[tens - 1])
        + ("十" if tens else "")
        + (CHINESE_NUMERALS[ones - 1] if ones else "")
    )


def _numbered(items: list[str]) -> list[str]:
    return [f"{zh_number(i + 1)}、{text}" for i, text in enumerate(items)]


def summary_table(data: BulletinData) -> Table:
    s = data.summary
    return Table(
        "总体情况",
        [Column("项目", 3, "left"), Column("数量", 1)],
        [
            ["重点任务", s.tasks],
            ["按计划推进", s.on_track],
            ["其中：已办结", s.completed],
            ["滞后", s.lagging],
            ["其中：逾期", s.overdue],
            ["尚未评价", s.not_rated],
            ["本期应报送报告", s.reports_due],
            ["按时报送", s.reports_on_time],
            ["逾期报送", s.reports_late],
            ["未报送", s.reports_missing],
            ["按时报送率", percent(s.on_time_rate)],
        ],
    )


def parts_table(data: BulletinData) -> Table:
    titles = {d.id: d.title for d in data.documents}
    return Table(
        "分部分情况",
        [
            Column("文件", 3, "left"),
            Column("部分", 1.4),
            Column("标题", 4, "left"),
            Column("任务", 1),
            Column("按计划推进", 1.3),
            Column("滞后", 1),
            Column("逾期", 1),
            Column("已办结", 1.2),
            Column("平均进度", 1.3),
        ],
        [
            [
                titles.get(p.document_id, ""),
                p.label,
                p.heading,
                p.tasks,
                p.on_track,
                p.lagging,
                p.overdue,
                p.completed,
                "—" if p.average_progress is None else f"{p.average_progress:g}%",
            ]
            for p in data.parts
        ],
    )


def ranking_table(data: BulletinData) -> Table:
    return Table(
        "单位排名",
        [
            Column("排名", 1),
            Column("单位", 4, "left"),
            Column("承担任务", 1.3),
            Column("按计划推进", 1.3),
            Column("滞后", 1),
            Column("按计划推进率", 1.6),
            Column("本期应报", 1.3),
            Column("按时", 1),
            Column("逾期报送", 1.3),
            Column("未报送", 1.2),
            Column("按时报送率", 1.6),
        ],
        [
            [
                u.rank,
                u.name,
                u.assignments,
                u.green,
                u.amber + u.red,
                percent(u.on_track_rate),
                u.reports_due,
                u.reports_on_time,
                u.reports_late,
                u.reports_missing,
                percent(u.on_time_rate),
            ]
            for u in data.units
        ],
    )


def problems_table(data: BulletinData) -> Table:
    def progress(p: ProblemTask) -> str:
        shown = "—" if p.progress is None else f"{p.progress:g}%"
        return shown if p.planned is None else f"{shown}（计划{p.planned:g}%）"

    return Table(
        "滞后逾期任务",
        [
            Column("序号", 0.9),
            Column("任务", 4.2, "left"),
            Column("牵头单位", 2.4, "left"),
            Column("配合单位", 2, "left"),
            Column("完成时限", 2),
            Column("进度", 2.2),
            Column("状态", 1),
            Column("原因", 4.5, "left"),
        ],
        [
            [
                i,
                p.title,
                p.lead_unit,
                "、".join(p.co_units),
                date_zh(p.deadline),
                progress(p),
                "逾期" if p.overdue_days > 0 else "滞后",
                "；".join(p.reasons),
            ]
            for i, p in enumerate(data.problem_tasks, 1)
        ],
    )


def measures_table(data: BulletinData) -> Table:
    return Table(
        "问责情况",
        [
            Column("序号", 0.9),
            Column("单位", 3, "left"),
            Column("措施", 1.6),
            Column("事由", 5, "left"),
            Column("日期", 2),
        ],
        [
            [
                i,
                m.unit,
                m.kind,
                m.detail if not m.subject else f"{m.subject}：{m.detail}",
                date_zh(m.date) if m.date else "",
            ]
            for i, m in enumerate(data.measures or [], 1)
        ],
    )


def good_practice_table(data: BulletinData) -> Table:
    return Table(
        "典型经验",
        [
            Column("序号", 0.9),
            Column("单位", 3, "left"),
            Column("任务", 4, "left"),
            Column("报告期", 1.5),
            Column("经验做法", 6, "left"),
            Column("佐证材料", 3, "left"),
        ],
        [
            [i, g.unit, g.task_title, g.report_period, g.excerpt, "、".join(g.evidence)]
            for i, g in enumerate(data.good_practices, 1)
        ],
    )


def instructions_table(data: BulletinData) -> Table:
    def answer(i: InstructionItem) -> str:
        return "；".join(i.responses) if i.responses else "—"

    return Table(
        "领导批示",
        [
            Column("序号", 0.9),
            Column("批示", 4.5, "left"),
            Column("承办单位", 2.4, "left"),
            Column("办理时限", 2),
            Column("办理情况", 4.6, "left"),
            Column("状态", 1.4),
        ],
        [
            [
                n,
                f"{i.leader}（{date_zh(i.date)}，关于{i.subject}）：{i.text}",
                "、".join(i.owners),
                date_zh(i.due_date),
                answer(i),
                i.state if i.answered_on is None else f"{i.state}（{date_zh(i.answered_on)}）",
            ]
            for n, i in enumerate(data.instructions, 1)
        ],
    )


def tables(data: BulletinData) -> list[Table]:
    """Every table of the bulletin, in order (the XLSX export writes one sheet each)."""
    out = [
        summary_table(data),
        parts_table(data),
        ranking_table(data),
        problems_table(data),
        good_practice_table(data),
    ]
    if data.measures is not None:
        out.append(measures_table(data))
    if data.instructions:
        out.append(instructions_table(data))
    return out


def blocks(data: BulletinData) -> list[Block]:
    """The body of the bulletin, after the title and before the signature."""
    out: list[Block] = [
        Paragraph(f"按照督查工作安排，现将{data.period_label}{data.scope_label()}重点任务落实情况通报如下。")
    ]
    headings = [
        "总体情况",
        "分部分推进情况",
        "各单位报告报送和推进情况",
        "滞后和逾期任务",
        "典型经验做法",
        *(["监督问责情况"] if data.measures is not None else []),
        *(["领导批示办理情况"] if data.instructions else []),
        "下一步工作要求",
    ]
    numbered = iter(_numbered(headings))

    out += [Heading(1, next(numbered)), Paragraph(data.summary_text), summary_table(data)]

    # Every heading is followed by a sentence before the next heading: LibreOffice does not carry a chain
    # of keep-with-next headings (一、 then （一）) to the next page after a table, so 一、 was left alone
    # at the foot of page 1 (see docs/bulletins.md).
    out.append(Heading(1, next(numbered)))
    several = len(data.documents) > 1
    if data.parts:
        scope = (
            f"涉及{len(data.documents)}个文件、{len(data.parts)}个部分"
            if several
            else f"分属{len(data.parts)}个部分"
        )
        out.append(Paragraph(f"纳入督查的重点任务{scope}，推进情况如下。"))
    for d, doc in enumerate(data.documents, 1):
        parts = [p for p in data.parts if p.document_id == doc.id]
        if several:
            out.append(Heading(2, f"（{zh_number(d)}）《{doc.title}》"))
            out.append(
                Paragraph(f"该文件纳入督查的任务共{sum(p.tasks for p in parts)}项，分属{len(parts)}个部分。")
            )
        for i, part in enumerate(parts, 1):
            if several:
                out.append(Heading(3, f"{i}.{part.label}：{part.heading}"))
            else:
                out.append(Heading(2, f"（{zh_number(i)}）{part.label}：{part.heading}"))
            out.append(Paragraph(part.narrative))
    if not data.parts:
        out.append(Paragraph("本期无纳入督查的任务。"))

    out.append(Heading(1, next(numbered)))
    out.append(
        Paragraph(
            "按本期报告按时报送率、任务按计划推进率排序，情况如下。"
            if data.units
            else "本期无承担任务的单位。"
        )
    )
    if data.units:
        out.append(ranking_table(data))

    out.append(Heading(1, next(numbered)))
    if data.problem_tasks:
        s = data.summary
        out.append(
            Paragraph(f"截至{date_zh(data.as_of)}，滞后任务{s.lagging}项，其中逾期{s.overdue}项，具体如下。")
        )
        out.append(problems_table(data))
    else:
        out.append(Paragraph("本期无滞后、逾期任务。"))

    out.append(Heading(1, next(numbered)))
    if data.good_practices:
        out.append(Paragraph(f"本期选录典型经验做法{len(data.good_practices)}项，供各单位学习借鉴。"))
        for i, g in enumerate(data.good_practices, 1):
            out.append(Heading(2, f"（{zh_number(i)}）{g.unit}：{g.task_title}"))
            out.extend(Paragraph(line.strip()) for line in g.excerpt.splitlines() if line.strip())
            if g.evidence:
                out.append(Paragraph(f"佐证材料：{'、'.join(g.evidence)}"))
    else:
        out.append(Paragraph("本期暂无选录的典型经验做法。"))

    if data.measures is not None:
        out.append(Heading(1, next(numbered)))
        if data.measures:
            out.append(Paragraph(f"本期共采取监督问责措施{len(data.measures)}项。"))
            out.append(measures_table(data))
        else:
            out.append(Paragraph("本期未采取监督问责措施。"))

    if data.instructions:
        out.append(Heading(1, next(numbered)))
        answered = sum(1 for i in data.instructions if i.answered_on is not None)
        out.append(
            Paragraph(
                f"本期通报领导批示{len(data.instructions)}件，已办复{answered}件，"
                f"正在办理或逾期未办复{len(data.instructions) - answered}件，具体如下。"
            )
        )
        out.append(instructions_table(data))

    out.append(Heading(1, next(numbered)))
    out.append(
        Paragraph(
            "各牵头单位要对照任务分工和时间节点，切实履行牵头责任；滞后、逾期任务的责任单位要认真分析原因，"
            "制定整改措施，在下一报告期内报送整改情况；未按时报送报告的单位要及时补报。督查室将持续跟踪督办。"
        )
    )
    return out
