"""What bulletins and the ledger say of leaders' instructions (given to them in ``apps.ready``, see
``luoshi.bulletins.optional``): the instructions a bulletin cites, and each owner's handling for the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from luoshi.bulletins.data import InstructionItem, LedgerInstruction
from luoshi.instructions.services import answered_on, cited_instructions, issued_by
from luoshi.instructions.words import owner_words, person, subject_words
from luoshi.ratings.facts import local_day


def instructions_in_period(
    start: dt.date,
    end: dt.date,
    *,
    as_of: dt.date,
    task_ids: Collection[int] | None = None,
    unit_ids: Collection[int] | None = None,
) -> list[InstructionItem]:
    """Leaders' instructions the office chose to cite (``services.cited_instructions``), as the bulletin says
    them. A scoped bulletin keeps those on one of its tasks, or on a unit's work (or owned by a unit) in
    its scope."""
    out = []
    for i in cited_instructions(start=start, end=end, as_of=as_of):
        handlings = list(i.handlings.all())
        owners = {h.unit_id for h in handlings if h.unit_id is not None}
        if task_ids is not None and unit_ids is not None:
            in_scope = (
                i.task_id in task_ids if i.task_id is not None else bool({i.unit_id, *owners} & set(unit_ids))
            )
            if not in_scope:
                continue
        answered = answered_on(i, as_of=as_of)
        state = "已办复" if answered else ("逾期未办复" if i.due_date < as_of else "办理中")
        responses = [
            f"{owner_words(h.unit)[0]}：{h.response}"
            for h in handlings
            if h.responded_at is not None and local_day(h.responded_at) <= as_of
        ]
        out.append(
            InstructionItem(
                leader=person(i.leader),
                date=local_day(i.created_at),
                subject=subject_words(i)[0],
                text=i.text,
                due_date=i.due_date,
                owners=[owner_words(h.unit)[0] for h in handlings],
                state=state,
                answered_on=answered,
                responses=responses,
            )
        )
    return out


HANDLING_ZH = {
    "open": "待办理",
    "awaiting_head": "待单位负责人审核",
    "returned": "已退回修改",
    "done": "已办复",
}


def instruction_ledger(*, as_of: dt.date) -> list[LedgerInstruction]:
    """Every owner's handling of the instructions issued by the date (``data.LedgerInstruction``), as it
    stood on the date."""
    rows = []
    for i in issued_by(as_of=as_of):
        for h in i.handlings.all():
            answered = (
                local_day(h.responded_at) if h.responded_at and local_day(h.responded_at) <= as_of else None
            )
            # Answered later than the date: as it stood then, it was still to be handled.
            state = "已办复" if answered else HANDLING_ZH["open" if h.state == "done" else h.state]
            if answered is None and i.due_date < as_of:
                state = f"逾期（{state}）"
            rows.append(
                LedgerInstruction(
                    instruction_id=i.pk,
                    date=local_day(i.created_at),
                    leader=person(i.leader),
                    subject=subject_words(i)[0],
                    text=i.text,
                    due_date=i.due_date,
                    owner=owner_words(h.unit)[0],
                    state=state,
                    answered_on=answered,
                    response=h.response if answered else "",
                    approved_by=person(h.approved_by) if answered else "",
                )
            )
    return rows
