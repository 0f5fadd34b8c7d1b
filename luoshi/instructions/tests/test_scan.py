"""The supervision pass for instructions: remind before the due date, urge after it, escalate later;
once per key; an answered handling is left alone; the counts join the tick's."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.instructions.models import Chase
from luoshi.instructions.scan import sweep_instructions
from luoshi.instructions.services import issue_instruction, respond_to_instruction
from luoshi.notifications.models import Notice
from luoshi.site.tick import run_pass
from luoshi.testing.world import World, at, kinds_of

pytestmark = pytest.mark.django_db

DUE = dt.date(2024, 4, 12)


def test_remind_then_urge_then_escalate_once_each(world: World) -> None:
    issue_instruction(
        leader=world.leader, text="请报送整改方案。", due_date=DUE, task=world.task, now=at("2024-04-02")
    )
    assert sweep_instructions(now=at("2024-04-09")).reminders == 0  # three days ahead: not yet
    counts = sweep_instructions(now=at("2024-04-10"))
    assert (counts.reminders, counts.urgings, counts.escalations) == (1, 0, 0)
    assert kinds_of(world.liaison_a)[-1] == "instruction_reminder" and "instruction_reminder" not in kinds_of(
        world.head_a
    )
    assert sweep_instructions(now=at("2024-04-11")).reminders == 0  # once per due date
    urged = sweep_instructions(now=at("2024-04-13"))
    assert (urged.reminders, urged.urgings, urged.escalations) == (0, 1, 0)
    assert (
        kinds_of(world.head_a)[-1] == "instruction_urging"
        and kinds_of(world.liaison_a)[-1] == "instruction_urging"
    )
    notice = Notice.objects.filter(recipient=world.head_a, kind="instruction_urging").get()
    assert "已逾期1天" in notice.title and "请报送整改方案" in notice.body
    escalated = sweep_instructions(now=at("2024-04-19"))
    assert (escalated.urgings, escalated.escalations) == (0, 1)
    for user in (world.supervisor, world.head_a, world.leader):
        assert "instruction_escalation" in kinds_of(user), user
    assert sweep_instructions(now=at("2024-04-20")).escalations == 0
    assert sorted(Chase.objects.values_list("kind", flat=True)) == ["escalation", "reminder", "urging"]


def test_an_answered_instruction_is_not_chased(world: World) -> None:
    instruction = issue_instruction(
        leader=world.leader, text="请报送。", due_date=DUE, task=world.task, now=at("2024-04-02")
    )
    respond_to_instruction(
        handling=instruction.handlings.get(), user=world.liaison_a, text="已报送。", now=at("2024-04-05")
    )
    counts = sweep_instructions(now=at("2024-04-20"))
    assert (counts.reminders, counts.urgings, counts.escalations) == (0, 0, 0)


def test_the_tick_counts_them_with_the_other_urgings(world: World) -> None:
    issue_instruction(
        leader=world.leader, text="请报送。", due_date=DUE, unit=world.unit_b, now=at("2024-04-02")
    )
    result = run_pass(now=at("2024-04-13"))
    assert Chase.objects.filter(kind="urging", handling__unit=world.unit_b).count() == 1
    assert result.urgings >= 1 and "instruction_urging" in kinds_of(world.liaison_b)
    again = run_pass(now=at("2024-04-13", 10))
    assert not Chase.objects.filter(created_at=at("2024-04-13", 10)).exists() and not again.skipped
