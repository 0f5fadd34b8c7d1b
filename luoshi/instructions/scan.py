"""The supervision pass (``luoshi tick``) for leaders' instructions: handlings not answered in time.

As the supervision records do (``supervision.scan``), each reminder, urging and escalation is a keyed
``Chase`` created with its notices and group message in one transaction, once per key:

| record | when | who is told | key |
|---|---|---|---|
| reminder | the handling is not answered and its due date is ≤ LUOSHI_INSTRUCTION_REMINDER_DAYS away | the owner's liaisons (else its heads) | ``instruction:reminder:handling=<id>:due=<date>`` |
| urging | the due date has passed and it is not answered | the owner's liaisons and heads | ``instruction:urging:handling=<id>:due=<date>`` |
| escalation | still not answered LUOSHI_ESCALATION_DAYS after the due date | the supervisors, the owner's heads and the leader | ``instruction:escalation:handling=<id>:due=<date>`` |

The office's own handlings (a bulletin addressed to nobody else) go to the supervisors. The counts
join the pass's reminders, urgings and escalations.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.instructions.models import Chase, Handling
from luoshi.instructions.words import due_words, excerpt, instruction_link, owner_words, person, subject_words
from luoshi.notifications.channels import Message
from luoshi.reports.isolation import isolated
from luoshi.supervision.scan import SweepCounts, create_keyed, liaisons, people, supervisors


def _text(handling: Handling, *, kind: str, today: dt.date) -> Message:
    instruction = handling.instruction
    when_zh, when_en = due_words(instruction.due_date, today)
    heads = {
        "reminder": ("【批示办理提醒】", "Reminder"),
        "urging": ("【批示催办】", "Urging"),
        "escalation": ("【批示逾期升级督办】", "Escalation"),
    }
    head_zh, head_en = heads[kind]
    owner_zh, owner_en = owner_words(handling.unit if handling.unit_id else None)
    subject_zh, subject_en = subject_words(instruction)
    return Message(
        title=f"{head_zh}{person(instruction.leader)}批示{when_zh} / {head_en}: instruction {when_en}",
        body="\n".join(
            [
                f"批示对象 / On：{subject_zh} / {subject_en}",
                f"批示内容 / Instruction：{excerpt(instruction.text, 200)}",
                f"承办 / Owner：{owner_zh} / {owner_en}",
                f"办理时限 / Answer by：{instruction.due_date.isoformat()}（{when_zh} / {when_en}）",
                "请尽快办复。 / Please answer the instruction.",
            ]
        ),
        link=instruction_link(instruction),
    )


def _reminded(handling: Handling) -> list[Any]:
    return supervisors() if handling.unit_id is None else liaisons(handling.unit_id)


def _urged(handling: Handling) -> list[Any]:
    return (
        supervisors() if handling.unit_id is None else people(handling.unit_id, Role.LIAISON, Role.UNIT_HEAD)
    )


def _escalated(handling: Handling) -> list[Any]:
    heads = [] if handling.unit_id is None else people(handling.unit_id, Role.UNIT_HEAD)
    return [*supervisors(), *heads, handling.instruction.leader]


def sweep_instructions(*, now: dt.datetime | None = None, counts: SweepCounts | None = None) -> SweepCounts:
    """Create the reminders, urgings and escalations due as of ``now`` (one query for the candidates)."""
    now = now or timezone.now()
    counts = counts or SweepCounts()
    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=settings.INSTRUCTION_REMINDER_DAYS)
    candidates = (
        Handling.objects.exclude(state=Handling.State.DONE)
        .filter(instruction__due_date__lte=horizon)
        .select_related(
            "instruction__leader",
            "instruction__task",
            "instruction__unit",
            "instruction__bulletin",
            "instruction__report__obligation__assignment__unit",
            "instruction__report__obligation__assignment__task",
            "unit",
        )
        .defer("instruction__bulletin__data", "instruction__bulletin__docx")
        .order_by("pk")
    )
    for handling in candidates:
        with isolated(handling, step="instruction_chase", failures=counts.failures, now=now):
            _chase(handling, today=today, now=now, counts=counts)
    return counts


def _chase(handling: Handling, *, today: dt.date, now: dt.datetime, counts: SweepCounts) -> None:
    due = handling.instruction.due_date
    days = (due - today).days
    if days >= 0:
        steps = [("reminder", days, _reminded, "reminders")]
    else:
        steps = [("urging", -days, _urged, "urgings")]
        if -days >= settings.ESCALATION_DAYS:
            steps.append(("escalation", -days, _escalated, "escalations"))
    for kind, count, recipients, counter in steps:
        key = f"instruction:{kind}:handling={handling.pk}:due={due}"
        create_keyed(
            Chase,
            {"key": key, "kind": kind, "handling": handling, "due_date": due, "days": count},
            kind=f"instruction_{kind}",
            text=_text(handling, kind=kind, today=today),
            recipients=partial(recipients, handling),
            unit=handling.unit,
            now=now,
            counts=counts,
            counter=counter,
        )
