"""Roll-ups: tasks by section of the decision, per document and per unit, in a bounded number of queries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.documents.models import Document, Section
from luoshi.ratings.rollup import Rollup, TaskRow, UnitRow
from luoshi.ratings.services import override_rating, rollup
from luoshi.ratings.tests.builders import D, mark_missing, monthly, share, submit, task, unit
from luoshi.tasks.models import Status, Task
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

AS_OF = D(2024, 3, 1)
HUNDRED_DAYS = D(2024, 4, 10)  # planned 60% on AS_OF
PART_3 = "三、在民族地区推进中国式现代化建设中作模范"


@dataclass
class Decision:
    document: Document
    units: dict[str, Unit]
    tasks: dict[str, Task]


@pytest.fixture
def decision(document: Document, drc: Unit, energy: Unit, liaison: Any) -> Decision:
    """Five tasks of the seed decision on 1 March 2024.

    energy-base (（十）, under 三): drc on plan, cascaded to Hohhot (weight 2, 60%) and Baotou (1, 30%, late);
    unity (二): energy 18 points behind; grassland (no section, heading_path 三): finance overdue, report missing;
    cancelled (二): not rated; closed (no section at all): completed.
    """
    units = {
        "drc": drc,
        "energy": energy,
        "hohhot": unit("hohhot", "呼和浩特市"),
        "baotou": unit("baotou", "包头市"),
        "finance": unit("finance", "自治区财政厅"),
    }
    sections = {s.number: s for s in document.sections.all()}
    base, lead = task(
        document, drc, title="建设国家重要能源基地", deadline=HUNDRED_DAYS, section=sections["（十）"]
    )
    for ob, progress in zip(monthly(lead, 1, 2), (20, 60), strict=True):
        submit(ob, liaison, progress=progress, on=ob.due_date)
    hohhot = share(lead, units["hohhot"], weight=2)
    baotou = share(lead, units["baotou"], weight=1)
    submit(monthly(hohhot, 2)[0], liaison, progress=60, on=D(2024, 2, 29))
    submit(monthly(baotou, 2)[0], liaison, progress=30, on=D(2024, 3, 1))  # due 29 February: late

    unity, unity_lead = task(
        document, energy, title="铸牢中华民族共同体意识", deadline=HUNDRED_DAYS, section=sections["二"]
    )
    submit(monthly(unity_lead, 2)[0], liaison, progress=42, on=D(2024, 2, 28))
    grassland, grass_lead = task(
        document,
        units["finance"],
        title="草原生态保护补助",
        deadline=D(2024, 2, 19),
        heading_path=[PART_3, "（十一）着力提质增量"],
    )
    mark_missing(*monthly(grass_lead, 1))
    cancelled, _ = task(
        document, energy, title="已撤销的任务", status=Status.CANCELLED, section=sections["二"]
    )
    closed, _ = task(document, drc, title="已办结的任务", status=Status.COMPLETED, deadline=HUNDRED_DAYS)
    return Decision(
        document,
        units,
        {"base": base, "unity": unity, "grassland": grassland, "cancelled": cancelled, "closed": closed},
    )


def _task(result: Rollup, t: Task) -> TaskRow:
    return next(row for row in result.tasks if row.task_id == t.pk)


def _unit(result: Rollup, u: Unit) -> UnitRow:
    return next(row for row in result.units if row.unit_id == u.pk)


def test_it_counts_tasks_per_section_of_the_decision(decision: Decision) -> None:
    result = rollup(as_of=AS_OF, document=decision.document)

    assert (result.counts.green, result.counts.amber, result.counts.red, result.counts.total) == (2, 1, 1, 4)
    (doc,) = result.documents
    assert doc.title == "内蒙古自治区党委关于全方位建设模范自治区的决定"
    sections = [
        (s.number, s.counts.green, s.counts.amber, s.counts.red, s.average_progress) for s in doc.sections
    ]
    assert sections == [("二", 0, 1, 0, 42.0), ("三", 1, 0, 1, 25.0), ("", 1, 0, 0, 100.0)]
    assert doc.sections[2].heading == "未归入章节"
    assert doc.sections[1].task_ids == [decision.tasks["base"].pk, decision.tasks["grassland"].pk]
    assert decision.tasks["cancelled"].pk not in [t.task_id for t in result.tasks]


def test_a_task_takes_the_lead_rating_and_rolls_progress_up_from_its_shares(decision: Decision) -> None:
    base = _task(rollup(as_of=AS_OF), decision.tasks["base"])

    assert (base.rag, base.cascaded, base.lead_progress, base.progress) == ("green", True, 60.0, 50.0)
    assert base.reasons == ["进度60%，按计划应达60%，符合计划"]
    grassland = _task(rollup(as_of=AS_OF), decision.tasks["grassland"])
    assert grassland.rag == "red" and grassland.reasons[:1] == ["已逾期11天"]


def test_it_counts_ratings_and_on_time_reports_per_unit(decision: Decision) -> None:
    result = rollup(as_of=AS_OF)
    u = decision.units

    rows = {
        code: (
            r.counts.green,
            r.counts.amber,
            r.counts.red,
            r.reports_due,
            r.reports_on_time,
            r.on_time_rate,
            r.average_progress,
        )
        for code in u
        for r in [_unit(result, u[code])]
    }
    assert rows == {
        "drc": (2, 0, 0, 2, 2, 1.0, 80.0),
        "energy": (0, 1, 0, 1, 1, 1.0, 42.0),
        "hohhot": (1, 0, 0, 1, 1, 1.0, 60.0),
        "baotou": (0, 0, 1, 1, 0, 0.0, 30.0),
        "finance": (0, 0, 1, 1, 0, 0.0, 0.0),
    }
    assert (_unit(result, u["baotou"]).reports_late, _unit(result, u["finance"]).reports_missing) == (1, 1)


def test_a_unit_sees_its_own_assignments_and_the_tasks_they_belong_to(decision: Decision) -> None:
    result = rollup(as_of=AS_OF, unit=decision.units["hohhot"])

    assert [t.task_id for t in result.tasks] == [decision.tasks["base"].pk]
    assert [(a.unit_name, a.role, a.rag, a.actual) for a in result.assignments] == [
        ("呼和浩特市", "share", "green", 60.0)
    ]
    assert [u.name for u in result.units] == ["呼和浩特市"]


def test_an_override_for_the_date_shows_in_the_rollup(decision: Decision, supervisor: Any) -> None:
    lead = decision.tasks["unity"].assignments.get()
    override_rating(assignment=lead, rag="red", reason="督查发现推进迟缓", user=supervisor, as_of=AS_OF)

    row = _task(rollup(as_of=AS_OF), decision.tasks["unity"])
    assert row.rag == "red"
    assert _task(rollup(as_of=D(2024, 3, 2)), decision.tasks["unity"]).rag == "amber"
    (assignment,) = [a for a in rollup(as_of=AS_OF).assignments if a.assignment_id == lead.pk]
    assert assignment.overridden and assignment.override_reason == "督查发现推进迟缓"


def test_it_reads_a_bounded_number_of_queries(decision: Decision, liaison: Any) -> None:
    """Rating the date (no snapshots yet) and reading it again (all stored) each cost a fixed number."""
    with CaptureQueriesContext(connection) as small_cold:
        rollup(as_of=AS_OF)
    with CaptureQueriesContext(connection) as small_warm:
        rollup(as_of=AS_OF)
    for n in range(5):
        _, lead = task(decision.document, decision.units["drc"], title=f"追加任务{n}", deadline=HUNDRED_DAYS)
        share(lead, decision.units["hohhot"])
        submit(monthly(lead, 1)[0], liaison, progress=10, on=D(2024, 1, 31))
    with CaptureQueriesContext(connection) as large_cold:
        result = rollup(as_of=D(2024, 3, 2))
    with CaptureQueriesContext(connection) as large_warm:
        again = rollup(as_of=D(2024, 3, 2))
    assert len(result.tasks) == 9 and again == result
    assert len(large_cold) == len(small_cold) <= 20
    assert len(large_warm) == len(small_warm) <= 6


def test_it_serialises_to_plain_json(decision: Decision) -> None:
    data = json.loads(
        json.dumps(rollup(as_of=AS_OF, document=decision.document).to_dict(), ensure_ascii=False)
    )
    assert data["as_of"] == "2024-03-01"
    assert data["counts"] == {"green": 2, "amber": 1, "red": 1, "total": 4}
    unity = next(t for t in data["tasks"] if t["title"] == "铸牢中华民族共同体意识")
    assert unity["deadline"] == "2024-04-10" and unity["reasons"] == [
        "进度42%，按计划应达60%，落后18个百分点"
    ]
    assert (
        data["documents"][0]["sections"][0]["section_id"]
        == Section.objects.get(document=decision.document, number="二").pk
    )


def test_an_empty_scope_rolls_up_to_nothing(db: None) -> None:
    data = rollup(as_of=AS_OF).to_dict()
    assert data["counts"] == {"green": 0, "amber": 0, "red": 0, "total": 0}
    assert (data["documents"], data["tasks"], data["assignments"], data["units"]) == ([], [], [], [])
