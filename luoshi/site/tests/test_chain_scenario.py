"""Issue 4 acceptance: the seed decision tracked through 2024, the clock frozen and advanced.

The seed is decomposed; three of its tasks are kept (the rest are rejected in
review), owned, planned and divided; liaisons report over 2024 (some late,
some lagging, one unit missing twice in a row) and at each checkpoint the
ratings, their reasons and the roll-up are exactly what docs/ratings.md says.

The plan (every task runs 2024-01-01 → 2024-12-31, 365 days later; quarterly
reports are due on the quarter's last day, monthly ones on the month's):

=======  ==============================  ==========================================================
key      unit                            plan
=======  ==============================  ==========================================================
energy   内蒙古自治区能源局 (lead)          linear; indicator 新能源装机 1.0 → 1.5 亿千瓦 over 2024
baotou   包头市 (share, weight 2)          linear to 12-31; 新能源装机 target 0.9 (baseline 1.0×0.9/1.5 = 0.6)
ulanqab  乌兰察布市 (share, weight 1)      linear to 09-30 (273 days); target 0.6 (baseline 0.4)
agri     内蒙古自治区农牧厅 (lead)          milestones 06-30 → 40%, 09-30 → 75%
water    内蒙古自治区水利厅 (co)            the same milestones
ethnic   内蒙古自治区民族事务委员会 (lead)   linear; monthly reports
=======  ==============================  ==========================================================

Planned progress by hand (d = days since 2024-01-01; shown with one decimal,
compared as the whole number, half up):

- linear, d/365:      02-01 d=31: 8.5 (8);  04-01 d=91: 24.9 (25);  07-01 d=182: 49.9 (50);
  07-08 d=189: 51.8 (52);  09-01 d=244: 66.8 (67);  10-01 d=274: 75.1 (75);
  12-22 d=356: 97.5 (98);  12-23 d=357: 97.8 (98)
- 乌兰察布市, d/273:   04-01: 33.3 (33);  07-01: 66.7 (67);  from 09-30: 100
- milestones (0 → 40% at d=181, → 75% at d=273, → 100% at d=365):
  02-01: 31/181×40 = 6.9 (7);  04-01: 91/181×40 = 20.1 (20);  07-01: 40 + 35×1/92 = 40.4 (40);
  07-08: 40 + 35×8/92 = 43.0 (43);  10-01: 75 + 25×1/92 = 75.3 (75);  12-01: 75 + 25×62/92 = 91.8 (92)
- 新能源装机 expected, baseline + change×d/365 (4 decimals, shown with 2):
  lead (1.0 → 1.5):  04-01 1.1247 "1.12";  07-01 1.2493 "1.25";  07-08 1.2589 "1.26";  10-01 1.3753 "1.38"
  包头市 (0.6 → 0.9): 04-01 0.6748 "0.67";  07-01 0.7496 "0.75";  10-01 0.8252 "0.83"
  乌兰察布市 (0.4 → 0.6): 04-01 0.4499 "0.45";  07-01 0.4997 "0.5";  10-01 0.5501 "0.55";  10-15 0.5578 "0.56"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.audit.services import entries_for
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import confirm_plan, edit_task, propose_plan, set_task_status
from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document
from luoshi.people.services import create_user
from luoshi.ratings.models import Rating
from luoshi.ratings.services import (
    RatingError,
    current_rating,
    override_rating,
    rate,
    rating_history,
    record_rating,
    rollup,
)
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import latest_counting_report, refresh_states, submit_report
from luoshi.tasks.models import Assignment, Indicator, Status, Task, Transition
from luoshi.tasks.services import (
    Share,
    add_indicator,
    add_milestone,
    cascade,
    create_task,
    create_tasks_from_plan,
    transition,
    update_task,
)
from luoshi.testing.paths import seed_path
from luoshi.testing.world import at
from luoshi.units.models import Unit
from luoshi.units.services import load_units

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2024, 1, 1)
DEADLINE = D(2024, 12, 31)
ULANQAB_DEADLINE = D(2024, 9, 30)
CATALOG = "inner-mongolia"
PASSWORD = "scenario-passw0rd-2024"
OVERRIDE_REASON = "已提交书面说明：汛期施工受阻，第二季度报告正在补报"
KEYS = ("energy", "baotou", "ulanqab", "agri", "water", "ethnic")


# --- helpers ------------------------------------------------------------------


class Clock:
    """The frozen clock, moved forward only; each step also gives the moment to pass as ``now=``."""

    def __init__(self, traveller: time_machine.Traveller, start: dt.datetime) -> None:
        self.traveller = traveller
        self.now = start

    def go(self, day: dt.date, hour: int = 10) -> dt.datetime:
        moment = at(day, hour)
        assert moment >= self.now, f"the clock only moves forward ({self.now} → {moment})"
        self.traveller.move_to(moment)
        self.now = moment
        assert timezone.now() == moment
        return moment


@dataclass
class World:
    document: Document
    plan: Plan
    tasks: dict[str, Task]  # "energy", "farmland", "research"
    a: dict[str, Assignment]  # KEYS
    liaison: dict[str, Any]  # KEYS: the liaison of each assignment's unit
    supervisor: Any
    indicator: Indicator
    clock: Clock
    reports: dict[tuple[str, str], list[Report]] = field(default_factory=dict)


@dataclass(frozen=True)
class Expect:
    rag: str
    confidence: int
    planned: float
    actual: float
    zh: list[str]
    en: list[str]


def unit(code: str) -> Unit:
    return Unit.objects.get(catalog=CATALOG, code=code)


def top_level(plan: Plan, words: str) -> PlanTask:
    return plan.tasks.get(parent=None, text__contains=words)


def build_world(clock: Clock) -> World:
    """2024-01-01/02: seed in, plan reviewed and confirmed, tasks owned, planned, divided, accepted."""
    clock.go(START, 9)
    load_units(catalog=CATALOG)
    supervisor = create_user(username="zhang", password=PASSWORD, role=Role.SUPERVISOR, display_name="张督查")
    document = ingest_document(
        data=seed_path().read_bytes(), filename=seed_path().name, user=supervisor
    ).document
    plan = propose_plan(document=document, catalog_name=CATALOG).plan

    energy_source = top_level(plan, "新能源倍增行动")
    farmland_source = top_level(plan, "高标准农田")
    research_source = top_level(plan, "中华民族共同体建设研究工程")
    edit_task(task=energy_source, lead_unit=unit("energy"), co_units=[], today=START)
    edit_task(
        task=farmland_source, lead_unit=unit("agriculture-animal"), co_units=[unit("water")], today=START
    )
    edit_task(task=research_source, lead_unit=unit("ethnic-affairs"), co_units=[], today=START)
    kept = {energy_source.pk, farmland_source.pk, research_source.pk}
    for other in plan.tasks.filter(parent=None, kind__in=["task", "recurring"]).exclude(pk__in=kept):
        set_task_status(task=other, status=PlanTask.REJECTED)
    confirm_plan(accept_remaining=True, plan=plan, user=supervisor)

    created = create_tasks_from_plan(
        plan=plan,
        start_date=START,
        default_deadline=DEADLINE,
        cadence="quarterly",
        user=supervisor,
        today=START,
    )
    by_source = {t.plan_task_id: t for t in created}
    assert len(created) == 3
    tasks = {
        "energy": by_source[energy_source.pk],
        "farmland": by_source[farmland_source.pk],
        "research": by_source[research_source.pk],
    }
    research = tasks["research"]
    update_task(task=research, version=research.version, user=supervisor, cadence="monthly", today=START)
    add_milestone(task=tasks["farmland"], date=D(2024, 6, 30), expected_progress=40, title="完成年度任务四成")
    add_milestone(
        task=tasks["farmland"], date=D(2024, 9, 30), expected_progress=75, title="完成年度任务七成半"
    )
    indicator = add_indicator(
        task=tasks["energy"],
        name="新能源装机",
        unit_of_measure="亿千瓦",
        baseline="1.0",
        target="1.5",
        baseline_date=START,
        target_date=DEADLINE,
    )
    energy_lead = tasks["energy"].assignments.get(role=Assignment.Role.LEAD)
    baotou, ulanqab = cascade(
        assignment=energy_lead,
        shares=[
            Share(unit=unit("baotou"), weight=2, deadline=DEADLINE, indicator_targets={indicator.pk: "0.9"}),
            Share(
                unit=unit("ulanqab"),
                weight=1,
                deadline=ULANQAB_DEADLINE,
                indicator_targets={indicator.pk: "0.6"},
            ),
        ],
    )
    assignments = {
        "energy": energy_lead,
        "baotou": baotou,
        "ulanqab": ulanqab,
        "agri": tasks["farmland"].assignments.get(role=Assignment.Role.LEAD),
        "water": tasks["farmland"].assignments.get(role=Assignment.Role.CO),
        "ethnic": research.assignments.get(role=Assignment.Role.LEAD),
    }
    liaisons = {
        key: create_user(
            username=f"{key}-liaison",
            password=PASSWORD,
            role=Role.LIAISON,
            unit=a.unit,
            display_name=f"{a.unit.name}联络员",
        )
        for key, a in assignments.items()
    }

    moment = clock.go(D(2024, 1, 2), 9)  # each lead unit accepts its task (签收)
    for key, lead_key in (("energy", "energy"), ("farmland", "agri"), ("research", "ethnic")):
        transition(task=tasks[key], to_status=Status.IN_PROGRESS, user=liaisons[lead_key], now=moment)
    return World(
        document=document,
        plan=plan,
        tasks=tasks,
        a=assignments,
        liaison=liaisons,
        supervisor=supervisor,
        indicator=indicator,
        clock=clock,
    )


def report(
    w: World,
    key: str,
    period: str,
    progress: int,
    on: dt.date,
    *,
    value: str | None = None,
    hour: int = 10,
    problems: str = "",
) -> Report:
    """The unit's liaison submits (or corrects) its report for the period, at ``on`` ``hour``:00."""
    moment = w.clock.go(on, hour)
    obligation = Obligation.objects.get(assignment=w.a[key], period=period)
    submitted = submit_report(
        obligation=obligation,
        user=w.liaison[key],
        progress=progress,
        narrative=f"{period}：完成{progress}%",
        problems=problems,
        indicator_values={w.indicator.pk: value} if value is not None else None,
        now=moment,
    )
    w.reports.setdefault((key, period), []).append(submitted)
    return submitted


