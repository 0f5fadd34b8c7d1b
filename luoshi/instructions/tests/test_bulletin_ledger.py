"""Instructions in the bulletin (when the office cites them) and in the ledger; closing in the ledger."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from luoshi.bulletins.renderers.outline import Heading, Table, blocks, tables
from luoshi.bulletins.services import bulletin_data, render_ledger
from luoshi.evaluation.services import close_task, record_evaluation
from luoshi.instructions.services import cite_in_bulletin, issue_instruction, respond_to_instruction
from luoshi.tasks.models import Status, Task
from luoshi.testing.world import World, at

pytestmark = pytest.mark.django_db


def setup_instructions(world: World) -> None:
    answered = issue_instruction(
        leader=world.leader,
        text="请月底前报送整改方案。",
        due_date=dt.date(2024, 4, 12),
        task=world.task,
        now=at("2024-04-02"),
    )
    cite_in_bulletin(instruction=answered, user=world.supervisor, cited=True)
    respond_to_instruction(
        handling=answered.handlings.get(), user=world.liaison_a, text="已报送整改方案。", now=at("2024-04-05")
    )
    late = issue_instruction(
        leader=world.leader,
        text="工信厅要加快进度。",
        due_date=dt.date(2024, 4, 15),
        unit=world.unit_b,
        now=at("2024-04-03"),
    )
    cite_in_bulletin(instruction=late, user=world.supervisor, cited=True)
    issue_instruction(
        leader=world.leader,
        text="不引用的批示。",
        due_date=dt.date(2024, 4, 15),
        unit=world.unit_b,
        now=at("2024-04-03"),
    )


def test_the_bulletin_cites_what_the_office_chose_with_its_handling(world: World) -> None:
    setup_instructions(world)
    data = bulletin_data(period="2024-Q2", as_of=dt.date(2024, 4, 20))
    assert [(i.text, i.state, i.answered_on) for i in data.instructions] == [
        ("请月底前报送整改方案。", "已办复", dt.date(2024, 4, 5)),
        ("工信厅要加快进度。", "逾期未办复", None),
    ]
    assert data.instructions[0].responses == ["自治区发展改革委：已报送整改方案。"]
    assert data.instructions[0].subject == "任务“推进新能源装备制造”" and data.instructions[1].owners == [
        "自治区工业和信息化厅"
    ]
    body = blocks(data)
    headings = [b.text for b in body if isinstance(b, Heading) and b.level == 1]
    assert headings[-2:] == ["七、领导批示办理情况", "八、下一步工作要求"]
    table = next(b for b in body if isinstance(b, Table) and b.name == "领导批示")
    assert table.rows[0][5] == "已办复（2024年4月5日）" and "已报送整改方案" in str(table.rows[0][4])
    assert "领导批示" in [t.name for t in tables(data)]
    # A snapshot without the field (issued before) reads back with none.
    snapshot = data.to_dict()
    snapshot.pop("instructions")
    assert type(data).from_dict(snapshot).instructions == []


def test_a_bulletin_after_the_answer_leaves_it_out(world: World) -> None:
    setup_instructions(world)
    later = bulletin_data(period="2024-Q3", as_of=dt.date(2024, 9, 30))
    assert [i.text for i in later.instructions] == [
        "工信厅要加快进度。"
    ]  # the answered one was answered in Q2
    none_cited = bulletin_data(period="2024-Q1", as_of=dt.date(2024, 3, 31))
    assert none_cited.instructions == []
    assert not [b for b in blocks(none_cited) if isinstance(b, Heading) and "领导批示" in b.text]


def test_the_ledger_lists_every_handling_and_the_closures(world: World) -> None:
    setup_instructions(world)
    Task.objects.filter(pk=world.task.pk).update(status=Status.COMPLETED)
    record_evaluation(task=world.task, effect="good", user=world.supervisor, now=at("2024-04-10"))
    close_task(
        task=world.task,
        user=world.supervisor,
        note="完成，予以销号。",
        evidence=[world.evidence_a],
        now=at("2024-04-18"),
    )
    book = load_workbook(io.BytesIO(render_ledger(as_of=dt.date(2024, 4, 20))))
    sheet = book["领导批示"]
    rows = [
        dict(zip([c.value for c in sheet[1]], r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert [(r["批示内容"], r["承办单位"], r["办理状态"]) for r in rows] == [
        ("请月底前报送整改方案。", "自治区发展改革委", "已办复"),
        ("工信厅要加快进度。", "自治区工业和信息化厅", "逾期（待办理）"),
        ("不引用的批示。", "自治区工业和信息化厅", "逾期（待办理）"),
    ]
    assert rows[0]["办复日期"] == dt.datetime(2024, 4, 5) and rows[0]["办理情况"] == "已报送整改方案。"
    ledger = book["台账"]
    headers = [c.value for c in ledger[1]]
    lines = [dict(zip(headers, r, strict=True)) for r in ledger.iter_rows(min_row=2, values_only=True)]
    closed = [r for r in lines if r["任务名称"] == world.task.title]
    assert closed and all(
        r["销号日期"] == dt.datetime(2024, 4, 18) and r["销号说明"] == "完成，予以销号。" for r in closed
    )
    before = load_workbook(io.BytesIO(render_ledger(as_of=dt.date(2024, 4, 17))))["台账"]
    assert all(r[headers.index("销号日期")] is None for r in before.iter_rows(min_row=2, values_only=True))
