"""What follows the reports: extensions, completions and cancellations, evaluations,
accountability measures, the supervision clock (urgings, escalations, warnings) with some
responses, good practice and issued bulletins. Each through its stage's services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count, Q

from luoshi.accountability.models import LADDER
from luoshi.accountability.services import record_measure
from luoshi.bulletins.services import issue_bulletin, select_good_practice
from luoshi.evaluation.models import Effect
from luoshi.evaluation.services import IndicatorOutcome, record_evaluation
from luoshi.reports.models import Obligation, Report
from luoshi.site.region.decisions import CANCELLED, COMPLETED, OPEN, Fate, at
from luoshi.site.region.people import Region
from luoshi.site.tick import PassResult, run_pass
from luoshi.supervision.models import Urging
from luoshi.supervision.services import decide_extension, request_extension, respond_to_urging
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.tasks.services import transition_tasks


def extensions(region: Region, *, fates: dict[int, Fate], today: dt.date, rng: random.Random) -> int:
    """About 3 in 100 open tasks: the lead's liaison asks for three more months; most are granted."""
    leads = (
        Assignment.objects.filter(
            role=Assignment.Role.LEAD, task_id__in=[pk for pk, f in fates.items() if f.kind == OPEN]
        )
        .select_related("task", "unit")
        .order_by("pk")
    )
    eligible = [lead for lead in leads if lead.task.start_date + dt.timedelta(days=500) < today]
    chosen = [lead for lead in eligible if rng.random() < 0.03] or eligible[:1]  # a small region has one too
    made = 0
    for lead in chosen:
        asked = lead.task.start_date + dt.timedelta(days=rng.randrange(200, 500))
        new = lead.deadline + dt.timedelta(days=90)
        with transaction.atomic():
            request = request_extension(
                assignment=lead,
                user=region.liaison(lead.unit),
                new_deadline=new,
                reason="受项目审批和资金到位影响，申请延长完成时限三个月。",
                now=at(asked),
            )
            approve = rng.random() < 0.7
            decide_extension(
                request=request,
                user=region.supervisors[0],
                approve=approve,
                comment="" if approve else "任务时限不宜延长，请加快推进。",
                now=at(asked + dt.timedelta(days=5)),
            )
        made += 1
    return made


def close_tasks(region: Region, *, fates: dict[int, Fate], rng: random.Random) -> Counter[str]:
    """Completed tasks: the lead asks to close (a few are sent back first), the office closes; cancellations.

    Set-wise: the tasks of one day move together (``transition_tasks``), each lead's request by its liaison.
    """
    done: Counter[str] = Counter()
    supervisor = region.supervisors[0]
    steps: dict[tuple[dt.datetime, int, str, str, str], list[Task]] = defaultdict(list)
    for task in Task.objects.filter(pk__in=list(fates)).order_by("pk"):
        fate = fates[task.pk]
        if fate.end is None:
            continue
        if fate.kind == CANCELLED:
            steps[
                (
                    at(fate.end),
                    0,
                    Status.CANCELLED,
                    "supervisor",
                    "根据工作调整，该任务并入其他任务统筹推进。",
                )
            ].append(task)
            done["cancelled"] += 1
        elif fate.kind == COMPLETED:
            start = fate.end
            if rng.random() < 0.1:
                steps[(at(start, 9), 0, Status.COMPLETION_REQUESTED, "lead", "")].append(task)
                steps[
                    (
                        at(start, 15),
                        1,
                        Status.IN_PROGRESS,
                        "supervisor",
                        "佐证材料不完整，请补充后再申请办结。",
                    )
                ].append(task)
                start = start + dt.timedelta(days=3)
            steps[(at(start, 9), 2, Status.COMPLETION_REQUESTED, "lead", "")].append(task)
            steps[(at(fate.end + dt.timedelta(days=5), 10), 3, Status.COMPLETED, "supervisor", "")].append(
                task
            )
            done["completed"] += 1
    with transaction.atomic():
        for (moment, _order, status, who, reason), tasks in sorted(steps.items(), key=lambda kv: kv[0]):
            if who == "supervisor":
                transition_tasks(tasks=tasks, to_status=status, user=supervisor, reason=reason, now=moment)
                continue
            by_lead: dict[int, list[Task]] = defaultdict(list)
            for task in tasks:
                by_lead[task.lead_unit_id].append(task)
            for unit_id, own in sorted(by_lead.items()):
                transition_tasks(
                    tasks=own, to_status=status, user=region.liaisons.get(unit_id), reason=reason, now=moment
                )
    return done