def refresh(w: World, day: dt.date, hour: int = 8) -> dict[str, int]:
    """The daily job: record what is due and what is missing."""
    w.clock.go(day, hour)
    return refresh_states(today=day)


def states(w: World, key: str) -> dict[str, str]:
    return dict(
        Obligation.objects.filter(assignment=w.a[key]).order_by("due_date").values_list("period", "state")
    )


def check(w: World, day: dt.date, expected: dict[str, Expect]) -> None:
    """Rate each assignment as of the day; store the rating; the stored row is the effective one."""
    for key, want in expected.items():
        result = rate(assignment=w.a[key], as_of=day)
        got = Expect(
            result.rag, result.confidence, result.planned, result.actual, result.reasons_zh, result.reasons_en
        )
        assert got == want, f"{key} as of {day}"
        row = record_rating(assignment=w.a[key], as_of=day)
        assert (row.rag, row.confidence, row.reasons, row.reasons_en) == (
            want.rag,
            want.confidence,
            want.zh,
            want.en,
        )
        assert (row.planned_progress, row.actual_progress) == (
            Decimal(str(want.planned)),
            Decimal(str(want.actual)),
        )
        assert current_rating(assignment=w.a[key], as_of=day).pk == row.pk


def unit_rows(as_of: dt.date) -> dict[str, tuple[Any, ...]]:
    """name → (green, amber, red, total, average progress, due, on time, late, missing, on-time rate)."""
    return {
        u.name: (
            u.counts.green,
            u.counts.amber,
            u.counts.red,
            u.counts.total,
            u.average_progress,
            u.reports_due,
            u.reports_on_time,
            u.reports_late,
            u.reports_missing,
            u.on_time_rate,
        )
        for u in rollup(as_of=as_of).units
    }


