"""The region's decisions and tasks: the packaged seed decision through the whole chain
(ingest → task division → tasks), and generated decisions whose tasks the office enters as
by hand (``create_tasks``, the set-wise ``create_task``), with co-units, cascaded shares,
milestones and indicators: one set-wise call per kind of record and decision.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from luoshi.decomposition.models import PlanTask
from luoshi.decomposition.services import confirm_plan, propose_plan, set_task_status
from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document
from luoshi.site.demo import SEED
from luoshi.site.region.names import ACTIONS, ASPECTS, DETAILS, INDICATORS, THEMES
from luoshi.site.region.people import CATALOG, Region
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.tasks.services import (
    NewIndicator,
    NewMilestone,
    NewTask,
    Share,
    add_indicators,
    add_milestones,
    cascade_all,
    create_tasks,
    create_tasks_from_plan,
    transition_tasks,
)
from luoshi.units.models import Unit

OPEN, COMPLETED, CANCELLED, OVERDUE = "open", "completed", "cancelled", "overdue"


@dataclass
class Fate:
    """What the generator will make of a task: how it ends, when, and how well each unit works."""

    kind: str
    end: dt.date | None = None  # completion or cancellation date
    diligence: dict[int, float] = field(default_factory=dict)  # assignment id -> 0.5 (lagging) … 1.1 (ahead)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def seed_tasks(region: Region, *, start: dt.date, today: dt.date) -> tuple[Document, list[Task]]:
    """The packaged seed decision: ingest, propose, accept every task with a lead, confirm, create tasks."""
    supervisor = region.supervisors[0]
    document = ingest_document(data=SEED.read_bytes(), filename=SEED.name, user=supervisor).document
    plan = propose_plan(document=document, catalog_name=CATALOG).plan
    for proposed in plan.tasks.filter(parent=None, kind__in=["task", "recurring"]).order_by("order", "pk"):
        set_task_status(
            task=proposed, status=PlanTask.ACCEPTED if proposed.lead_unit_id else PlanTask.REJECTED
        )
    plan = confirm_plan(plan=plan, user=supervisor)
    with transaction.atomic():
        tasks = create_tasks_from_plan(
            plan=plan,
            start_date=start,
            default_deadline=dt.date(today.year, 12, 31),
            cadence="quarterly",
            user=supervisor,
            now=at(start, 9),
        )
        region.add_liaisons(Unit.objects.filter(assignments__task__in=tasks).distinct().order_by("pk"))
        transition_tasks(
            tasks=tasks, to_status=Status.IN_PROGRESS, user=supervisor, reason="牵头单位已接收", now=at(start)
        )
    return document, tasks


@dataclass
class Item:
    title: str
    text: str
    lead: Unit
    co: list[Unit]
    area: str


def generated_tasks(
    region: Region,
    *,
    count: int,
    decisions: int,
    start: dt.date,
    today: dt.date,
    rng: random.Random,
    fates: dict[int, Fate],
) -> list[Document]:
    """``decisions`` generated decisions with ``count`` tasks between them, each task assigned and started."""
    documents = []
    per = [count // decisions + (1 if k < count % decisions else 0) for k in range(decisions)]
    for k, n in enumerate(per):
        theme, areas = THEMES[k % len(THEMES)]
        begin = _add_months(start, 3 * (k % 4))
        items = _items(region, theme=theme, areas=areas, count=n, rng=rng)
        title = f"内蒙古自治区{theme}行动方案（{begin.year}—{begin.year + 2}年）"
        text = _decision_text(title, items, begin)
        document = ingest_document(
            data=text.encode("utf-8"),
            filename=f"region-{k + 1:02d}.txt",
            title=title,
            user=region.supervisors[0],
        ).document
        documents.append(document)
        with transaction.atomic():
            _tasks(region, document, items, begin=begin, today=today, rng=rng, fates=fates)
    return documents


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _items(region: Region, *, theme: str, areas: list[str], count: int, rng: random.Random) -> list[Item]:
    titles = [f"{a}{area}{s}" for area in areas for a in ACTIONS for s in ASPECTS]
    rng.shuffle(titles)
    leads = region.region_units
    items = []
    for n in range(count):
        title = titles[n % len(titles)] + (f"（{n // len(titles) + 1}）" if n >= len(titles) else "")
        area = next(a for a in areas if a in title)
        lead = leads[rng.randrange(len(leads))]
        others = [u for u in leads if u.pk != lead.pk]
        co = rng.sample(others, min(len(others), rng.choices([0, 1, 2], weights=[35, 45, 20])[0]))
        detail = rng.choice(DETAILS)
        text = f"{title}。围绕{theme}目标，{detail}"
        items.append(Item(title=title, text=text, lead=lead, co=co, area=area))
    return items


def _decision_text(title: str, items: list[Item], begin: dt.date) -> str:
    lines = [
        title,
        "",
        "一、总体要求",
        f"自{begin.year}年{begin.month}月起，用三年时间推动各项任务落地见效。",
        "",
        "二、重点任务",
    ]
    numerals = "一二三四五六七八九十"
    by_area: dict[str, list[Item]] = {}
    for item in items:
        by_area.setdefault(item.area, []).append(item)
    for n, (area, group) in enumerate(by_area.items()):
        lines.append(f"（{numerals[n % 10]}）{area}")
        for m, item in enumerate(group, start=1):
            co = f"；配合单位：{'、'.join(u.name for u in item.co)}" if item.co else ""
            lines.append(f"{m}. {item.text}（牵头单位：{item.lead.name}{co}）")
    lines += ["", "三、保障措施", "各地区各部门要加强组织领导，压实工作责任，按月报送工作进展。"]
    return "\n".join(lines) + "\n"


def _fate(rng: random.Random, today: dt.date) -> tuple[str, dt.date]:
    """How the task ends and its deadline."""
    roll = rng.random()
    if roll < 0.12:
        return COMPLETED, dt.date(today.year - 1, 12, 31)
    if roll < 0.15:
        return CANCELLED, dt.date(today.year, 12, 31)
    if roll < 0.19:
        overdue = today - dt.timedelta(days=75)
        return OVERDUE, month_end(overdue.year, overdue.month)
    return OPEN, rng.choices(
        [dt.date(today.year, 12, 31), dt.date(today.year + 1, 6, 30), dt.date(today.year + 1, 12, 31)],
        weights=[35, 45, 20],
    )[0]


def _tasks(
    region: Region,
    document: Document,
    items: list[Item],
    *,
    begin: dt.date,
    today: dt.date,
    rng: random.Random,
    fates: dict[int, Fate],
) -> list[Task]:
    """One decision's tasks: created, given milestones and indicators, assigned, started, divided."""
    supervisor = region.supervisors[0]
    plans = []
    for item in items:
        kind, deadline = _fate(rng, today)
        cadence = "monthly" if rng.random() < 0.88 else "quarterly"
        plans.append(
            (
                kind,
                NewTask(
                    document=document,
                    title=item.title,
                    text=item.text,
                    lead_unit=item.lead,
                    co_units=item.co,
                    start_date=begin,
                    deadline=deadline,
                    cadence=cadence,
                ),
            )
        )
    tasks = create_tasks(tasks=[new for _kind, new in plans], user=supervisor)
    add_milestones(
        milestones=[
            m
            for task in tasks
            for m in (
                NewMilestone(
                    task=task, date=begin + (task.deadline - begin) / 2, expected_progress=50, title="过半"
                ),
                NewMilestone(task=task, date=task.deadline, expected_progress=100, title="完成"),
            )
        ]
    )
    indicators = []
    for task in tasks:
        if rng.random() < 0.2:
            name, unit_of_measure, baseline, target = rng.choice(INDICATORS)
            indicators.append(
                NewIndicator(
                    task=task,
                    name=name,
                    unit_of_measure=unit_of_measure,
                    baseline=baseline,
                    target=target,
                    baseline_date=begin,
                    target_date=task.deadline,
                    direction="increase" if target > baseline else "decrease",
                )
            )
    add_indicators(indicators=indicators)
    transition_tasks(tasks=tasks, to_status=Status.ASSIGNED, user=supervisor, now=at(begin, 9))
    transition_tasks(
        tasks=tasks, to_status=Status.IN_PROGRESS, user=supervisor, reason="牵头单位已接收", now=at(begin, 15)
    )
    _divide(region, tasks, rng)
    ends = {
        COMPLETED: lambda task: task.deadline + dt.timedelta(days=rng.randrange(5, 25)),
        CANCELLED: lambda task: dt.date(today.year - 1, rng.randrange(3, 10), rng.randrange(1, 28)),
    }
    owners: dict[int, list[int]] = {}
    for pk, task_id in Assignment.objects.filter(task__in=tasks).order_by("pk").values_list("pk", "task_id"):
        owners.setdefault(task_id, []).append(pk)
    for task, (kind, _new) in zip(tasks, plans, strict=True):
        fate = Fate(kind=kind, end=ends[kind](task) if kind in ends else None)
        for pk in owners[task.pk]:
            fate.diligence[pk] = (
                1.05 if kind == COMPLETED else rng.choice([0.55, 0.8, 0.95, 1.0, 1.0, 1.05, 1.1])
            )
        fates[task.pk] = fate
    return tasks


def _divide(region: Region, tasks: list[Task], rng: random.Random) -> None:
    """One task in three divided among two or three leagues, some of those shares again among counties."""
    if not region.leagues:
        return
    leads = {
        a.task_id: a
        for a in Assignment.objects.filter(task__in=tasks, role=Assignment.Role.LEAD).select_related("task")
    }
    divisions = []
    for task in tasks:
        if rng.random() < 0.35:
            leagues = rng.sample(region.leagues, min(len(region.leagues), rng.choice([2, 3])))
            divisions.append(
                (
                    leads[task.pk],
                    [Share(unit=u, weight=rng.choice([1, 2, 3]), deadline=task.deadline) for u in leagues],
                )
            )
    if not divisions:
        return
    again = []
    for share in cascade_all(divisions=divisions):
        counties = region.counties.get(share.unit_id, [])
        if counties and rng.random() < 0.3:
            picked = rng.sample(counties, min(len(counties), rng.choice([1, 2])))
            again.append((share, [Share(unit=c, weight=1, deadline=share.deadline) for c in picked]))
    if again:
        cascade_all(divisions=again)
