"""The supervision office's actions on the task page: rating overrides, effect evaluation,
accountability measures (with suggestions), and the urging records of the task's units."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luoshi.accountability.models import Measure
from luoshi.accountability.services import record_measure
from luoshi.evaluation.models import Evaluation, Evaluator
from luoshi.ratings.models import Rating
from luoshi.ratings.services import override_rating
from luoshi.reports.models import Obligation
from luoshi.supervision.models import Subject, Urging
from luoshi.supervision.services import respond_to_urging
from luoshi.tasks.models import Assignment, Indicator, Status, Task
from luoshi.tasks.services import add_indicator, transition
from luoshi.testing.demo import TODAY, lead_assignment
from luoshi.web.tests.conftest import assert_error_at, field_block

HTMX = {"HX-Request": "true"}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _complete(task: Task) -> Task:
    office = _user("duchashi")
    transition(task=task, to_status=Status.COMPLETION_REQUESTED, user=office)
    return transition(task=task, to_status=Status.COMPLETED, user=office)


# Rating overrides


def test_it_overrides_a_rating_and_the_history_shows_the_reason_and_who(
    login: Callable[[str], Client],
) -> None:
    assignment = lead_assignment("energy")
    client = login("duchashi")
    response = client.post(
        f"/assignments/{assignment.pk}/override",
        {"rag": "red", "confidence": "2", "reason": "现场核查发现进度不实"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{assignment.task_id}/#assignment-{assignment.pk}"
    override = Rating.objects.get(assignment=assignment, overridden=True)
    assert (override.rag, override.confidence, override.as_of, override.created_by) == (
        "red",
        2,
        TODAY,
        _user("duchashi"),
    )
    page = client.get(f"/tasks/{assignment.task_id}/").content.decode()
    owner = page[page.index(f'id="assignment-{assignment.pk}"') :]
    assert '<span class="rag rag-red">' in owner.split("<details")[0]  # the effective rating is the office's
    history = owner[owner.index('class="rating-history"') :]
    assert 'class="overridden"' in history and "现场核查发现进度不实" in history
    assert "督查室 王督查" in history  # who overrode, by name


def test_an_override_without_a_reason_is_refused_next_to_the_reason(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    response = login("duchashi").post(
        f"/assignments/{assignment.pk}/override", {"rag": "red", "reason": "  "}
    )
    assert response.status_code == 400
    assert_error_at(response.content.decode(), f"id_override{assignment.pk}_reason", "调整评价须说明理由")
    assert not Rating.objects.filter(assignment=assignment, overridden=True).exists()


def test_an_override_without_a_colour_is_refused_next_to_the_colour(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    response = login("duchashi").post(
        f"/assignments/{assignment.pk}/override", {"rag": "purple", "reason": "x"}
    )
    assert response.status_code == 400
    assert 'class="field has-error"' in field_block(
        response.content.decode(), f"id_override{assignment.pk}_rag"
    )
    assert not Rating.objects.filter(assignment=assignment, overridden=True).exists()


def test_htmx_gets_the_owner_block_back_after_an_override(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    client = login("duchashi")
    done = client.post(
        f"/assignments/{assignment.pk}/override", {"rag": "amber", "reason": "需持续关注"}, headers=HTMX
    )
    body = done.content.decode()
    assert done.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith(f'<div class="owner" id="assignment-{assignment.pk}">')
    assert '<span class="rag rag-amber">' in body and "需持续关注" in body and 'class="decided"' in body
    refused = client.post(
        f"/assignments/{assignment.pk}/override", {"rag": "amber", "reason": ""}, headers=HTMX
    )
    assert refused.status_code == 400 and "<html" not in refused.content.decode()
    assert_error_at(refused.content.decode(), f"id_override{assignment.pk}_reason", "调整评价须说明理由。")


def test_a_liaison_may_not_override(login: Callable[[str], Client]) -> None:
    energy = lead_assignment("energy")
    assert (
        login("nengyuan")
        .post(f"/assignments/{energy.pk}/override", {"rag": "green", "reason": "我们很好"})
        .status_code
        == 403
    )
    assert (
        login("nongmu")
        .post(f"/assignments/{energy.pk}/override", {"rag": "green", "reason": "x"})
        .status_code
        == 404
    )
    assert not Rating.objects.filter(overridden=True).exists()
    page = login("nengyuan").get(f"/tasks/{energy.task_id}/").content.decode()
    assert "/override" not in page


# Effect evaluation


def test_the_office_designates_an_evaluator_who_then_records_the_evaluation(
    login: Callable[[str], Client],
) -> None:
    task = _complete(lead_assignment("energy").task)
    office = login("duchashi")
    designated = office.post(f"/tasks/{task.pk}/evaluators", {"user": _user("lingdao").pk})
    assert designated.status_code == 302 and designated["Location"] == f"/tasks/{task.pk}/#evaluation"
    assert Evaluator.objects.get(task=task).user == _user("lingdao")
    assert "领导 李主任" in office.get(f"/tasks/{task.pk}/").content.decode()

    leader = login("lingdao")
    assert f'action="/tasks/{task.pk}/evaluations"' in leader.get(f"/tasks/{task.pk}/").content.decode()
    recorded = leader.post(
        f"/tasks/{task.pk}/evaluations",
        {"effect": "good", "comments": "装机目标按期实现", "recheck_date": "2027-06-30"},
    )
    assert recorded.status_code == 302
    evaluation = Evaluation.objects.get(task=task)
    assert (evaluation.effect, evaluation.evaluated_by, evaluation.recheck_date) == (
        "good",
        _user("lingdao"),
        dt.date(2027, 6, 30),
    )
    section = office.get(f"/tasks/{task.pk}/").content.decode().split('id="evaluation"')[1]
    assert "装机目标按期实现" in section and "2027-06-30" in section and "领导 李主任" in section


def test_an_evaluation_answers_each_indicator_and_refusals_sit_next_to_thefield_block(
    login: Callable[[str], Client],
) -> None:
    task = lead_assignment("energy").task
    indicator = add_indicator(
        task=task,
        name="新能源装机",
        unit_of_measure="万千瓦",
        baseline=Decimal(100),
        target=Decimal(200),
        baseline_date=task.start_date,
        target_date=task.deadline,
    )
    task = _complete(task)
    client = login("duchashi")
    url = f"/tasks/{task.pk}/evaluations"
    missing = client.post(url, {"effect": "good"})
    assert missing.status_code == 400
    assert_error_at(missing.content.decode(), f"id_reached_{indicator.pk}", "新能源装机")
    bad = client.post(
        url, {"effect": "good", f"reached_{indicator.pk}": "yes", f"final_{indicator.pk}": "很多"}
    )
    assert_error_at(bad.content.decode(), f"id_final_{indicator.pk}", "很多")
    no_effect = client.post(url, {"effect": "", f"reached_{indicator.pk}": "no"})
    assert_error_at(no_effect.content.decode(), "id_effect", "无效的成效等级")
    past = client.post(url, {"effect": "fair", f"reached_{indicator.pk}": "no", "recheck_date": "2026-01-01"})
    assert_error_at(past.content.decode(), "id_recheck_date", "早于今天")
    assert not Evaluation.objects.exists()
    done = client.post(
        url, {"effect": "fair", f"reached_{indicator.pk}": "yes", f"final_{indicator.pk}": "210"}
    )
    assert done.status_code == 302
    (row,) = Evaluation.objects.get(task=task).indicators
    assert (row["indicator"], row["final_value"], row["reached"]) == (indicator.pk, "210", True)
    assert Indicator.objects.filter(task=task).count() == 1


def test_an_open_task_is_not_evaluated(login: Callable[[str], Client]) -> None:
    task = lead_assignment("energy").task
    client = login("duchashi")
    assert f'action="/tasks/{task.pk}/evaluations"' not in client.get(f"/tasks/{task.pk}/").content.decode()
    refused = client.post(f"/tasks/{task.pk}/evaluations", {"effect": "good"})
    assert refused.status_code == 400 and "只有已办结的任务才能评估成效。" in refused.content.decode()
    assert not Evaluation.objects.exists()


def test_only_people_who_can_open_the_task_are_designated(login: Callable[[str], Client]) -> None:
    task = lead_assignment("energy").task
    refused = login("duchashi").post(f"/tasks/{task.pk}/evaluators", {"user": _user("minwei").pk})
    assert refused.status_code == 400
    assert 'class="field has-error"' in field_block(refused.content.decode(), "id_user")
    assert not Evaluator.objects.exists()


def test_a_liaison_may_neither_designate_nor_evaluate(login: Callable[[str], Client]) -> None:
    task = _complete(lead_assignment("energy").task)
    liaison = login("nengyuan")
    assert liaison.post(f"/tasks/{task.pk}/evaluators", {"user": _user("nengyuan").pk}).status_code == 403
    assert liaison.post(f"/tasks/{task.pk}/evaluations", {"effect": "excellent"}).status_code == 403
    assert login("minwei").post(f"/tasks/{task.pk}/evaluations", {"effect": "excellent"}).status_code == 404
    assert not Evaluator.objects.exists() and not Evaluation.objects.exists()
    page = liaison.get(f"/tasks/{task.pk}/").content.decode()
    assert "/evaluators" not in page and "/evaluations" not in page


def test_htmx_gets_the_evaluation_section_back(login: Callable[[str], Client]) -> None:
    task = _complete(lead_assignment("energy").task)
    client = login("duchashi")
    done = client.post(
        f"/tasks/{task.pk}/evaluations", {"effect": "excellent", "comments": "成效显著"}, headers=HTMX
    )
    body = done.content.decode()
    assert done.status_code == 200 and "<html" not in body
    assert body.startswith('<section class="card" id="evaluation">') and "成效显著" in body
    refused = client.post(f"/tasks/{task.pk}/evaluations", {"effect": "", "comments": "x"}, headers=HTMX)
    assert refused.status_code == 400 and refused.content.decode().startswith(
        '<section class="card" id="evaluation">'
    )
    assert_error_at(refused.content.decode(), "id_effect", "无效的成效等级")


# Accountability measures


def _red_twice(assignment: Assignment) -> None:
    """Red in two rating periods (2026-Q3 and 2026-Q4): the suggestions' first trigger."""
    office = _user("duchashi")
    for day in (dt.date(2026, 9, 15), TODAY):
        override_rating(assignment=assignment, rag="red", reason="连续未报送", user=office, as_of=day)