def green(planned: float, actual: float, zh: list[str], en: list[str], confidence: int = 5) -> Expect:
    return Expect("green", confidence, planned, actual, zh, en)


IND = "指标“新能源装机”"
IND_EN = 'Indicator "新能源装机"'


# --- the scenario -------------------------------------------------------------


@pytest.fixture
def clock() -> Iterator[Clock]:
    start = at(START, 9)
    with time_machine.travel(start, tick=False) as traveller:
        yield Clock(traveller, start)


def test_the_seed_decision_tracked_through_2024(clock: Clock) -> None:
    w = build_world(clock)
    energy, farmland, research = w.tasks["energy"], w.tasks["farmland"], w.tasks["research"]

    # The review kept three tasks, owned as decided; a region body divided its task among two cities.
    assert w.plan.tasks.filter(parent=None, status=PlanTask.ACCEPTED).count() == 3
    assert [
        (t.lead_unit.name, [u.name for u in t.co_units.all()], t.cadence, t.start_date, t.deadline)
        for t in (energy, farmland, research)
    ] == [
        ("内蒙古自治区能源局", [], "quarterly", START, DEADLINE),
        ("内蒙古自治区农牧厅", ["内蒙古自治区水利厅"], "quarterly", START, DEADLINE),
        ("内蒙古自治区民族事务委员会", [], "monthly", START, DEADLINE),
    ]
    assert [
        (a.unit.name, a.role, a.weight, a.deadline, a.indicator_targets)
        for a in Assignment.objects.filter(task=energy).order_by("id")
    ] == [
        ("内蒙古自治区能源局", "lead", Decimal(1), DEADLINE, {}),
        ("包头市", "share", Decimal(2), DEADLINE, {str(w.indicator.pk): 0.9}),
        ("乌兰察布市", "share", Decimal(1), ULANQAB_DEADLINE, {str(w.indicator.pk): 0.6}),
    ]
    assert {t.status for t in (energy, farmland, research)} == {Status.IN_PROGRESS}

    # 2024-01-02: what is due is recorded: 4 quarters × 4 assignments, 3 quarters to 09-30, 12 months.
    # The three leads and the co-unit got their quarterly obligations with the tasks; the cadence change
    # dropped the research task's pending quarters. Still to create: the shares' 4 + 3, and 12 months.
    assert refresh(w, D(2024, 1, 2), hour=9) == {"created": 4 + 3 + 12, "missing": 0}
    assert list(Obligation.objects.filter(assignment=w.a["ulanqab"]).values_list("period", "due_date")) == [
        ("2024-Q1", D(2024, 3, 31)),
        ("2024-Q2", D(2024, 6, 30)),
        ("2024-Q3", D(2024, 9, 30)),
    ]

    # --- 2024-02-01: before any quarterly report ---------------------------------
    report(w, "ethnic", "2024-01", 8, D(2024, 1, 30))
    assert refresh(w, D(2024, 2, 1)) == {"created": 0, "missing": 0}
    check(
        w,
        D(2024, 2, 1),
        {
            "agri": green(
                6.9,
                0.0,
                ["进度0%，按计划应达7%，落后7个百分点", "尚无计入的报告，进度按0%计"],
                ["Progress 0%, planned 7%: 7 points behind", "No counting report yet: progress taken as 0%"],
                confidence=4,
            ),
            "ethnic": green(
                8.5, 8.0, ["进度8%，按计划应达8%，符合计划"], ["Progress 8%, planned 8%: on plan"]
            ),
        },
    )

    # --- Q1: everyone reports on time (水利厅 on the due date itself, in the evening) ---
    report(w, "ethnic", "2024-02", 16, D(2024, 2, 28))
    report(w, "energy", "2024-Q1", 25, D(2024, 3, 28), value="1.13")
    report(w, "agri", "2024-Q1", 20, D(2024, 3, 29))
    report(w, "baotou", "2024-Q1", 30, D(2024, 3, 30), value="0.68")
    report(w, "ulanqab", "2024-Q1", 30, D(2024, 3, 31), value="0.45")
    report(w, "ethnic", "2024-03", 25, D(2024, 3, 31), hour=17)
    report(w, "water", "2024-Q1", 15, D(2024, 3, 31), hour=22)

    apr1 = D(2024, 4, 1)
    assert refresh(w, apr1) == {"created": 0, "missing": 0}
    assert set(Obligation.objects.filter(due_date__lt=apr1).values_list("state", flat=True)) == {"submitted"}
    q1 = {
        "energy": green(
            24.9,
            25.0,
            ["进度25%，按计划应达25%，符合计划", f"{IND}实际1.13亿千瓦，按进度应达1.12亿千瓦，达到进度要求"],
            [
                "Progress 25%, planned 25%: on plan",
                f"{IND_EN}: 1.13 亿千瓦, expected 1.12 亿千瓦 by now: on track",
            ],
        ),
        "baotou": green(
            24.9,
            30.0,
            [
                "进度30%，按计划应达25%，超前5个百分点",
                f"{IND}实际0.68亿千瓦，按进度应达0.67亿千瓦，达到进度要求",
            ],
            [
                "Progress 30%, planned 25%: 5 points ahead",
                f"{IND_EN}: 0.68 亿千瓦, expected 0.67 亿千瓦 by now: on track",
            ],
        ),
        "ulanqab": green(
            33.3,
            30.0,
            [
                "进度30%，按计划应达33%，落后3个百分点",
                f"{IND}实际0.45亿千瓦，按进度应达0.45亿千瓦，达到进度要求",
            ],
            [
                "Progress 30%, planned 33%: 3 points behind",
                f"{IND_EN}: 0.45 亿千瓦, expected 0.45 亿千瓦 by now: on track",
            ],
            confidence=4,
        ),
        "agri": green(
            20.1, 20.0, ["进度20%，按计划应达20%，符合计划"], ["Progress 20%, planned 20%: on plan"]
        ),
        "water": green(
            20.1,
            15.0,
            ["进度15%，按计划应达20%，落后5个百分点"],
            ["Progress 15%, planned 20%: 5 points behind"],
            confidence=4,
        ),
        "ethnic": green(
            24.9, 25.0, ["进度25%，按计划应达25%，符合计划"], ["Progress 25%, planned 25%: on plan"]
        ),
    }
    check(w, apr1, q1)
    assert rollup(as_of=apr1).counts.green == 3

    # 04-10: 水利厅 corrects its Q1 report after the due date: version 2, still "submitted" (on time).
    first = w.reports[("water", "2024-Q1")][0]
    correction = report(w, "water", "2024-Q1", 18, D(2024, 4, 10))
    assert (correction.version, correction.supersedes_id) == (2, first.pk)
    water_q1 = Obligation.objects.get(assignment=w.a["water"], period="2024-Q1")
    assert (water_q1.state, water_q1.first_submitted_at) == ("submitted", at(D(2024, 3, 31), 22))
    first.refresh_from_db()
    assert first.progress == 15  # the first version stays as it was
    # A rating for 04-01 recomputed later reads the facts of 04-01: the correction does not count yet.
    assert rate(assignment=w.a["water"], as_of=apr1).actual == 15.0
    assert latest_counting_report(assignment=w.a["water"], as_of=apr1) == first
    assert latest_counting_report(assignment=w.a["water"], as_of=D(2024, 4, 10)) == correction

    # --- Q2: 农牧厅 lags, 能源局 is late, 水利厅 misses --------------------------------
    report(w, "ethnic", "2024-04", 33, D(2024, 4, 30))
    report(w, "ethnic", "2024-05", 42, D(2024, 5, 31))
    report(w, "agri", "2024-Q2", 20, D(2024, 6, 25))
    report(w, "baotou", "2024-Q2", 55, D(2024, 6, 28), value="0.74")
    report(w, "ulanqab", "2024-Q2", 60, D(2024, 6, 30), value="0.5")
    report(w, "ethnic", "2024-06", 50, D(2024, 6, 30))

    jul1 = D(2024, 7, 1)
    assert refresh(w, jul1) == {"created": 0, "missing": 2}
    assert states(w, "energy") == {
        "2024-Q1": "submitted",
        "2024-Q2": "missing",
        "2024-Q3": "pending",
        "2024-Q4": "pending",
    }
    assert states(w, "water")["2024-Q2"] == "missing"
    energy_jul1 = Expect(
        "red",
        2,
        49.9,
        25.0,
        [
            "进度25%，按计划应达50%，落后25个百分点",
            "最近1期未报送",
            f"{IND}实际1.13亿千瓦，按进度应达1.25亿千瓦，落后计划变化量的24%",
        ],
        [
            "Progress 25%, planned 50%: 25 points behind",
            "The latest report is missing",
            f"{IND_EN}: 1.13 亿千瓦, expected 1.25 亿千瓦 by now: 24% of the planned change behind",
        ],
    )
    water_jul1 = Expect(
        "red",
        2,
        40.4,
        18.0,
        ["进度18%，按计划应达40%，落后22个百分点", "最近1期未报送"],
        ["Progress 18%, planned 40%: 22 points behind", "The latest report is missing"],
    )
    q2 = {
        "energy": energy_jul1,
        "baotou": green(
            49.9,
            55.0,
            [
                "进度55%，按计划应达50%，超前5个百分点",
                f"{IND}实际0.74亿千瓦，按进度应达0.75亿千瓦，落后计划变化量的3%",
            ],
            [
                "Progress 55%, planned 50%: 5 points ahead",
                f"{IND_EN}: 0.74 亿千瓦, expected 0.75 亿千瓦 by now: 3% of the planned change behind",
            ],
            confidence=4,
        ),
        "ulanqab": green(
            66.7,
            60.0,
            [
                "进度60%，按计划应达67%，落后7个百分点",
                f"{IND}实际0.5亿千瓦，按进度应达0.5亿千瓦，达到进度要求",
            ],
            [
                "Progress 60%, planned 67%: 7 points behind",
                f"{IND_EN}: 0.5 亿千瓦, expected 0.5 亿千瓦 by now: on track",
            ],
            confidence=4,
        ),
        "agri": Expect(
            "red",
            2,
            40.4,
            20.0,
            ["进度20%，按计划应达40%，落后20个百分点"],
            ["Progress 20%, planned 40%: 20 points behind"],
        ),
        "water": water_jul1,
        "ethnic": green(
            49.9, 50.0, ["进度50%，按计划应达50%，符合计划"], ["Progress 50%, planned 50%: on plan"]
        ),
    }
    check(w, jul1, q2)

    # The supervisor judges 水利厅 amber for 07-01; the computed facts are kept with the judgement.
    with pytest.raises(RatingError) as refused:
        override_rating(
            assignment=w.a["water"], rag="amber", reason="试试", user=w.liaison["water"], as_of=jul1
        )
    assert refused.value.code == "not_allowed"
    override = override_rating(
        assignment=w.a["water"],
        rag="amber",
        reason=OVERRIDE_REASON,
        user=w.supervisor,
        as_of=jul1,
        confidence=3,
    )
    assert (override.overridden, override.rag, override.confidence, override.created_by) == (
        True,
        "amber",
        3,
        w.supervisor,
    )
    assert (override.reasons, override.reasons_en, override.planned_progress, override.actual_progress) == (
        water_jul1.zh,
        water_jul1.en,
        Decimal("40.4"),
        Decimal("18.0"),
    )
    again = record_rating(assignment=w.a["water"], as_of=jul1)  # a later computation does not displace it
    assert (again.overridden, again.rag) == (False, "red")
    assert current_rating(assignment=w.a["water"], as_of=jul1) == override
    assert [
        (r.as_of, r.rag, r.overridden, r.override_reason) for r in rating_history(assignment=w.a["water"])
    ] == [
        (apr1, "green", False, ""),
        (jul1, "red", False, ""),
        (jul1, "amber", True, OVERRIDE_REASON),
        (jul1, "red", False, ""),
    ]

    def jul1_rollup() -> dict[str, Any]:
        r = rollup(as_of=jul1)
        water_row = next(a for a in r.assignments if a.assignment_id == w.a["water"].pk)
        return {
            "tasks": [(t.task_id, t.rag, t.progress) for t in r.tasks],
            "sections": [
                (s.number, s.counts.green, s.counts.amber, s.counts.red) for s in r.documents[0].sections
            ],
            "water": (
                water_row.rag,
                water_row.confidence,
                water_row.overridden,
                water_row.override_reason,
                water_row.reasons,
            ),
            "units": unit_rows(jul1),
        }

    seen_on_jul1 = jul1_rollup()
    assert seen_on_jul1[
        "tasks"
    ] == [  # task rows carry the lead's rating; the energy task rolls up its shares
        (research.pk, "green", 50.0),
        (energy.pk, "red", round((2 * 55 + 60) / 3, 1)),
        (farmland.pk, "red", 20.0),
    ]
    assert seen_on_jul1["sections"] == [("二", 1, 0, 0), ("三", 0, 0, 2)]
    assert seen_on_jul1["water"] == ("amber", 3, True, OVERRIDE_REASON, water_jul1.zh)
    assert seen_on_jul1["units"]["内蒙古自治区水利厅"] == (0, 1, 0, 1, 18.0, 2, 1, 0, 1, 0.5)
    assert seen_on_jul1["units"]["内蒙古自治区能源局"] == (0, 0, 1, 1, 25.0, 2, 1, 0, 1, 0.5)

    # 07-05: 能源局 reports Q2 late; the obligation marked missing becomes "late".
    report(w, "energy", "2024-Q2", 50, D(2024, 7, 5), value="1.25")
    assert states(w, "energy")["2024-Q2"] == "late"
    jul8 = D(2024, 7, 8)
    assert refresh(w, jul8) == {"created": 0, "missing": 0}
    check(
        w,
        jul8,
        {
            # A late report is not a missing one: the run is broken, the numbers are what was reported.
            "energy": green(
                51.8,
                50.0,
                [
                    "进度50%，按计划应达52%，落后2个百分点",
                    f"{IND}实际1.25亿千瓦，按进度应达1.26亿千瓦，落后计划变化量的2%",
                ],
                [
                    "Progress 50%, planned 52%: 2 points behind",
                    f"{IND_EN}: 1.25 亿千瓦, expected 1.26 亿千瓦 by now: 2% of the planned change behind",
                ],
                confidence=4,
            ),
            # The override of 07-01 does not carry forward.
            "water": Expect(
                "red",
                2,
                43.0,
                18.0,
                ["进度18%，按计划应达43%，落后25个百分点", "最近1期未报送"],
                ["Progress 18%, planned 43%: 25 points behind", "The latest report is missing"],
            ),
        },
    )
    # Ratings and roll-up for 07-01 recomputed now, after the late report, still say what 07-01 knew.
    assert rate(assignment=w.a["energy"], as_of=jul1).reasons_zh == energy_jul1.zh
    assert jul1_rollup() == seen_on_jul1

    # --- Q3: 民族事务委员会 is late for August; 水利厅 misses again ------------------------
    report(w, "ethnic", "2024-07", 58, D(2024, 7, 31))
    sep1 = D(2024, 9, 1)
    assert refresh(w, sep1) == {"created": 0, "missing": 1}
    assert states(w, "ethnic")["2024-08"] == "missing"
    check(
        w,
        sep1,
        {
            "ethnic": Expect(
                "amber",
                3,
                66.8,
                58.0,
                ["进度58%，按计划应达67%，落后9个百分点", "最近1期未报送"],
                ["Progress 58%, planned 67%: 9 points behind", "The latest report is missing"],
            ),
        },
    )
    report(w, "ethnic", "2024-08", 66, D(2024, 9, 2))
    assert states(w, "ethnic")["2024-08"] == "late"
    report(w, "energy", "2024-Q3", 75, D(2024, 9, 27), value="1.38")
    report(w, "baotou", "2024-Q3", 76, D(2024, 9, 29), value="0.83")
    report(w, "ulanqab", "2024-Q3", 80, D(2024, 9, 30), value="0.56")
    report(w, "agri", "2024-Q3", 60, D(2024, 9, 30), hour=11)
    report(w, "ethnic", "2024-09", 75, D(2024, 9, 30), hour=12)

    oct1 = D(2024, 10, 1)
    assert refresh(w, oct1) == {"created": 0, "missing": 1}
    assert states(w, "water") == {
        "2024-Q1": "submitted",
        "2024-Q2": "missing",
        "2024-Q3": "missing",
        "2024-Q4": "pending",
    }
    ulanqab_indicator = (
        f"{IND}实际0.56亿千瓦，按进度应达0.55亿千瓦，达到进度要求",
        f"{IND_EN}: 0.56 亿千瓦, expected 0.55 亿千瓦 by now: on track",
    )
    q3 = {
        "energy": green(
            75.1,
            75.0,
            ["进度75%，按计划应达75%，符合计划", f"{IND}实际1.38亿千瓦，按进度应达1.38亿千瓦，达到进度要求"],
            [
                "Progress 75%, planned 75%: on plan",
                f"{IND_EN}: 1.38 亿千瓦, expected 1.38 亿千瓦 by now: on track",
            ],
        ),
        "baotou": green(
            75.1,
            76.0,
            [
                "进度76%，按计划应达75%，超前1个百分点",
                f"{IND}实际0.83亿千瓦，按进度应达0.83亿千瓦，达到进度要求",
            ],
            [
                "Progress 76%, planned 75%: 1 point ahead",
                f"{IND_EN}: 0.83 亿千瓦, expected 0.83 亿千瓦 by now: on track",
            ],
        ),
        # 乌兰察布市's share ended 09-30 at 80%: overdue from the next day.
        "ulanqab": Expect(
            "red",
            1,
            100.0,
            80.0,
            ["已逾期1天", "进度80%，按计划应达100%，落后20个百分点", ulanqab_indicator[0]],
            ["1 day overdue", "Progress 80%, planned 100%: 20 points behind", ulanqab_indicator[1]],
        ),
        "agri": Expect(
            "amber",
            3,
            75.3,
            60.0,
            ["进度60%，按计划应达75%，落后15个百分点"],
            ["Progress 60%, planned 75%: 15 points behind"],
        ),
        "water": Expect(
            "red",
            1,
            75.3,
            18.0,
            ["进度18%，按计划应达75%，落后57个百分点", "连续2期未报送"],
            ["Progress 18%, planned 75%: 57 points behind", "2 consecutive reports missing"],
        ),
        "ethnic": green(
            75.1, 75.0, ["进度75%，按计划应达75%，符合计划"], ["Progress 75%, planned 75%: on plan"]
        ),
    }
    check(w, oct1, q3)

    # The roll-up of 10-01 agrees with the individual ratings, per task, section, document and unit.
    r = rollup(as_of=oct1)
    assert {
        a.assignment_id: (a.rag, a.confidence, a.reasons, a.reasons_en, a.overridden) for a in r.assignments
    } == {w.a[k].pk: (e.rag, e.confidence, e.zh, e.en, False) for k, e in q3.items()}
    assert [(t.task_id, t.rag, t.confidence, t.lead_progress, t.progress, t.cascaded) for t in r.tasks] == [
        (research.pk, "green", 5, 75.0, 75.0, False),
        (energy.pk, "green", 5, 75.0, 77.3, True),  # (2 × 76 + 1 × 80) / 3
        (farmland.pk, "amber", 3, 60.0, 60.0, False),
    ]
    (doc,) = r.documents
    assert (
        doc.document_id,
        doc.counts.green,
        doc.counts.amber,
        doc.counts.red,
        doc.counts.total,
        doc.average_progress,
    ) == (w.document.pk, 2, 1, 0, 3, 70.8)  # (75 + 77.3 + 60) / 3
    assert [
        (s.number, s.heading, s.counts.green, s.counts.amber, s.counts.red, s.average_progress, s.task_ids)
        for s in doc.sections
    ] == [
        ("二", "在铸牢中华民族共同体意识上作模范", 1, 0, 0, 75.0, [research.pk]),
        (
            "三",
            "在民族地区推进中国式现代化建设中作模范",
            1,
            1,
            0,
            68.7,
            [energy.pk, farmland.pk],
        ),  # (77.3 + 60) / 2
    ]
    assert unit_rows(oct1) == {
        "内蒙古自治区能源局": (1, 0, 0, 1, 75.0, 3, 2, 1, 0, 0.667),
        "包头市": (1, 0, 0, 1, 76.0, 3, 3, 0, 0, 1.0),
        "乌兰察布市": (0, 0, 1, 1, 80.0, 3, 3, 0, 0, 1.0),
        "内蒙古自治区农牧厅": (0, 1, 0, 1, 60.0, 3, 3, 0, 0, 1.0),
        "内蒙古自治区水利厅": (0, 0, 1, 1, 18.0, 3, 1, 0, 2, 0.333),
        "内蒙古自治区民族事务委员会": (1, 0, 0, 1, 75.0, 9, 8, 1, 0, 0.889),
    }
    scoped = rollup(as_of=oct1, unit=unit("water"))
    assert (
        [t.task_id for t in scoped.tasks],
        [a.assignment_id for a in scoped.assignments],
        [u.name for u in scoped.units],
    ) == ([farmland.pk], [w.a["water"].pk], ["内蒙古自治区水利厅"])

    # --- 10-15: the share's deadline has passed ------------------------------------
    oct15 = D(2024, 10, 15)
    assert refresh(w, oct15) == {"created": 0, "missing": 0}
    check(
        w,
        oct15,
        {
            "ulanqab": Expect(
                "red",
                1,
                100.0,
                80.0,
                [
                    "已逾期15天",
                    "进度80%，按计划应达100%，落后20个百分点",
                    f"{IND}实际0.56亿千瓦，按进度应达0.56亿千瓦，达到进度要求",
                ],
                [
                    "15 days overdue",
                    "Progress 80%, planned 100%: 20 points behind",
                    f"{IND_EN}: 0.56 亿千瓦, expected 0.56 亿千瓦 by now: on track",
                ],
            ),
        },
    )

    # --- Q4: 农牧厅 near its deadline; 民族事务委员会 completes its task ------------------
    report(w, "ethnic", "2024-10", 83, D(2024, 10, 31))
    report(w, "ethnic", "2024-11", 92, D(2024, 11, 29))
    dec1 = D(2024, 12, 1)
    assert refresh(w, dec1) == {"created": 0, "missing": 0}
    check(
        w,
        dec1,
        {
            "agri": Expect(
                "red",
                1,
                91.8,
                60.0,
                ["进度60%，按计划应达92%，落后32个百分点", "距截止还有30天，进度仅60%"],
                ["Progress 60%, planned 92%: 32 points behind", "30 days to the deadline, progress only 60%"],
            ),
        },
    )
    report(w, "ethnic", "2024-12", 100, D(2024, 12, 20))
    transition(
        task=research, to_status=Status.COMPLETION_REQUESTED, user=w.liaison["ethnic"], now=w.clock.now
    )
    done_at = w.clock.go(D(2024, 12, 23), 15)
    transition(task=research, to_status=Status.COMPLETED, user=w.supervisor, now=done_at)
    check(
        w,
        D(2024, 12, 22),
        {  # recomputed after the completion: it was still open on 12-22
            "ethnic": green(
                97.5,
                100.0,
                ["进度100%，按计划应达98%，超前2个百分点"],
                ["Progress 100%, planned 98%: 2 points ahead"],
            ),
        },
    )
    check(w, D(2024, 12, 23), {"ethnic": green(97.8, 100.0, ["已办结"], ["Completed"])})

    report(w, "agri", "2024-Q4", 90, D(2024, 12, 31))
    jan10 = D(2025, 1, 10)
    # Q4 of 能源局, 包头市 and 水利厅 were never sent; the completed task owes nothing more.
    assert refresh(w, jan10) == {"created": 0, "missing": 3}
    check(
        w,
        jan10,
        {
            "agri": Expect(
                "red",
                1,
                100.0,
                90.0,
                ["已逾期10天", "进度90%，按计划应达100%，落后10个百分点"],
                ["10 days overdue", "Progress 90%, planned 100%: 10 points behind"],
            ),
            "water": Expect(
                "red",
                1,
                100.0,
                18.0,
                ["已逾期10天", "进度18%，按计划应达100%，落后82个百分点", "连续3期未报送"],
                [
                    "10 days overdue",
                    "Progress 18%, planned 100%: 82 points behind",
                    "3 consecutive reports missing",
                ],
            ),
        },
    )
    assert states(w, "water") == {
        "2024-Q1": "submitted",
        "2024-Q2": "missing",
        "2024-Q3": "missing",
        "2024-Q4": "missing",
    }
    assert states(w, "agri") == dict.fromkeys(("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"), "submitted")
    assert list(states(w, "ethnic").values()).count("late") == 1

    # --- the record: every status change with who and when ------------------------
    supervisor, created_at, accepted_at = w.supervisor, at(START, 9), at(D(2024, 1, 2), 9)
    assert [
        (t.task_id, t.from_status, t.to_status, t.by, t.at)
        for t in Transition.objects.order_by("task_id", "at", "id")
    ] == [
        (research.pk, "draft", "assigned", supervisor, created_at),
        (research.pk, "assigned", "in_progress", w.liaison["ethnic"], accepted_at),
        (research.pk, "in_progress", "completion_requested", w.liaison["ethnic"], at(D(2024, 12, 20), 10)),
        (research.pk, "completion_requested", "completed", supervisor, done_at),
        (energy.pk, "draft", "assigned", supervisor, created_at),
        (energy.pk, "assigned", "in_progress", w.liaison["energy"], accepted_at),
        (farmland.pk, "draft", "assigned", supervisor, created_at),
        (farmland.pk, "assigned", "in_progress", w.liaison["agri"], accepted_at),
    ]
    assert Task.objects.get(pk=research.pk).status == Status.COMPLETED
    # The audit trail has one entry per Transition: same task, step, person and moment.
    steps = [
        (str(t.task_id), [t.from_status, t.to_status], t.by, t.at)
        for t in Transition.objects.order_by("task_id", "at", "id")
    ]
    audited = [
        (e.object_id, e.changes["status"], e.actor, e.at)
        for e in AuditEntry.objects.filter(action="transition", object_type="tasks.task").order_by(
            "object_id", "at", "id"
        )
    ]
    assert sorted(audited, key=lambda e: (int(e[0]), e[3])) == sorted(steps, key=lambda e: (int(e[0]), e[3]))
    assert len(audited) == 8
    # …and for the review, the confirmation, each created task and the override.
    assert [e.actor for e in entries_for(w.plan) if e.action == "approve"] == [supervisor]
    assert all(entries_for(t).filter(action="create").exists() for t in (energy, farmland, research))
    assert AuditEntry.objects.filter(action="override", note=OVERRIDE_REASON).count() == 1
    assert (
        AuditEntry.objects.filter(action="create", object_type="reports.report").count()
        == Report.objects.count()
    )
    # Every report carries who sent it and when, as the frozen clock said.
    late = w.reports[("energy", "2024-Q2")][0]
    assert (late.submitted_by, late.submitted_at) == (w.liaison["energy"], at(D(2024, 7, 5), 10))
    assert Rating.objects.filter(overridden=True).count() == 1


