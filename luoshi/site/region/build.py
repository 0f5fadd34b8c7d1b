"""Build the region, step by step, timing each step; count what it made; a digest for determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from luoshi.lib.errors import BilingualError

SCALES = (0.01, 0.1, 1.0, 3.0)
# What decides the region's content: the code and data of every stage it goes through (not the pages).
PACKAGE = Path(__file__).resolve().parents[2]
NOT_CONTENT = {"web", "api", "locale", "static", "templates", "tests", "testing", "__pycache__"}


class RegionError(BilingualError):
    """The region cannot be built here."""


@dataclass
class RegionSummary:
    scale: float
    seed: int
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step
    cpu: dict[str, float] = field(
        default_factory=dict
    )  # this process's CPU seconds per step (the machine is shared)
    tick: dict[str, Any] = field(default_factory=dict)
    bulletins: list[str] = field(default_factory=list)
    digest: str = ""
    code: str = field(default_factory=lambda: code_version())

    @property
    def seconds(self) -> float:
        return round(sum(self.steps.values()), 1)

    def lines(self) -> list[str]:
        out = [f"region at scale {self.scale:g}, seed {self.seed}, as of {self.today}: {self.seconds} s"]
        out.append("  " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()))
        out.append(
            "  steps: "
            + ", ".join(f"{k} {v:.1f} s ({self.cpu.get(k, 0):.1f} s CPU)" for k, v in self.steps.items())
        )
        out.append(
            f"  bulletins issued: {', '.join(self.bulletins) or '-'}; digest {self.digest[:16]} "
            f"(code {self.code[:12]})"
        )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "seed": self.seed,
            "today": self.today.isoformat(),
            "counts": self.counts,
            "steps": self.steps,
            "cpu": self.cpu,
            "seconds": self.seconds,
            "cpu_seconds": round(sum(self.cpu.values()), 1),
            "tick": self.tick,
            "bulletins": self.bulletins,
            "digest": self.digest,
            "code": self.code,
        }


def code_version() -> str:
    """A hash of the package's files that decide what a region holds (every stage's code, migrations and data;
    not the web pages, the API, translations or tests): two builds with the same seed, date and code version
    hold the same region, so a benchmark may reuse one."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if path.is_file() and path.suffix not in {".pyc", ".mo", ".po"} and not NOT_CONTENT & set(parts[:-1]):
            h.update("/".join(parts).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def counts() -> dict[str, int]:
    """Rows of every kind the region is made of."""
    from luoshi.accountability.models import Measure
    from luoshi.accounts.models import Profile
    from luoshi.audit.models import AuditEntry
    from luoshi.bulletins.models import Bulletin, GoodPractice
    from luoshi.documents.models import Document
    from luoshi.evaluation.models import Evaluation
    from luoshi.notifications.models import Notice
    from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report
    from luoshi.supervision.models import Escalation, ExtensionRequest, Reminder, Urging, Warning
    from luoshi.tasks.models import Assignment, Milestone, Task, Transition
    from luoshi.units.models import Unit

    models: dict[str, type[Model]] = {
        "units": Unit,
        "people": Profile,
        "documents": Document,
        "tasks": Task,
        "assignments": Assignment,
        "milestones": Milestone,
        "transitions": Transition,
        "obligations": Obligation,
        "reports": Report,
        "indicator_values": IndicatorValue,
        "evidence": Evidence,
        "extensions": ExtensionRequest,
        "reminders": Reminder,
        "urgings": Urging,
        "escalations": Escalation,
        "warnings": Warning,
        "notices": Notice,
        "evaluations": Evaluation,
        "measures": Measure,
        "good_practice": GoodPractice,
        "bulletins": Bulletin,
        "audit_entries": AuditEntry,
    }
    return {name: model._default_manager.count() for name, model in models.items()}


def digest(found: dict[str, int]) -> str:
    """A hash of the region's content as a user sees it, equal across databases for the same seed and date.

    Every row the generator decided (units, people, tasks, shares, milestones, status changes, obligations,
    report versions, extensions, urgings, evaluations, measures, bulletins) by its natural values: codes,
    titles, periods, dates and times in UTC, decimals normalized; never ids (PostgreSQL's sequences do not
    roll back, so ids differ between two builds of one database) nor timestamps of the moment it ran.
    Rows are taken in insertion order (``pk``), which is the generator's own order on every database.
    """
    from luoshi.accountability.models import Measure
    from luoshi.accounts.models import Profile
    from luoshi.bulletins.models import Bulletin
    from luoshi.evaluation.models import Evaluation
    from luoshi.reports.models import Obligation, Report
    from luoshi.site.region.people import CATALOG
    from luoshi.supervision.models import ExtensionRequest, Urging
    from luoshi.tasks.models import Assignment, Milestone, Task, Transition
    from luoshi.units.models import Unit

    h = hashlib.sha256(json.dumps(found, sort_keys=True).encode())
    a = "assignment__"
    tables: list[tuple[Any, tuple[str, ...]]] = [
        (Unit.objects.filter(catalog=CATALOG), ("code", "name", "level", "parent__code", "active")),
        (Profile.objects.all(), ("user__username", "role", "unit__code")),
        (
            Task.objects.all(),
            (
                "document__title",
                "title",
                "lead_unit__code",
                "start_date",
                "deadline",
                "status",
                "cadence",
                "version",
            ),
        ),
        (
            Assignment.objects.all(),
            ("task__title", "unit__code", "role", "parent__unit__code", "weight", "deadline"),
        ),
        (Milestone.objects.all(), ("task__title", "date", "expected_progress")),
        (Transition.objects.all(), ("task__title", "from_status", "to_status", "by__username", "at")),
        (
            Obligation.objects.all(),
            (f"{a}task__title", f"{a}unit__code", "period", "due_date", "state", "first_submitted_at"),
        ),
        (
            Report.objects.all(),
            (
                "obligation__assignment__task__title",
                "obligation__assignment__unit__code",
                "obligation__period",
                "version",
                "progress",
                "approval",
                "submitted_at",
                "submitted_by__username",
                "narrative",
                "problems",
            ),
        ),
        (ExtensionRequest.objects.all(), (f"{a}task__title", f"{a}unit__code", "new_deadline", "status")),
        (Urging.objects.all(), (f"{a}task__title", f"{a}unit__code", "subject", "due_date", "responded_at")),
        (Evaluation.objects.all(), ("task__title", "effect", "recheck_date")),
        (Measure.objects.all(), ("kind", "date", "reason")),
        (Bulletin.objects.all(), ("number", "period", "as_of")),
    ]
    for rows, fields in tables:
        h.update(rows.model._meta.label_lower.encode())
        for row in rows.order_by("pk").values_list(*fields).iterator(chunk_size=5000):
            h.update(repr(tuple(_canonical(v) for v in row)).encode())
    return h.hexdigest()


def _canonical(value: Any) -> Any:
    """A value as every database gives it back: datetimes in UTC, decimals without trailing zeros."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def build_region(
    *,
    scale: float = 1.0,
    seed: int = 12,
    today: dt.date | None = None,
    echo: Callable[[str], None] | None = None,
) -> RegionSummary:
    """Build a whole region through the service functions: units, people, decisions, tasks, three years of
    reports, follow-up, the supervision clock and bulletins. Refused when a region exists already."""
    from luoshi.site.region import decisions, followup, people, rounds

    if scale <= 0 or scale > 10:
        raise RegionError(
            "bad_scale",
            f"规模须大于 0 且不超过 10（现为 {scale}）。",
            f"The scale must be above 0 and at most 10 (got {scale}).",
        )
    if people.exists():
        raise RegionError(
            "region_exists",
            "该数据库中已有生成的区域数据；请使用空数据库。",
            "This database already holds a generated region; use an empty database.",
        )
    today = today or timezone.localdate()
    rng = random.Random(seed)
    summary = RegionSummary(scale=scale, seed=seed, today=today)
    start = dt.date(today.year - 2, 1, 1)
    fates: dict[int, decisions.Fate] = {}

    def step(name: str, work: Callable[[], Any]) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        out = work()
        summary.steps[name] = round(time.perf_counter() - t0, 2)
        summary.cpu[name] = round(time.process_time() - c0, 2)
        if echo:
            echo(f"  {name}: {summary.steps[name]:.1f} s ({summary.cpu[name]:.1f} s CPU)")
        return out

    def units() -> people.Region:
        with transaction.atomic():
            return people.build_units(scale=scale)

    region = step("units and people", units)
    tasks_wanted = max(4, round(2000 * scale))
    seeded = step("seed decision", lambda: decisions.seed_tasks(region, start=start, today=today))[1]
    step(
        "generated decisions and tasks",
        lambda: decisions.generated_tasks(
            region,
            count=max(1, tasks_wanted - len(seeded)),
            decisions=max(1, round(12 * min(scale, 1) ** 0.5)),
            start=start,
            today=today,
            rng=rng,
            fates=fates,
        ),
    )
    step("extensions", lambda: followup.extensions(region, fates=fates, today=today, rng=rng))
    from luoshi.tasks.models import Assignment

    step(
        "obligations",
        lambda: rounds.obligations(list(Assignment.objects.select_related("task").order_by("pk"))),
    )
    step("reporting rounds", lambda: rounds.run_rounds(region, fates=fates, today=today, rng=rng))
    step("completions and cancellations", lambda: followup.close_tasks(region, fates=fates, rng=rng))
    step("evaluations", lambda: followup.evaluations(region, fates=fates, today=today, rng=rng))
    step(
        "tick (urgings, escalations, warnings)",
        lambda: summary.tick.update(followup.clock(region, today=today, rng=rng)[0].to_dict()),
    )
    step("accountability measures", lambda: followup.measures(region, today=today, rng=rng))
    step("good practice", lambda: followup.good_practice(region, rng=rng))
    summary.bulletins = step(
        "bulletins", lambda: followup.bulletins(region, today=today, quarters=1 if scale >= 1 else 4)
    )
    rounds.analyze()  # the pages' queries, right after the build, plan with the region's real sizes
    summary.counts = counts()
    summary.digest = digest(summary.counts)
    return summary
