"""Indicators suggested by the decision's own words: the quantitative targets that the task division
read in a task's source (``PlanTask.targets``), offered to the office as prefilled add-indicator forms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from luoshi.decomposition.extract.targets import extract_targets
from luoshi.decomposition.models import PlanTask
from luoshi.tasks.models import Indicator, Task
from luoshi.tasks.services import create_tasks_from_plan
from luoshi.testing.demo import TODAY, lead_assignment
from luoshi.units.models import Unit
from luoshi.web.tasks.forms import IndicatorForm
from luoshi.web.tasks.setup import SuggestedIndicator, suggested_indicators

HTMX = {"HX-Request": "true"}


def _target(**fields: Any) -> dict[str, Any]:
    """A target as ``extract_targets`` stores it (``Target.to_dict``)."""
    target: dict[str, Any] = {
        "text": "全区新能源装机规模达到1.35亿千瓦以上",
        "kind": "quantitative",
        "start": 0,
        "end": 20,
        "value": 1.35,
        "value_max": None,
        "unit": "亿千瓦",
        "qualifier": "以上",
        "bound": "min",
        "metric": "全区新能源装机规模",
        "direction": "reach",
        "change": "to",
        "is_past": False,
    }
    target.update(fields)
    return target


def _task(*targets: Any) -> Task:
    """An unsaved task made from a plan task with these targets: nothing here reads the database."""
    return Task(
        plan_task=PlanTask(targets=list(targets)),
        start_date=dt.date(2026, 1, 1),
        deadline=dt.date(2027, 12, 31),
    )


def _only(*targets: dict[str, Any]) -> SuggestedIndicator:
    (suggestion,) = suggested_indicators(_task(*targets), indicators=[])
    return suggestion


# The pure function, over hand-built targets


def test_a_target_reached_gives_the_indicator_with_its_target() -> None:
    suggestion = _only(_target())
    assert suggestion == SuggestedIndicator(
        key="suggested0",
        name="全区新能源装机规模",
        unit_of_measure="亿千瓦",
        direction=Indicator.Direction.INCREASE,
        target=Decimal("1.35"),
        from_baseline="",
        text="全区新能源装机规模达到1.35亿千瓦以上",
    )


def test_a_change_leaves_the_target_to_the_office_and_says_how_it_follows() -> None:
    saving = _only(
        _target(
            text="单位地区生产总值能耗下降5%左右",
            metric="单位地区生产总值能耗",
            value=5.0,
            unit="%",
            bound="approx",
            direction="decrease",
            change="by",
        )
    )
    assert (saving.target, saving.from_baseline, saving.direction) == (
        None,
        "− 5%",
        Indicator.Direction.DECREASE,
    )
    assert saving.unit_of_measure == ""  # 5% of the baseline: not the unit the indicator is measured in
    jobs = _only(_target(metric="城镇新增就业", value=25.0, unit="万人", direction="increase", change="by"))
    assert (jobs.target, jobs.from_baseline, jobs.unit_of_measure) == (None, "+ 25万人", "万人")
    growth = _only(
        _target(metric="地区生产总值", value=6, value_max=6.5, unit="%", direction="increase", change="by")
    )
    assert growth.from_baseline == "+ 6–6.5%"


def test_percentage_points_measure_a_rate_and_a_multiple_multiplies_the_baseline() -> None:
    rate = _only(_target(metric="城镇化率", value=2.0, unit="个百分点", direction="increase", change="by"))
    assert (rate.unit_of_measure, rate.target, rate.from_baseline) == ("%", None, "+ 2个百分点")
    doubled = _only(
        _target(
            text="外贸进出口总额翻一番",
            metric="外贸进出口总额",
            value=2.0,
            unit="倍",
            direction="increase",
            change="to",
        )
    )
    assert (doubled.unit_of_measure, doubled.target, doubled.from_baseline) == ("", None, "× 2")
    level = _only(_target(metric="森林覆盖率", value=27.0, unit="%", change="to"))
    assert (level.unit_of_measure, level.target) == ("%", Decimal(27))


def test_reach_counts_as_an_increase_unless_the_number_is_a_ceiling() -> None:
    assert _only(_target(direction="reach")).direction == Indicator.Direction.INCREASE
    assert _only(_target(direction=None, change=None)).direction == Indicator.Direction.INCREASE
    ceiling = _only(
        _target(
            text="能源消费总量控制在3000万吨标准煤以内",
            metric="能源消费总量",
            value=3000.0,
            unit="万吨标准煤",
            bound="max",
            direction="reach",
            change="to",
        )
    )
    assert (ceiling.direction, ceiling.target) == (Indicator.Direction.DECREASE, Decimal(3000))
    assert str(ceiling.target) == "3000"  # as typed, not 3E+3
    assert _only(_target(bound="max", direction="increase")).direction == Indicator.Direction.INCREASE


def test_only_quantitative_targets_for_the_future_with_a_metric_and_a_number() -> None:
    task = _task(
        _target(kind="qualitative", metric="全国最大的新能源基地", value=None, unit=None),
        _target(metric="全区新能源装机", is_past=True, text="全区新能源装机增长了30%"),
        _target(metric=" "),
        _target(metric="粮食产量", value=None),
        _target(metric="粮食产量", value="八百"),
        "not a target",
        _target(metric="粮食产量", value=800.0, unit="亿斤", text="粮食产量稳定在800亿斤以上"),
    )
    (suggestion,) = suggested_indicators(task, indicators=[])
    assert (suggestion.key, suggestion.name, suggestion.target) == ("suggested6", "粮食产量", Decimal(800))


def test_a_metric_that_is_an_indicator_already_is_not_suggested_again() -> None:
    task = _task(
        _target(metric="全区新能源装机规模"),
        _target(metric="粮食产量", value=800.0, unit="亿斤"),
        _target(metric="粮食产量", value=900.0, unit="亿斤"),
    )
    existing = Indicator(name=" 全区新能源装机规模 ", baseline=1, target=2)
    (suggestion,) = suggested_indicators(task, indicators=[existing])
    assert (suggestion.key, suggestion.name, suggestion.target) == ("suggested1", "粮食产量", Decimal(800))
    assert (
        suggested_indicators(
            Task(start_date=dt.date(2026, 1, 1), deadline=dt.date(2027, 12, 31)), indicators=[]
        )
        == []
    )  # a task made by hand has no words' targets


def test_the_prefilled_form_leaves_the_baseline_and_explains_a_change() -> None:
    task = _task()
    reached = IndicatorForm.suggested(task=task, suggestion=_only(_target()))
    assert reached.initial["target"] == Decimal("1.35") and "baseline" not in reached.initial
    assert (reached.initial["origin"], reached.auto_id) == ("suggested0", "id_suggested0_%s")
    assert reached.fields["target"].help_text == ""
    with translation.override("en"):
        change = IndicatorForm.suggested(
            task=task, suggestion=_only(_target(value=5.0, unit="%", change="by", direction="decrease"))
        )
        html = str(change["target"])
        help_text = str(change.fields["target"].help_text)
    assert change.initial["target"] is None and "value=" not in html
    assert (
        "the target is the baseline − 5%" in help_text
        and 'aria-describedby="id_suggested0_target_helptext"' in html
    )
    assert IndicatorForm.origin_of({"origin": "suggested12"}) == "suggested12"
    assert IndicatorForm.origin_of({"origin": "suggested1;x"}) == IndicatorForm.origin_of({}) == "free"


# The task page, with a task made from the demo's task division


WORDS = (
    "到2027年，全区新能源装机规模达到1.35亿千瓦以上，单位地区生产总值能耗下降5%左右。"
    "2025年全区新能源装机增长了30%，建成全国最大的新能源基地。"
)


def _task_from_words() -> Task:
    """A task the demo's task division made from WORDS, led by the energy department (the demo's own
    tasks have qualitative targets only)."""
    plan = PlanTask.objects.get(task=lead_assignment("energy").task).plan
    source = PlanTask.objects.create(
        plan=plan,
        order=999,
        kind="task",
        status=PlanTask.ACCEPTED,
        title="推进新能源装机和节能降耗",
        text=WORDS,
        targets=[t.to_dict() for t in extract_targets(WORDS)],
        lead_unit=Unit.objects.get(code="energy"),
    )
    create_tasks_from_plan(
        plan=plan,
        start_date=dt.date(2026, 10, 1),
        default_deadline=dt.date(2027, 12, 31),
        user=User.objects.get(username="duchashi"),
        today=TODAY,
    )
    return Task.objects.get(plan_task=source)


def _block(page: str, key: str) -> str:
    start = page.index(f'<div class="suggestion" id="{key}">')
    return page[start : page.index("</form>", start)]


def _value(html: str, field_id: str) -> str | None:
    """The value of the input with this id (None: empty)."""
    match = re.search(rf'<input [^>]*id="{field_id}"[^>]*>', html)
    assert match, f"no input {field_id}"
    value = re.search(r' value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


def test_the_office_sees_the_targets_of_the_words_as_prefilled_indicators(
    login: Callable[[str], Client],
) -> None:
    task = _task_from_words()
    page = login("duchashi").get(f"/tasks/{task.pk}/").content.decode()
    capacity, saving = _block(page, "suggested0"), _block(page, "suggested1")
    assert "<q>全区新能源装机规模达到1.35亿千瓦以上</q>" in capacity
    assert [
        _value(capacity, f"id_suggested0_{name}")
        for name in ("name", "unit_of_measure", "baseline", "baseline_date", "target", "target_date")
    ] == [
        "全区新能源装机规模",
        "亿千瓦",
        None,
        "2026-10-01",
        "1.35",
        "2027-12-31",
    ]  # the office gives the baseline
    assert '<option value="increase" selected>' in capacity
    assert f'action="/tasks/{task.pk}/indicators"' in capacity
    assert "<q>单位地区生产总值能耗下降5%左右</q>" in saving
    assert (
        _value(saving, "id_suggested1_target") is None
        and _value(saving, "id_suggested1_unit_of_measure") is None
    )
    assert '<option value="decrease" selected>' in saving
    assert "− 5%" in saving[saving.index('id="id_suggested1_target_helptext"') :]
    start = page.index('<section class="card" id="plan">')
    plan = page[start : page.index("</section>", start)]
    assert plan.count('<div class="suggestion"') == 2
    assert "增长了30%" not in plan and "新能源基地" not in plan  # a past result, a qualitative goal


def test_only_the_office_is_offered_the_suggestions(login: Callable[[str], Client]) -> None:
    task = _task_from_words()
    for username in ("nengyuan", "lingdao"):  # the lead unit's liaison, a leader
        page = login(username).get(f"/tasks/{task.pk}/").content.decode()
        assert page.count('class="suggestion"') == 0 and "id_suggested0_name" not in page, username
    demo = login("duchashi").get(f"/tasks/{lead_assignment('energy').task_id}/").content.decode()
    assert "id_suggested" not in demo  # the demo task's only targets are qualitative


def test_a_suggestion_is_added_through_the_indicator_form_and_goes_away(
    login: Callable[[str], Client],
) -> None:
    task = _task_from_words()
    client = login("duchashi")
    response = client.post(
        f"/tasks/{task.pk}/indicators",
        {
            "name": "全区新能源装机规模",
            "unit_of_measure": "亿千瓦",
            "baseline": "1.1",
            "baseline_date": "2026-10-01",
            "target": "1.35",
            "target_date": "2027-12-31",
            "direction": "increase",
            "origin": "suggested0",
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<section class="card" id="plan">')
    indicator = Indicator.objects.get(task=task)
    assert (indicator.name, indicator.unit_of_measure, indicator.baseline, indicator.target) == (
        "全区新能源装机规模",
        "亿千瓦",
        Decimal("1.1"),
        Decimal("1.35"),
    )
    assert f'id="indicator-row-{indicator.pk}"' in body
    assert 'id="suggested0"' not in body and 'id="suggested1"' in body


def test_a_refused_suggestion_comes_back_in_its_place_with_the_error(login: Callable[[str], Client]) -> None:
    task = _task_from_words()
    client = login("duchashi")
    data = {
        "name": "单位地区生产总值能耗",
        "unit_of_measure": "吨标准煤/万元",
        "baseline": "0.8",
        "baseline_date": "2026-10-01",
        "target": "0.9",
        "target_date": "2027-12-31",
        "direction": "decrease",
        "origin": "suggested1",
    }
    for headers in (HTMX, {}):
        refused = client.post(f"/tasks/{task.pk}/indicators", data, headers=headers)
        assert refused.status_code == 400
        saving = _block(refused.content.decode(), "suggested1")
        target = saving[saving.index('<div class="field has-error">') :]
        assert (
            'id="id_suggested1_target"' in target.split("</div>")[0]
            and "目标值 0.9 须低于基期值 0.8" in target
        )
        assert "<details open>" in saving and "− 5%" in saving  # the explanation stays
        assert _value(saving, "id_suggested1_unit_of_measure") == "吨标准煤/万元"
        free = refused.content.decode().split('class="indicator-form"')[-1]
        assert 'id="id_indicator_name"' in free and "has-error" not in free.split("</form>")[0]
    assert not Indicator.objects.filter(task=task).exists()