def test_a_suggested_measure_is_recorded_with_one_click(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("ethnic-affairs")
    _red_twice(assignment)
    client = login("duchashi")
    page = client.get(f"/tasks/{assignment.task_id}/").content.decode()
    suggestion = page[page.index(f'id="suggestion-{assignment.pk}"') :].split("</form>")[0]
    assert "连续2期评价为红灯（2026-Q3、2026-Q4）" in suggestion
    origin = f"suggestion{assignment.pk}"
    assert re.search(
        rf'<option value="{assignment.unit_id}" selected>', field_block(suggestion, f"id_{origin}_units")
    )
    assert 'value="reminder" selected' in field_block(suggestion, f"id_{origin}_kind")
    assert f'value="{TODAY.isoformat()}"' in field_block(
        suggestion, f"id_{origin}_date"
    )  # ISO, for the date picker
    reason = re.search(
        r"<textarea[^>]*>\s*(.*?)</textarea>", field_block(suggestion, f"id_{origin}_reason"), re.S
    )
    assert reason and "建议采取“提醒”" in reason.group(1)

    done = client.post(
        f"/tasks/{assignment.task_id}/measures",
        {
            "kind": "reminder",
            "units": [assignment.unit_id],
            "reason": reason.group(1).strip(),
            "date": TODAY.isoformat(),
            "origin": origin,
        },
    )
    assert done.status_code == 302 and done["Location"] == f"/tasks/{assignment.task_id}/#measures"
    measure = Measure.objects.get()
    assert measure.kind == "reminder" and list(measure.units.all()) == [assignment.unit]
    assert list(measure.tasks.all()) == [assignment.task] and measure.decided_by == _user("duchashi")
    page = client.get(f"/tasks/{assignment.task_id}/").content.decode()
    measures = page[page.index('id="measures"') :]
    assert "连续2期评价为红灯" in measures.split("</ul>")[0]  # listed, with its reason
    assert f'id="suggestion-{assignment.pk}"' not in page  # a new rung needs fresh evidence


def test_the_suggestion_is_prefilled_in_the_language_of_the_page(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("ethnic-affairs")
    _red_twice(assignment)
    client = login("duchashi")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/tasks/{assignment.task_id}/").content.decode()
    reason = field_block(page, f"id_suggestion{assignment.pk}_reason")
    assert (
        "Red for 2 consecutive rating periods (2026-Q3, 2026-Q4): suggested next measure: reminder." in reason
    )


def test_a_measure_is_refused_next_to_thefield_block(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    client = login("duchashi")
    url = f"/tasks/{assignment.task_id}/measures"
    no_unit = client.post(
        url, {"kind": "talk", "reason": "约谈主要负责人", "date": TODAY.isoformat(), "origin": "free"}
    )
    assert no_unit.status_code == 400
    assert_error_at(no_unit.content.decode(), "id_free_units", "请至少指定一个被问责单位。")
    future = client.post(
        url,
        {
            "kind": "talk",
            "units": [assignment.unit_id],
            "reason": "x",
            "date": (TODAY + dt.timedelta(days=1)).isoformat(),
            "origin": "free",
        },
    )
    assert_error_at(future.content.decode(), "id_free_date", "晚于今天")
    no_reason = client.post(
        url,
        {
            "kind": "talk",
            "units": [assignment.unit_id],
            "reason": "",
            "date": TODAY.isoformat(),
            "origin": "free",
        },
    )
    assert_error_at(no_reason.content.decode(), "id_free_reason", "请写明采取措施的理由")
    program = client.post(
        url,
        {
            "kind": "talk",
            "units": [assignment.unit_id],
            "reason": "x",
            "date": TODAY.isoformat(),
            "origin": "free",
            "attachments": SimpleUploadedFile("minutes.exe", b"MZ" + b"\0" * 64),
        },
    )
    assert_error_at(program.content.decode(), "id_free_attachments", "minutes.exe")
    assert not Measure.objects.exists()


def test_a_refused_suggested_measure_comes_back_in_its_own_form(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("ethnic-affairs")
    _red_twice(assignment)
    origin = f"suggestion{assignment.pk}"
    refused = login("duchashi").post(
        f"/tasks/{assignment.task_id}/measures",
        {
            "kind": "reminder",
            "units": [assignment.unit_id],
            "reason": "",
            "date": TODAY.isoformat(),
            "origin": origin,
        },
        headers=HTMX,
    )
    body = refused.content.decode()
    assert refused.status_code == 400 and body.startswith('<section class="card" id="measures">')
    assert_error_at(body, f"id_{origin}_reason", "请写明采取措施的理由")
    assert 'class="field has-error"' not in field_block(body, "id_free_reason")


def test_htmx_gets_the_measures_section_back(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("energy")
    done = login("duchashi").post(
        f"/tasks/{assignment.task_id}/measures",
        {
            "kind": "urging",
            "units": [assignment.unit_id],
            "reason": "书面督促加快进度",
            "date": TODAY.isoformat(),
            "origin": "free",
        },
        headers=HTMX,
    )
    body = done.content.decode()
    assert done.status_code == 200 and "<html" not in body
    assert body.startswith('<section class="card" id="measures">') and "书面督促加快进度" in body
    assert Measure.objects.get().kind == "urging"


def test_a_liaison_may_not_record_a_measure_nor_see_suggestions(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("ethnic-affairs")
    _red_twice(assignment)
    data = {"kind": "reminder", "units": [assignment.unit_id], "reason": "x", "date": TODAY.isoformat()}
    assert login("minwei").post(f"/tasks/{assignment.task_id}/measures", data).status_code == 403
    assert login("nengyuan").post(f"/tasks/{assignment.task_id}/measures", data).status_code == 404
    assert not Measure.objects.exists()
    page = login("minwei").get(f"/tasks/{assignment.task_id}/").content.decode()
    assert f'id="suggestion-{assignment.pk}"' not in page and "/measures" not in page


# Urgings


def _urging(assignment: Assignment, obligation: Obligation, key: str) -> Urging:
    return Urging.objects.create(
        key=key,
        subject=Subject.REPORT,
        assignment=assignment,
        obligation=obligation,
        due_date=obligation.due_date,
        days_overdue=(TODAY - obligation.due_date).days,
        required_response="请于3日内报送进展情况。",
        respond_by=TODAY + dt.timedelta(days=3),
        created_at=timezone.now(),
    )


def _missing(assignment: Assignment) -> list[Obligation]:
    found = list(Obligation.objects.filter(assignment=assignment, state="missing").order_by("due_date"))
    assert found  # the demo's 民委 liaison skips two periods
    return found


def test_the_urgings_are_listed_with_their_notice_and_the_response(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("ethnic-affairs")
    first, second = _missing(assignment)[:2]
    answered = _urging(assignment, first, "test-urging-1")
    waiting = _urging(assignment, second, "test-urging-2")
    respond_to_urging(urging=answered, user=_user("minwei"), response="已补报第二季度进展。")
    for username in ("duchashi", "minwei"):
        page = login(username).get(f"/tasks/{assignment.task_id}/").content.decode()
        rows = page[page.index('id="urgings"') :].split("</table>")[0]
        answered_row = rows[rows.index(f'id="urging-{answered.pk}"') :].split("</tr>")[0]
        assert (
            f'href="/urgings/{answered.pk}.docx"' in answered_row and "已补报第二季度进展。" in answered_row
        )
        assert "民委联络员 乌" in answered_row  # who answered
        waiting_row = rows[rows.index(f'id="urging-{waiting.pk}"') :].split("</tr>")[0]
        assert f'href="/urgings/{waiting.pk}.docx"' in waiting_row and "已补报" not in waiting_row


# Speed


def test_the_page_does_not_query_per_urging_measure_or_evaluation(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("ethnic-affairs")
    task = _complete(assignment.task)
    office = _user("duchashi")
    client = login("duchashi")
    obligations = _missing(assignment)

    def add(n: int) -> None:
        _urging(assignment, obligations[n % len(obligations)], f"test-urging-{n}")
        record_measure(
            kind="reminder", units=[assignment.unit], tasks=[task], reason=f"第{n}次", date=TODAY, user=office
        )
        Evaluation.objects.create(task=task, effect="good", evaluated_by=office, evaluated_at=timezone.now())
        Evaluator.objects.create(
            task=task,
            user=_user(("lingdao", "minwei", "nongmu")[n]),
            designated_by=office,
            designated_at=timezone.now(),
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/tasks/{task.pk}/").status_code == 200
        return len(captured)

    add(0)
    queries()  # the first look stores the day's rating snapshots
    one = queries()
    add(1)
    add(2)
    assert queries() == one
