"""Demo data: the seed decision, its task division, people in each role, and a
few periods of reports so the dashboard has something true to show. Idempotent.

Everything goes through the same service functions as the product: the demo is
a scripted supervision office, not fixtures written into tables.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import confirm_plan, propose_plan, set_task_status
from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document
from luoshi.people.services import create_user
from luoshi.ratings.services import record_rating
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import approve_report, ensure_obligations, refresh_states, submit_report
from luoshi.review.rules import load_rule_file
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.tasks.services import add_milestone, create_tasks_from_plan, transition
from luoshi.units.models import Unit
from luoshi.units.services import load_units

SEED = Path(__file__).with_name("demo_data") / "seed_decision.txt"
DEMO_PASSWORD = "luoshi-demo-2026"
DEMO_CATALOG = "inner-mongolia"

# (username, role, unit code or None, display name)
PEOPLE = [
    ("admin", Role.ADMIN, None, "系统管理员"),
    ("duchashi", Role.SUPERVISOR, "party-office", "督查室 王督查"),
    ("lingdao", Role.LEADER, None, "领导 李主任"),
    ("nengyuan", Role.LIAISON, "energy", "能源局联络员 张"),
    ("nongmu", Role.LIAISON, "agriculture-animal", "农牧厅联络员 赵"),
    ("minwei", Role.LIAISON, "ethnic-affairs", "民委联络员 乌"),
    ("nongmu-head", Role.UNIT_HEAD, "agriculture-animal", "农牧厅负责人 孙"),
    ("shenhe", Role.REVIEWER, None, "审核员 刘"),
    ("shenhe-head", Role.REVIEW_HEAD, None, "审核负责人 陈"),
]

# How each liaison reports, per period in turn: (days after the due date, progress
# reached, or None for "not submitted"). Negative days: before the due date.
HABITS: dict[str, list[tuple[int | None, int]]] = {
    "energy": [(-3, 20), (-2, 45), (-1, 70), (-2, 85)],  # steady, on time
    "agriculture-animal": [(-1, 15), (6, 25), (9, 30), (4, 40)],  # late and lagging
    "ethnic-affairs": [(-5, 25), (None, 0), (None, 0), (-2, 60)],  # two periods missing
}


def accounts_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-accounts.json"


@dataclass
class DemoSummary:
    document: Document
    plan: Plan
    tasks: int = 0
    reports: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"document #{self.document.pk}: {self.document.title}",
            f"task division #{self.plan.pk}: {self.tasks} tasks, {self.reports} reports",
        ]
        for username, password, role in self.accounts:
            out.append(f"login: {username} / {password}  ({role})")
        return out


def _unit(code: str) -> Unit:
    return Unit.objects.get(catalog=DEMO_CATALOG, code=code)


def _people() -> list[tuple[str, str, str]]:
    user_model = get_user_model()
    accounts = []
    for username, role, unit_code, name in PEOPLE:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                unit=_unit(unit_code) if unit_code else None,
                display_name=name,
            )
        if role == Role.ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        accounts.append((username, DEMO_PASSWORD, f"{Role(role).label} · {name}"))
    return accounts


def _plan(document: Document) -> Plan:
    plan = document.plans.first() or propose_plan(document=document, catalog_name=DEMO_CATALOG).plan
    if plan.is_draft:
        demo_units = {_unit(code) for code in HABITS}
        for task in plan.tasks.filter(parent=None, kind__in=["task", "recurring"]):
            # The demo keeps the tasks whose suggested lead has a demo liaison.
            status = PlanTask.ACCEPTED if task.lead_unit in demo_units else PlanTask.REJECTED
            set_task_status(task=task, status=status)
            # The demo's co-units are those its text names (its scenarios count on them), not every suggestion.
            named = [s["code"] for s in task.co_suggestions if s.get("source") == "text"]
            task.co_units.set([u for u in task.co_units.all() if u.code in named])
        plan = confirm_plan(accept_remaining=True, plan=plan)
    return plan


def _start(today: dt.date) -> dt.date:
    """Three quarters before the current quarter began: periods to report on."""
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    month = quarter_start.month - 9
    year = quarter_start.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _run_tasks(plan: Plan, supervisor: object, today: dt.date) -> list[Task]:
    start = _start(today)
    deadline = dt.date(start.year + 1, 12, 31)
    tasks = create_tasks_from_plan(
        plan=plan, start_date=start, default_deadline=deadline, cadence="quarterly", user=supervisor
    )
    for task in tasks:
        if not task.milestones.exists():
            add_milestone(task=task, date=start + (deadline - start) / 2, expected_progress=60, title="过半")
        if task.status == Status.ASSIGNED:
            # Stored in both languages, like the services' own notes: each page shows its half.
            transition(
                task=task,
                to_status=Status.IN_PROGRESS,
                user=supervisor,
                reason="演示：牵头单位已接收 / Demo: the lead unit accepted the task",
                now=timezone.make_aware(dt.datetime.combine(start, dt.time(9))),
            )
    return tasks


def _reports(tasks: list[Task], today: dt.date) -> None:
    user_model = get_user_model()
    liaisons = {
        p.unit.code: p.user
        for p in (u.profile for u in user_model.objects.filter(profile__role=Role.LIAISON))
        if p.unit
    }
    for assignment in Assignment.objects.filter(task__in=tasks, role=Assignment.Role.LEAD).select_related(
        "unit"
    ):
        ensure_obligations(assignment=assignment)
        habits = HABITS.get(assignment.unit.code, [])
        user = liaisons.get(assignment.unit.code)
        due = list(Obligation.objects.filter(assignment=assignment, due_date__lt=today).order_by("due_date"))
        for obligation, (delay, progress) in zip(due, habits, strict=False):
            if delay is None or user is None or obligation.reports.exists():
                continue
            when = obligation.due_date + dt.timedelta(days=delay)
            if when >= today:
                continue
            submit_report(
                obligation=obligation,
                user=user,
                progress=progress,
                narrative=f"{assignment.unit.name}本期推进情况：按计划组织实施，完成阶段性工作。",
                problems="" if delay <= 0 else "个别项目审批周期较长，进度滞后。",
                next_steps="加快推进，确保按期完成。",
                evidence=[
                    SimpleUploadedFile(
                        f"{obligation.period}.txt",
                        _evidence_text(assignment, obligation),
                        content_type="text/plain",
                    )
                ],
                now=timezone.make_aware(dt.datetime.combine(when, dt.time(16))),
            )
    _head_approvals(today)


def _evidence_text(assignment: Assignment, obligation: Obligation) -> bytes:
    return (
        f"{assignment.unit.name} {obligation.period} 工作台账\n"
        f"任务：{assignment.task.title}\n1. 召开专题推进会。\n2. 形成阶段性成果清单。\n"
    ).encode()


def _head_approvals(today: dt.date) -> None:
    """Units with a head approve reports (单位负责人审核): the demo's heads approved every report but the
    latest, which waits for them (a unit head's page has something to do)."""
    user_model = get_user_model()
    for head in user_model.objects.filter(profile__role=Role.UNIT_HEAD, profile__unit__isnull=False):
        if head.profile.unit_id is None:
            continue
        pending = list(
            Report.objects.filter(
                obligation__assignment__unit_id=head.profile.unit_id, approval=Report.Approval.PENDING
            ).order_by("submitted_at", "pk")
        )
        for report in pending[:-1]:
            approved = min(report.submitted_at + dt.timedelta(days=1), timezone.now())
            approve_report(
                report=report,
                user=head,
                approve=True,
                comment="同意报送。 / Approved for submission.",
                now=approved,
            )


def load_demo(*, today: dt.date | None = None) -> DemoSummary:
    today = today or timezone.localdate()
    document = ingest_document(data=SEED.read_bytes(), filename=SEED.name).document
    load_units(catalog=DEMO_CATALOG)
    accounts = _people()
    heads = {p.unit_id for p in Profile.objects.filter(role=Role.UNIT_HEAD, unit__isnull=False)}
    Unit.objects.filter(pk__in=heads).update(requires_head_approval=True)  # the default for units with a head
    supervisor = get_user_model().objects.get(username="duchashi")
    load_rule_file(document=document, user=supervisor)  # the seed's premises, for pre-review (docs/review.md)
    plan = _plan(document)
    tasks = _run_tasks(plan, supervisor, today)
    _reports(tasks, today)
    reports = Report.objects.filter(obligation__assignment__task__in=tasks).count()
    refresh_states(today=today)
    for assignment in Assignment.objects.filter(task__in=tasks):
        record_rating(assignment=assignment, as_of=today)
    accounts_file().write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    return DemoSummary(document, plan, tasks=len(tasks), reports=reports, accounts=accounts)


def demo_accounts() -> list[list[str]]:
    """The demo logins to show on the login page (empty outside a demo database)."""
    try:
        data = json.loads(accounts_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [list(map(str, a)) for a in data if isinstance(a, list) and len(a) == 3]
