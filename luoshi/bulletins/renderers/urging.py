"""The urging notice (催办单) as a DOCX in the same GB/T 9704 layout as the bulletin."""

from __future__ import annotations

from luoshi.bulletins.data import UrgingNoticeData
from luoshi.bulletins.periods import date_zh
from luoshi.bulletins.renderers.gbt9704 import Column, OfficialDocument

TITLE = "督查催办单"


def render_urging_notice(data: UrgingNoticeData) -> bytes:
    """Write the notice: title, number, addressee, the overdue items, what to do by when, signature.

    Pure: reads only ``data`` (no database), so the same data always gives the same text.
    """
    doc = OfficialDocument()
    doc.title(TITLE)
    if data.number:
        doc.subtitle(data.number)
    doc.blank()
    doc.paragraph(f"{data.unit}：", addressee=True)
    if len(data.items) == 1:
        item = data.items[0]
        doc.paragraph(
            f"经督查，你单位承担的“{item.task_title}”任务{item.what}，应于{date_zh(item.since)}前完成，"
            f"截至{date_zh(data.date)}已逾期{item.days_overdue}天。"
        )
    else:
        doc.paragraph(f"经督查，截至{date_zh(data.date)}，你单位承担的以下{len(data.items)}项事项已逾期：")
        doc.keep_with_next()
        doc.table(
            [
                Column("序号", 1.4),
                Column("任务", 5, "left"),
                Column("逾期事项", 5, "left"),
                Column("应完成时间", 3),
                Column("逾期天数", 1.8),
            ],
            [
                [i, item.task_title, item.what, date_zh(item.since), item.days_overdue]
                for i, item in enumerate(data.items, 1)
            ],
        )
    doc.paragraph(data.required_response)
    doc.paragraph(f"回复时限：{date_zh(data.response_date)}前。")
    doc.signature(office=data.office, date_text=date_zh(data.date))
    return doc.to_bytes()
