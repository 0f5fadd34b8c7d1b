"""The pages of leaders' instructions (领导批示): the leader writes one on a task and sees the answer; the
unit's liaison answers on its home, the unit head approves; the office sees it and cites it; the watch list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client

from luoshi.instructions.models import Handling, Instruction, Watch
from luoshi.testing.demo import TODAY, lead_assignment


def issue_on(client: Client, query: str, text: str = "请加快推进，按期报送。") -> Instruction:
    page = client.get(f"/instructions/new/?{query}")
    assert page.status_code == 200
    assert (TODAY + dt.timedelta(days=10)).isoformat() in page.content.decode()  # the due date offered
    response = client.post(f"/instructions/new/?{query}", {"text": text, "due_date": "2026-12-10"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Instruction.objects.get(text=text)


def test_the_leader_instructs_the_unit_answers_the_head_approves(login: Callable[[str], Client]) -> None:
    task = lead_assignment(
        "agriculture-animal"
    ).task  # 农牧厅: its reports (and answers) need the head's approval
    leader = login("lingdao")
    assert leader.get("/")["Location"] == "/leader/"
    task_page = leader.get(f"/tasks/{task.pk}/").content.decode()
    assert f"/instructions/new/?task={task.pk}" in task_page
    instruction = issue_on(leader, f"task={task.pk}")
    handling = instruction.handlings.get()
    assert handling.unit is not None and handling.unit.code == "agriculture-animal"

    liaison = login("nongmu")
    home = liaison.get("/my/").content.decode()
    assert "请加快推进，按期报送。" in home and f'id="handling-{handling.pk}"' in home
    refused = liaison.post(f"/handlings/{handling.pk}/respond", {"text": " "}, HTTP_HX_REQUEST="true")
    assert "请写明办理情况" in refused.content.decode()
    answered = liaison.post(
        f"/handlings/{handling.pk}/respond", {"text": "已制定整改方案，月底前完成。"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "待单位负责人审核" in answered
    head = login("nongmu-head")
    assert "已制定整改方案" in head.get("/my/").content.decode()
    approved = head.post(f"/handlings/{handling.pk}/approve", {"decision": "approve"})
    assert approved.status_code == 302
    assert Handling.objects.get(pk=handling.pk).state == "done"

    page = leader.get("/leader/").content.decode()
    assert "已制定整改方案，月底前完成。" in page and "已办复" in page
    office = login("duchashi").get("/office/").content.decode()
    assert 'id="office-instructions"' in office and "已制定整改方案" in office


def test_a_stranger_cannot_answer_and_a_liaison_cannot_instruct(login: Callable[[str], Client]) -> None:
    task = lead_assignment("agriculture-animal").task
    instruction = issue_on(login("lingdao"), f"task={task.pk}")
    handling = instruction.handlings.get()
    energy = login("nengyuan")
    assert energy.get(f"/instructions/{instruction.pk}/").status_code == 404
    assert energy.post(f"/handlings/{handling.pk}/respond", {"text": "越权"}).status_code == 404
    assert energy.get(f"/instructions/new/?task={lead_assignment('energy').task.pk}").status_code == 403
    assert login("duchashi").post(f"/handlings/{handling.pk}/respond", {"text": "越权"}).status_code == 403
    assert Handling.objects.get(pk=handling.pk).state == "open"


def test_the_office_cites_an_instruction_in_the_bulletins(login: Callable[[str], Client]) -> None:
    unit = lead_assignment("energy").unit
    instruction = issue_on(login("lingdao"), f"unit={unit.pk}", text="能源局要加大工作力度。")
    office = login("duchashi")
    page = office.get(f"/instructions/{instruction.pk}/").content.decode()
    assert "能源局的工作" in page and "引用" in page
    assert office.post(f"/instructions/{instruction.pk}/cite", {"cited": "1"}).status_code == 302
    assert Instruction.objects.get(pk=instruction.pk).in_bulletin
    assert login("lingdao").post(f"/instructions/{instruction.pk}/cite", {"cited": "0"}).status_code == 403
    listed = office.get("/instructions/?state=open").content.decode()
    assert "能源局要加大工作力度。" in listed
    assert "能源局要加大工作力度。" not in office.get("/instructions/?state=done").content.decode()


def test_the_watch_list(login: Callable[[str], Client]) -> None:
    task = lead_assignment("energy").task
    leader = login("lingdao")
    response = leader.post("/leader/watch", {"task": task.pk, "next": f"/tasks/{task.pk}/#instructions"})
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/#instructions"
    unit = lead_assignment("ethnic-affairs").unit
    leader.post("/leader/watch", {"unit": unit.pk})
    page = leader.get("/leader/").content.decode()
    assert task.title in page and unit.name in page and 'id="watch-changes"' in page
    assert "取消关注" in leader.get(f"/tasks/{task.pk}/").content.decode()
    assert leader.post("/leader/seen").status_code == 302
    watched = Watch.objects.get(task=task)
    assert login("duchashi").post(f"/leader/watch/{watched.pk}/remove").status_code == 404
    assert leader.post(f"/leader/watch/{watched.pk}/remove").status_code == 302
    assert not Watch.objects.filter(task=task).exists()
    assert login("duchashi").get("/leader/").status_code == 403
