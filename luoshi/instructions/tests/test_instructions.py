"""Leaders' instructions (领导批示) and their handling (批示件办理): issue, answer, approve, cite."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from luoshi.audit.services import entries_for
from luoshi.instructions.models import Handling, Instruction
from luoshi.instructions.services import (
    InstructionError,
    approve_response,
    cite_in_bulletin,
    instruction_state,
    issue_instruction,
    respond_to_instruction,
    with_handlings,
)
from luoshi.notifications.models import Notice
from luoshi.testing.world import World, at, kinds_of

pytestmark = pytest.mark.django_db

NOW = at("2024-04-02")
DUE = dt.date(2024, 4, 12)


def issue(world: World, **subject: object) -> Instruction:
    subject = subject or {"task": world.task}
    return issue_instruction(
        leader=world.leader,
        text="请加快推进，月底前报送进展。",
        due_date=DUE,
        now=NOW,
        **subject,  # type: ignore[arg-type]
    )


def test_a_leader_instructs_on_a_task_and_the_lead_unit_handles_it(world: World) -> None:
    instruction = issue(world)
    handling = instruction.handlings.get()
    assert (instruction.subject, instruction.task, handling.unit, handling.state) == (
        "task",
        world.task,
        world.unit_a,
        "open",
    )
    # The office and the owner's people are told; the co-unit and the stranger are not.
    for user in (world.supervisor, world.liaison_a, world.head_a):
        assert kinds_of(user) == ["instruction"], user
    for user in (world.liaison_b, world.liaison_c, world.leader):
        assert kinds_of(user) == []
    notice = Notice.objects.filter(recipient=world.liaison_a).get()
    assert (
        "请加快推进" in notice.body
        and f"/instructions/{instruction.pk}/" in notice.link
        and "2024-04-12" in notice.body
    )
    entry = entries_for(instruction).get()
    assert (
        entry.action == "create"
        and entry.actor == world.leader
        and entry.changes["units"] == [None, [world.unit_a.pk]]
    )


def test_each_subject_has_its_owner(world: World) -> None:
    on_unit = issue(world, unit=world.unit_b)
    on_report = issue(world, report=world.report_a)
    assert [h.unit for h in on_unit.handlings.all()] == [world.unit_b]
    assert [h.unit for h in on_report.handlings.all()] == [world.unit_a]
    assert on_report.task == world.task  # the report's task, for the task page and the bulletins


def test_only_a_leader_instructs(world: World) -> None:
    for user in (world.supervisor, world.liaison_a, world.head_a, world.admin):
        with pytest.raises(PermissionDenied):
            issue_instruction(leader=user, text="批示", due_date=DUE, task=world.task, now=NOW)
    assert not Instruction.objects.exists()


@pytest.mark.parametrize(
    ("subject", "text", "due", "code"),
    [
        ({}, "批示", DUE, "subject_required"),
        ({"task": "task", "unit": "unit_a"}, "批示", DUE, "one_subject"),
        ({"task": "task", "units": ["unit_b"]}, "批示", DUE, "units_only_for_bulletin"),
        ({"task": "task"}, "   ", DUE, "text_required"),
        ({"task": "task"}, "批示", dt.date(2024, 4, 1), "due_in_past"),
        ({"task": "task"}, "批示", dt.date(2999, 1, 1), "date_out_of_range"),
    ],
)
def test_what_an_instruction_must_say(
    world: World, subject: dict[str, object], text: str, due: dt.date, code: str
) -> None:
    given = {
        k: ([getattr(world, u) for u in v] if isinstance(v, list) else getattr(world, str(v)))
        for k, v in subject.items()
    }
    with pytest.raises(InstructionError) as refused, time_machine.travel(NOW, tick=False):
        issue_instruction(leader=world.leader, text=text, due_date=due, now=NOW, **given)  # type: ignore[arg-type]
    assert refused.value.code == code and refused.value.message_zh and refused.value.message_en
    assert not Instruction.objects.exists() and not Notice.objects.exists()


def test_without_the_head_step_the_liaisons_answer_reaches_the_leader(world: World) -> None:
    handling = issue(world).handlings.get()
    answered = respond_to_instruction(
        handling=handling, user=world.liaison_a, text="已召开专题会，月底前完成。", now=at("2024-04-05")
    )
    assert (answered.state, answered.drafted_by, answered.responded_at, answered.approved_by) == (
        "done",
        world.liaison_a,
        at("2024-04-05"),
        None,
    )
    assert kinds_of(world.leader) == ["instruction_answered"]
    assert "instruction_answered" in kinds_of(world.supervisor)
    assert [e.changes["state"] for e in entries_for(answered)] == [["open", "done"]]
    with pytest.raises(InstructionError) as again:
        respond_to_instruction(handling=handling, user=world.liaison_a, text="再次", now=at("2024-04-06"))
    assert again.value.code == "already_answered"


def test_with_the_head_step_the_head_approves_or_returns(world: World) -> None:
    world.unit_a.requires_head_approval = True
    world.unit_a.save()
    handling = issue(world).handlings.get()
    drafted = respond_to_instruction(
        handling=handling, user=world.liaison_a, text="初稿", now=at("2024-04-05")
    )
    assert drafted.state == "awaiting_head" and drafted.responded_at is None
    assert kinds_of(world.head_a)[-1] == "instruction_approval" and kinds_of(world.leader) == []
    with pytest.raises(InstructionError) as waiting:
        respond_to_instruction(handling=handling, user=world.liaison_a, text="再改", now=at("2024-04-05", 10))
    assert waiting.value.code == "awaiting_head"
    with pytest.raises(InstructionError) as no_reason:
        approve_response(handling=handling, user=world.head_a, approve=False, now=at("2024-04-06"))
    assert no_reason.value.code == "comment_required"
    returned = approve_response(
        handling=handling, user=world.head_a, approve=False, comment="请补充具体时限", now=at("2024-04-06")
    )
    assert returned.state == "returned" and kinds_of(world.liaison_a)[-1] == "instruction_returned"
    respond_to_instruction(
        handling=handling, user=world.liaison_a, text="月底前完成，已明确责任人。", now=at("2024-04-07")
    )
    done = approve_response(handling=handling, user=world.head_a, approve=True, now=at("2024-04-08"))
    assert (done.state, done.approved_by, done.responded_at, done.response) == (
        "done",
        world.head_a,
        at("2024-04-08"),
        "月底前完成，已明确责任人。",
    )
    assert kinds_of(world.leader) == ["instruction_answered"]
    assert [e.action for e in entries_for(done)] == ["update", "approve", "update", "approve"]
    with pytest.raises(InstructionError) as twice:
        approve_response(handling=handling, user=world.head_a, approve=True, now=at("2024-04-09"))
    assert twice.value.code == "not_pending"


def test_a_heads_own_answer_needs_no_approval(world: World) -> None:
    world.unit_a.requires_head_approval = True
    world.unit_a.save()
    handling = issue(world).handlings.get()
    done = respond_to_instruction(handling=handling, user=world.head_a, text="已部署。", now=at("2024-04-05"))
    assert (done.state, done.approved_by) == ("done", world.head_a)


def test_only_the_owner_answers_and_only_its_head_approves(world: World) -> None:
    world.unit_a.requires_head_approval = True
    world.unit_a.save()
    handling = issue(world).handlings.get()
    for user in (world.liaison_b, world.liaison_c, world.supervisor, world.leader):
        with pytest.raises(PermissionDenied):
            respond_to_instruction(handling=handling, user=user, text="越权", now=NOW)
    respond_to_instruction(handling=handling, user=world.liaison_a, text="初稿", now=NOW)
    for user in (world.liaison_a, world.head_b, world.supervisor, world.leader):
        with pytest.raises(PermissionDenied):
            approve_response(handling=handling, user=user, approve=True, now=NOW)
    assert Handling.objects.get(pk=handling.pk).state == "awaiting_head"


def test_a_bulletin_instruction_goes_to_the_named_units_or_the_office(world: World) -> None:
    from luoshi.bulletins.services import issue_bulletin

    with time_machine.travel(NOW, tick=False):
        bulletin = issue_bulletin(period="2024-Q1", user=world.supervisor, now=NOW)
    to_office = issue(world, bulletin=bulletin)
    handling = to_office.handlings.get()
    assert handling.unit is None and kinds_of(world.supervisor) == ["instruction"]
    with pytest.raises(PermissionDenied):
        respond_to_instruction(handling=handling, user=world.liaison_a, text="越权", now=NOW)
    done = respond_to_instruction(
        handling=handling, user=world.supervisor, text="已约谈排名靠后单位。", now=NOW
    )
    assert done.state == "done"
    to_units = issue_instruction(
        leader=world.leader,
        text="两单位要认真整改。",
        due_date=DUE,
        bulletin=bulletin,
        units=[world.unit_a, world.unit_b],
        now=NOW,
    )
    assert sorted(h.unit.code for h in to_units.handlings.all() if h.unit) == ["fgw", "gxt"]


def test_the_state_of_an_instruction(world: World) -> None:
    world.unit_a.requires_head_approval = True
    world.unit_a.save()
    instruction = issue(world)
    handling = instruction.handlings.get()

    def state(day: dt.date) -> str:
        return instruction_state(
            with_handlings(Instruction.objects.filter(pk=instruction.pk)).get(), today=day
        )

    assert state(DUE) == "open" and state(DUE + dt.timedelta(days=1)) == "overdue"
    respond_to_instruction(handling=handling, user=world.liaison_a, text="初稿", now=NOW)
    assert state(DUE) == "awaiting_head"
    approve_response(handling=handling, user=world.head_a, approve=False, comment="重写", now=NOW)
    assert state(DUE) == "returned"
    respond_to_instruction(handling=handling, user=world.head_a, text="定稿", now=NOW)
    assert state(DUE + dt.timedelta(days=30)) == "done"


def test_the_office_chooses_what_the_bulletins_cite(world: World) -> None:
    instruction = issue(world)
    with pytest.raises(PermissionDenied):
        cite_in_bulletin(instruction=instruction, user=world.leader, cited=True)
    assert cite_in_bulletin(instruction=instruction, user=world.supervisor, cited=True).in_bulletin
    cite_in_bulletin(instruction=instruction, user=world.supervisor, cited=True)  # unchanged: no entry
    cite_in_bulletin(instruction=instruction, user=world.supervisor, cited=False)
    assert [e.changes for e in entries_for(instruction)][1:] == [
        {"in_bulletin": [False, True]},
        {"in_bulletin": [True, False]},
    ]
