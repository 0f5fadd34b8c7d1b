"""The review opinion (审核意见书 / 审查意见书) as a DOCX in the GB/T 9704 layout of the bulletins.

Pure: ``opinion_data`` reads the database once, ``render_opinion`` only its result, so the same
data always gives the same document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from luoshi.bulletins.periods import date_zh
from luoshi.bulletins.renderers.gbt9704 import Column, OfficialDocument
from luoshi.review.compare import finding_key
from luoshi.review.models import Conclusion, FindingStatus, ReviewFinding, ReviewKind, Submission

CLASS_ZH = {
    "lower_target": "目标降低",
    "later_deadline": "时限推后",
    "softened_obligation": "要求弱化",
    "uncovered_clause": "上级要求未落实",
    "fair_competition": "公平竞争",
    "new_power": "合法性",
    "premise": "基本前提",
    "procedure": "程序",
    "other": "其他",
}
OFFICE = "前置审核和备案审查办公室"


@dataclass(frozen=True)
class OpinionItem:
    cls: str
    sentence: str
    basis: str
    opinion: str
    state: str  # 已修改 (resolved by a revision) / 待修改 (still in the latest version)


@dataclass(frozen=True)
class OpinionData:
    title: str
    number: str
    unit: str
    document_title: str
    kind: str  # 前置审核 / 备案审查
    doc_number: str
    versions: int
    items: list[OpinionItem]
    conclusion: str
    reason: str
    opinion: str
    date: dt.date
    governing: list[str]


def opinion_data(submission: Submission) -> OpinionData:
    latest = submission.latest
    accepted = list(
        ReviewFinding.objects.filter(
            version__submission=submission, status=FindingStatus.ACCEPTED, carried_from__isnull=True
        ).order_by("version__number", "start", "id")
    )
    in_latest = {finding_key(f) for f in latest.findings.all()} if latest else set()
    pre = submission.review_kind == ReviewKind.PRE
    day = timezone.localdate(submission.concluded_at) if submission.concluded_at else timezone.localdate()
    return OpinionData(
        title="审核意见书" if pre else "备案审查意见书",
        number=submission.number,
        unit=submission.drafting_unit.name,
        document_title=submission.title,
        kind="前置审核" if pre else "备案审查",
        doc_number=submission.doc_number,
        versions=submission.versions.count(),
        items=[
            OpinionItem(
                CLASS_ZH.get(f.cls, f.cls),
                f.sentence or f.governing_text,
                f.basis,
                f.opinion,
                "待修改"
                if f.version_id == getattr(latest, "pk", None) or finding_key(f) in in_latest
                else "已修改",
            )
            for f in accepted
        ],
        conclusion=_conclusion_zh(submission.conclusion),
        reason=submission.conclusion_reason,
        opinion=submission.opinion,
        date=day,
        governing=[d.title for d in submission.governing.all()],
    )


def _conclusion_zh(code: str) -> str:
    return {
        Conclusion.PASS: "通过",
        Conclusion.PASS_WITH_CHANGES: "修改后通过",
        Conclusion.REJECT: "不予通过",
        Conclusion.CORRECT: "纠正",
    }.get(code, "审核中")  # type: ignore[call-overload]


def render_opinion(data: OpinionData) -> bytes:
    """Title, number, addressee, what was reviewed, the findings with opinions, the conclusion, signature."""
    doc = OfficialDocument()
    doc.title(data.title)
    doc.subtitle(data.number)
    doc.blank()
    doc.paragraph(f"{data.unit}：", addressee=True)
    numbered = f"（{data.doc_number}）" if data.doc_number else ""
    against = f"对照《{'》《'.join(data.governing)}》" if data.governing else ""
    doc.paragraph(
        f"你单位报送的《{data.document_title}》{numbered}收悉。经{data.kind}，{against}"
        f"并依据有关法律法规和公平竞争审查标准，共审核{data.versions}稿，现提出意见如下。"
    )
    doc.heading(1, "一、审核发现的问题")
    if data.items:
        doc.table(
            [
                Column("序号", 1.2),
                Column("类别", 2.2),
                Column("原文", 5, "left"),
                Column("依据", 5, "left"),
                Column("审核意见", 4, "left"),
                Column("处理情况", 2),
            ],
            [
                [i, item.cls, item.sentence, item.basis, item.opinion or "请予修改。", item.state]
                for i, item in enumerate(data.items, 1)
            ],
        )
    else:
        doc.paragraph("未发现需要修改的问题。")
    doc.heading(1, "二、审核结论")
    doc.paragraph(f"审核结论：{data.conclusion}。" + (data.reason if data.reason else ""))
    if data.opinion:
        doc.paragraph(data.opinion)
    doc.signature(office=OFFICE, date_text=date_zh(data.date))
    return doc.to_bytes()
