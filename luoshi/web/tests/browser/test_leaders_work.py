"""Leaders' instructions and closing in a real browser (issue 14): the leader instructs on a task and sees the
answer; the unit's liaison answers and the unit head approves; the office closes a completed, evaluated
task and it leaves the active lists. Screenshots under var/test/browser/test_leaders_work*/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from luoshi.evaluation.models import Closure
from luoshi.evaluation.services import record_evaluation
from luoshi.instructions.models import Handling, Instruction
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.tasks.services import transition
from luoshi.testing.browser import Journey


def _led_by(code: str) -> Task:
    found = (
        Assignment.objects.filter(unit__code=code, role="lead").select_related("task").order_by("pk").first()
    )
    assert found is not None, code
    return found.task


def _count(page: Any, name: str) -> int:
    return int(page.locator(f"#dashboard-active [data-closing={name}]").inner_text())


@pytest.mark.django_db(transaction=True)
def test_leaders_work(journey: Journey, login_as: Any) -> None:
    page = journey.page
    load_demo()
    task = _led_by("agriculture-animal")

    # 1. The leader lands on the leader's page, opens a task of 农牧厅, instructs on it and watches it.
    login_as(journey, "lingdao", DEMO_PASSWORD)
    assert page.url.endswith("/leader/")
    journey.shot("leader home")
    page.goto(journey.url(f"/tasks/{task.pk}/"))
    page.locator("#instructions button", has_text="关注此任务").click()
    page.wait_for_load_state()
    page.locator(f"#instructions a.button[href*='/instructions/new/?task={task.pk}']").click()
    page.wait_for_url("**/instructions/new/**")
    assert "内蒙古自治区农牧厅" in page.locator("main").inner_text()  # who will handle it
    page.fill("#id_text", "牧区饲草储备要抓紧，月底前报送落实情况。")
    journey.shot("leader writes the instruction")
    page.locator("form.instruction-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/instructions/\d+/$"))
    instruction = Instruction.objects.get(text="牧区饲草储备要抓紧，月底前报送落实情况。")
    handling = instruction.handlings.get()
    assert "待办理" in page.locator(f"#handling-{handling.pk}").inner_text()
    journey.shot("the instruction as issued")

    # 2. The 农牧厅 liaison answers on the unit's home; the answer waits for the unit head.
    login_as(journey, "nongmu", DEMO_PASSWORD)
    page.goto(journey.url("/my/"))
    card = page.locator(f"#handling-{handling.pk}")
    card.locator("textarea").fill("已组织各盟市开展饲草储备专项督查，月底前完成全部储备。")
    card.locator("button[type=submit]").click()
    page.wait_for_function(
        "sel => document.querySelector(sel).textContent.includes('待单位负责人审核')",
        arg=f"#handling-{handling.pk}",
    )
    assert Handling.objects.get(pk=handling.pk).state == Handling.State.AWAITING_HEAD
    journey.shot("liaison answer awaiting the head")

    # 3. The unit head approves it in place.
    login_as(journey, "nongmu-head", DEMO_PASSWORD)
    page.goto(journey.url("/my/"))
    page.locator(f"#handling-{handling.pk} button[value=approve]").click()
    page.wait_for_function(
        "sel => !document.querySelector(sel + ' button[value=approve]')", arg=f"#handling-{handling.pk}"
    )
    assert Handling.objects.get(pk=handling.pk).state == Handling.State.DONE
    journey.shot("head approved the answer")

    # 4. The leader sees the answer and its state on the leader's page; the watched task is listed.
    login_as(journey, "lingdao", DEMO_PASSWORD)
    mine = page.locator(f"#instruction-{instruction.pk}")
    assert "已办复" in mine.inner_text() and "月底前完成全部储备" in mine.inner_text()
    assert task.title in page.locator("#watch-list").inner_text()
    journey.shot("leader sees the answer")

    # 5. The office closes a completed, evaluated task; it leaves the office's list and the active count.
    users = get_user_model().objects
    office_user = users.get(username="duchashi")
    done = _led_by("energy")
    transition(task=done, to_status=Status.COMPLETION_REQUESTED, user=users.get(username="nengyuan"))
    transition(task=done, to_status=Status.COMPLETED, user=office_user)
    record_evaluation(task=done, effect="good", user=office_user)
    login_as(journey, "duchashi", DEMO_PASSWORD)
    page.goto(journey.url("/dashboard/"))
    active, closed = _count(page, "active"), _count(page, "closed")
    page.goto(journey.url("/office/"))
    row = page.locator(f"#closure-candidate-{done.pk}")
    assert done.title in row.inner_text()
    assert "牧区饲草储备要抓紧" in page.locator("#office-instructions").inner_text()  # answered lately
    journey.shot("office sees the task to close")
    row.locator("a.button").click()
    page.wait_for_url(f"**/tasks/{done.pk}/#closure")
    form = page.locator("form.closure-form")
    assert form.locator("input[type=checkbox]:checked").count() >= 1  # the reports' evidence, all cited
    form.locator("#id_note").fill("任务已完成，成效良好，佐证材料齐全，予以销号。")
    form.locator("button[type=submit]").click()
    page.wait_for_function("() => document.querySelector('#closure').textContent.includes('任务已销号')")
    assert Closure.objects.filter(task=done).exists()
    journey.shot("task closed")
    page.goto(journey.url("/office/"))
    assert page.locator(f"#closure-candidate-{done.pk}").count() == 0
    page.goto(journey.url("/dashboard/"))
    assert (_count(page, "active"), _count(page, "closed")) == (active - 1, closed + 1)
    journey.shot("dashboard active count")
