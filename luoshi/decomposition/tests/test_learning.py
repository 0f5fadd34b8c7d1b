"""Confirmed task divisions teach the suggestions (decomposition/learning.py, catalogs/history.py)."""

from __future__ import annotations

import pytest

from luoshi.catalogs.catalog import load_catalog
from luoshi.catalogs.history import History, PastTask
from luoshi.catalogs.suggest import Evidence, Suggestion, suggest_co_units, suggest_units
from luoshi.decomposition.models import PlanTask
from luoshi.decomposition.services import confirm_plan, edit_task, propose_plan
from luoshi.documents.services import ingest_document
from luoshi.units.models import Unit

CATALOG = load_catalog("state-council")
# The office gave city fitness trails to the housing ministry (mohurd), with sport (gas) and land (mnr).
PAST = [
    PastTask("建设城市健身步道，推进体育公园建设。", "mohurd", ("gas",), label="健身步道建设"),
    PastTask(
        "完善城市健身步道网络，利用城市空闲土地建设体育公园。", "mohurd", ("gas", "mnr"), label="健身步道网络"
    ),
    PastTask("提高农村公路养护水平。", "mot", (), label="农村公路养护"),
]
TEXT = "建设城市健身步道和体育公园。"


def _codes(found: list[Suggestion]) -> list[str]:
    return [s.unit_code for s in found]


def test_past_tasks_vote_for_the_lead_they_had() -> None:
    plain = suggest_units(TEXT, CATALOG, k=5)
    learned = suggest_units(TEXT, CATALOG, k=5, evidence=Evidence(history=History(PAST)))
    assert plain[0].unit_code == "gas"
    assert learned[0].unit_code == "mohurd"
    assert learned[0].source == "history" and set(learned[0].keywords) == {"健身步道建设", "健身步道网络"}


def test_past_tasks_suggest_their_co_units_and_quoted_ones_can_be_left_out() -> None:
    evidence = Evidence(history=History(PAST))
    leads = suggest_units(TEXT, CATALOG, k=8, evidence=evidence)
    cos = suggest_co_units(TEXT, leads, CATALOG, k=5, evidence=evidence)
    assert _codes(cos)[0] == "gas" and "mnr" in _codes(cos)
    assert "mohurd" not in _codes(cos)
    quoting = "建设城市健身步道，推进体育公园建设。完善城市健身步道网络，利用城市空闲土地建设体育公园。"
    alone = Evidence(history=History(PAST), leave_out_quoted=True)
    assert suggest_units(quoting, CATALOG, k=5, evidence=alone)[0].unit_code == "gas"
    assert (
        suggest_units(quoting, CATALOG, k=5, evidence=Evidence(history=History(PAST)))[0].unit_code
        == "mohurd"
    )


def test_an_empty_history_changes_nothing() -> None:
    text = "加强体育赛事活动监管，推动全民健身。"
    assert _codes(suggest_units(text, CATALOG, evidence=Evidence(history=History([])))) == _codes(
        suggest_units(text, CATALOG)
    )


@pytest.mark.django_db
def test_a_confirmed_division_teaches_the_next_one() -> None:
    first = ingest_document(
        data="关于全民健身设施的通知\n一、建设城市健身步道，推进体育公园建设。\n".encode(), filename="a.txt"
    ).document
    plan = propose_plan(document=first, catalog_name="state-council").plan
    task = plan.tasks.get(parent=None, kind="task")
    assert task.lead_unit is not None and task.lead_unit.code == "gas"
    housing = Unit.objects.get(catalog="state-council", code="mohurd")
    edit_task(task=task, lead_unit=housing, co_units=[Unit.objects.get(catalog="state-council", code="gas")])
    confirm_plan(plan=plan, accept_remaining=True)

    second = ingest_document(
        data="关于完善公共服务的意见\n一、规划建设城市健身步道和体育公园。\n".encode(), filename="b.txt"
    ).document
    new = propose_plan(document=second, catalog_name="state-council").plan.tasks.get(parent=None, kind="task")
    assert new.lead_suggestions[0]["code"] == "mohurd"
    assert new.lead_suggestions[0]["source"] == "history"
    assert new.lead_unit == housing
    assert PlanTask.objects.filter(pk=new.pk, co_units__code="gas").exists()