def evaluations(region: Region, *, fates: dict[int, Fate], today: dt.date, rng: random.Random) -> int:
    """Seven in ten completed tasks are evaluated a month after closing (a small region has one at
    least); some ask for a re-check."""
    effects = [Effect.EXCELLENT, Effect.GOOD, Effect.GOOD, Effect.FAIR, Effect.POOR]
    done = []
    for task in Task.objects.filter(status=Status.COMPLETED).prefetch_related("indicators").order_by("pk"):
        fate = fates.get(task.pk)
        if fate is not None and fate.end is not None and fate.end + dt.timedelta(days=35) < today:
            done.append((task, fate.end + dt.timedelta(days=35)))
    chosen = [(task, when) for task, when in done if rng.random() < 0.7] or done[:1]
    for task, when in chosen:
        recheck = when + dt.timedelta(days=180) if rng.random() < 0.3 else None
        record_evaluation(
            task=task,
            effect=rng.choice(effects),
            user=region.supervisors[1 % len(region.supervisors)],
            indicators=[
                IndicatorOutcome(indicator=i, reached=rng.random() < 0.8) for i in task.indicators.all()
            ],
            comments="任务目标基本实现，群众满意度较高。",
            recheck_date=recheck,
            now=at(when),
        )
    return len(chosen)


def measures(region: Region, *, today: dt.date, rng: random.Random) -> int:
    """One measure per four units, for the units with most late or missing reports, heavier further up."""
    bad = (
        Obligation.objects.filter(Q(state=Obligation.State.LATE) | Q(state=Obligation.State.MISSING))
        .values("assignment__unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "assignment__unit_id")
    )
    worst = [row["assignment__unit_id"] for row in bad[: max(1, len(region.units) // 4)]]
    units = {u.pk: u for u in region.units}
    made = 0
    for rank, unit_id in enumerate(worst):
        unit = units.get(unit_id)
        if unit is None:
            continue
        kind = LADDER[
            len(LADDER) - 1 - min(len(LADDER) - 1, rank * len(LADDER) // len(worst))
        ]  # worst: heaviest
        tasks = list(Task.objects.filter(assignments__unit_id=unit_id).order_by("pk")[:2])
        day = today - dt.timedelta(days=rng.randrange(10, 300))
        record_measure(
            kind=kind,
            units=[unit],
            tasks=tasks,
            date=day,
            user=region.supervisors[0],
            reason=f"{unit.name}多次逾期报送、进度滞后，经督查室研究决定采取措施。",
            now=at(day),
        )
        made += 1
    return made


def clock(region: Region, *, today: dt.date, rng: random.Random) -> tuple[PassResult, int]:
    """One pass of ``luoshi tick`` as of this morning; half of the urged units answer."""
    with transaction.atomic():  # one commit for the pass's thousands of records (each keeps its savepoint)
        result = run_pass(now=at(today, 8))
    answered = 0
    with transaction.atomic():
        for urging in Urging.objects.select_related("assignment").order_by("pk"):
            if rng.random() < 0.5:
                user = region.liaisons.get(urging.assignment.unit_id)
                if user is None:
                    continue
                respond_to_urging(
                    urging=urging,
                    user=user,
                    now=at(today, 9),
                    response="已按要求补报，并书面说明逾期原因，今后将按时报送。",
                )
                answered += 1
    return result, answered


def good_practice(region: Region, *, rng: random.Random, per_quarter: int = 3) -> int:
    """A few excerpts of full-progress reports, chosen by the office as good practice."""
    made = 0
    reports = list(
        Report.objects.filter(progress__gte=95, version=1).order_by("pk").values_list("pk", flat=True)[:2000]
    )
    for pk in rng.sample(reports, min(len(reports), per_quarter * 4)):
        report = Report.objects.get(pk=pk)
        select_good_practice(
            report=report,
            excerpt=report.narrative[:60],
            user=region.supervisors[0],
            now=report.submitted_at + dt.timedelta(days=3),
        )
        made += 1
    return made


def bulletins(region: Region, *, today: dt.date, quarters: int) -> list[str]:
    """The quarterly bulletins (检查通报) of the last ``quarters`` complete quarters, as issued then."""
    issued = []
    q = (today.month - 1) // 3  # quarters done this year
    keys = []
    year = today.year
    for _ in range(quarters):
        if q == 0:
            year, q = year - 1, 4
        keys.append((year, q))
        q -= 1
    for year, quarter in reversed(keys):
        end = dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1) - dt.timedelta(days=1)
        as_of = end + dt.timedelta(days=10)
        if as_of >= today:
            as_of = today - dt.timedelta(days=1)
        bulletin = issue_bulletin(
            period=f"{year}-Q{quarter}", user=region.supervisors[0], as_of=as_of, now=at(as_of, 11)
        )
        issued.append(bulletin.number)
    return issued