# --- a rule edge the scenario ran into ---------------------------------------


def test_an_indicator_shortfall_that_rounds_to_zero_is_on_track(clock: Clock) -> None:
    """A value 0.0003 short of its trajectory (0.06% of the planned change) is shown as 0% and is on track.

    (It once said "落后计划变化量的0%" and lowered confidence to 4.)
    """
    clock.go(START, 9)
    load_units(catalog=CATALOG)
    document = ingest_document(data=seed_path().read_bytes(), filename=seed_path().name).document
    lead = unit("energy")
    task = create_task(
        document=document,
        title="推进新能源倍增行动",
        text="推进新能源倍增行动",
        lead_unit=lead,
        start_date=START,
        deadline=DEADLINE,
    )
    indicator = add_indicator(
        task=task,
        name="新能源装机",
        unit_of_measure="亿千瓦",
        baseline="1.0",
        target="1.5",
        baseline_date=START,
        target_date=DEADLINE,
    )
    transition(task=task, to_status=Status.ASSIGNED, user=None)
    transition(task=task, to_status=Status.IN_PROGRESS, user=None)
    liaison = create_user(username="energy-liaison", password=PASSWORD, role=Role.LIAISON, unit=lead)
    refresh_states(today=START)
    assignment = task.assignments.get()
    obligation = Obligation.objects.get(assignment=assignment, period="2024-Q3")
    moment = clock.go(D(2024, 9, 30))
    # Expected on 10-01: 1.0 + 0.5 × 274/365 = 1.3753; 1.375 falls short by 0.0003 / 0.5 = 0.06% → 0%.
    submit_report(
        obligation=obligation,
        user=liaison,
        progress=75,
        narrative="三季度：完成75%",
        indicator_values={indicator.pk: "1.375"},
        now=moment,
    )
    result = rate(assignment=assignment, as_of=D(2024, 10, 1))
    assert (result.rag, result.confidence, result.reasons_zh) == (
        "green",
        5,
        [
            "进度75%，按计划应达75%，符合计划",
            "指标“新能源装机”实际1.38亿千瓦，按进度应达1.38亿千瓦，达到进度要求",
        ],
    )
