"""What the instruction pages show: an instruction with its handlings and what the user may do on each,
the list of instructions (the office and leaders: all; a unit: its own), and the unit's handlings to do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.urls import reverse

from luoshi.accounts.scope import sees_all
from luoshi.instructions import access
from luoshi.instructions.models import Handling, Instruction, Subject
from luoshi.instructions.services import STATES, in_state, instruction_state, with_handlings
from luoshi.instructions.words import subject_text

PER_PAGE = 30
UNIT_DONE_SHOWN = 5  # answered handlings a unit's page still shows


@dataclass
class HandlingView:
    """A handling as the user sees it; ``error`` and ``text`` when an answer or a decision was refused."""

    handling: Handling
    may_respond: bool
    may_approve: bool
    overdue: bool
    error: str = ""
    text: str = ""

    @property
    def answerable(self) -> bool:
        return self.may_respond and self.handling.state in (Handling.State.OPEN, Handling.State.RETURNED)

    @property
    def decidable(self) -> bool:
        return self.may_approve and self.handling.state == Handling.State.AWAITING_HEAD


@dataclass
class InstructionView:
    instruction: Instruction
    state: str
    subject: str  # in the page's language
    subject_link: str  # "" when the user has no page for it
    handlings: list[HandlingView] = field(default_factory=list)
    may_cite: bool = False

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


def subject_link(user: Any, instruction: Instruction) -> str:
    if instruction.subject == Subject.REPORT and instruction.task_id is not None:
        return f"{reverse('web:task', args=[instruction.task_id])}#report-{instruction.report_id}"
    if instruction.task_id is not None:
        return reverse("web:task", args=[instruction.task_id])
    if instruction.unit_id is not None:
        return f"{reverse('web:dashboard')}?unit={instruction.unit_id}"
    if instruction.bulletin_id is not None and sees_all(user):
        return reverse("web:bulletin_issued", args=[instruction.bulletin_id, "html"])
    return ""


def handling_view(
    user: Any, handling: Handling, *, today: dt.date, error: str = "", text: str = ""
) -> HandlingView:
    return HandlingView(
        handling,
        access.may_respond(user, handling),
        access.may_approve(user, handling),
        handling.overdue_on(today),
        error,
        text,
    )


def instruction_view(*, user: Any, instruction: Instruction, today: dt.date) -> InstructionView:
    """The instruction with the handlings the user sees (a unit: its own), from prefetched rows."""
    handlings = [
        handling_view(user, h, today=today)
        for h in instruction.handlings.all()
        if access.sees_handling(user, h)
    ]
    return InstructionView(
        instruction,
        instruction_state(instruction, today=today),
        subject_text(instruction),
        subject_link(user, instruction),
        handlings,
        access.may_cite(user),
    )


def get_instruction_view(*, user: Any, pk: Any, today: dt.date) -> InstructionView:
    found = access.get_instruction_for(user, pk)  # 404 outside the user's scope
    return instruction_view(
        user=user, instruction=with_handlings(Instruction.objects.filter(pk=found.pk)).get(), today=today
    )


@dataclass
class InstructionList:
    page: Page[Instruction]
    rows: list[InstructionView]
    state: str
    states: list[tuple[str, str]]


def instruction_list(
    *, user: Any, today: dt.date, state: str = "", page: Any = 1, leader: Any = None
) -> InstructionList:
    """The instructions the user sees, newest first, 30 a page; ``state`` "open" (due date not passed),
    "overdue" or "done"; ``leader`` keeps one leader's own."""
    found = access.visible_instructions(user)
    if leader is not None:
        found = found.filter(leader=leader)
    found = in_state(found, state, today=today)
    paged = Paginator(with_handlings(found).order_by("-created_at", "-pk"), PER_PAGE).get_page(page)
    rows = [instruction_view(user=user, instruction=i, today=today) for i in paged.object_list]
    choices = [
        ("", ""),
        ("open", str(STATES["open"])),
        ("overdue", str(STATES["overdue"])),
        ("done", str(STATES["done"])),
    ]
    return InstructionList(paged, rows, state if state in dict(choices) else "", choices)


def unit_handlings(*, user: Any, today: dt.date) -> list[InstructionView]:
    """For a unit's home: the instructions it still has to answer (earliest due first), then the latest answered."""
    mine = access.visible_instructions(user)
    if sees_all(user):
        return []
    pending = with_handlings(
        mine.filter(
            pk__in=access.visible_handlings(user).exclude(state=Handling.State.DONE).values("instruction_id")
        )
    )
    done = with_handlings(mine.exclude(pk__in=pending.values("pk")))
    rows = list(pending.order_by("due_date", "pk")) + list(
        done.order_by("-created_at", "-pk")[:UNIT_DONE_SHOWN]
    )
    return [instruction_view(user=user, instruction=i, today=today) for i in rows]
