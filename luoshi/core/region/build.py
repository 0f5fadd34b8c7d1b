"""Build the region, step by step, timing each step; count what it made; a digest for determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model, Sum
from django.utils import timezone

from luoshi.lib.errors import BilingualError

SCALES = (0.01, 0.1, 1.0, 3.0)


class RegionError(BilingualError):
    """The region cannot be built here."""


@dataclass
class RegionSummary:
    scale: float
    seed: int
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step
    tick: dict[str, Any] = field(default_factory=dict)
    bulletins: list[str] = field(default_factory=list)
    digest: str = ""

    @property
    def seconds(self) -> float:
        return round(sum(self.steps.values()), 1)

    def lines(self) -> list[str]:
        out = [f"region at scale {self.scale:g}, seed {self.seed}, as of {self.today}: {self.seconds} s"]
        out.append("  " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()))
        out.append("  steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.steps.items()))
        out.append(f"  bulletins issued: {', '.join(self.bulletins) or '-'}; digest {self.digest[:16]}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "seed": self.seed, "today": self.today.isoformat(), "counts": self.counts,
                "steps": self.steps, "seconds": self.seconds, "tick": self.tick, "bulletins": self.bulletins,
                "digest": self.digest}


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
        "units": Unit, "people": Profile, "documents": Document, "tasks": Task, "assignments": Assignment,
        "milestones": Milestone, "transitions": Transition, "obligations": Obligation, "reports": Report,
        "indicator_values": IndicatorValue, "evidence": Evidence, "extensions": ExtensionRequest,
        "reminders": Reminder, "urgings": Urging, "escalations": Escalation, "warnings": Warning,
        "notices": Notice, "evaluations": Evaluation, "measures": Measure, "good_practice": GoodPractice,
        "bulletins": Bulletin, "audit_entries": AuditEntry,
    }
    return {name: model._default_manager.count() for name, model in models.items()}


def digest(found: dict[str, int]) -> str:
    """Counts plus what the generator decided (titles, units, progress), not ids or timestamps of now."""
    from luoshi.reports.models import Obligation, Report
    from luoshi.tasks.models import Assignment, Task

    h = hashlib.sha256(json.dumps({k: v for k, v in found.items() if k != "audit_entries"}, sort_keys=True).encode())
    for task in Task.objects.order_by("pk").values_list("title", "lead_unit__code", "deadline", "status", "cadence"):
        h.update(repr(task).encode())
    for share in Assignment.objects.order_by("pk").values_list("unit__code", "role", "weight", "deadline"):
        h.update(repr(share).encode())
    h.update(repr(Report.objects.aggregate(p=Sum("progress"), v=Sum("version"))).encode())
    h.update(repr(sorted(Obligation.objects.values_list("state", flat=True))[:: max(1, found["obligations"] // 5000)])
             .encode())
    return h.hexdigest()


def build_region(*, scale: float = 1.0, seed: int = 12, today: dt.date | None = None,
                 echo: Callable[[str], None] | None = None) -> RegionSummary:
    """Build a whole region through the service functions: units, people, decisions, tasks, three years of
    reports, follow-up, the supervision clock and bulletins. Refused when a region exists already."""
    from luoshi.core.region import decisions, followup, people, rounds

    if scale <= 0 or scale > 10:
        raise RegionError("bad_scale", f"规模须大于 0 且不超过 10（现为 {scale}）。",
                          f"The scale must be above 0 and at most 10 (got {scale}).")
    if people.exists():
        raise RegionError("region_exists", "该数据库中已有生成的区域数据；请使用空数据库。",
                          "This database already holds a generated region; use an empty database.")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    summary = RegionSummary(scale=scale, seed=seed, today=today)
    start = dt.date(today.year - 2, 1, 1)
    fates: dict[int, decisions.Fate] = {}

    def step(name: str, work: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = work()
        summary.steps[name] = round(time.perf_counter() - t0, 2)
        if echo:
            echo(f"  {name}: {summary.steps[name]:.1f} s")
        return out

    def units() -> people.Region:
        with transaction.atomic():
            return people.build_units(scale=scale)

    region = step("units and people", units)
    tasks_wanted = max(4, round(2000 * scale))
    seeded = step("seed decision", lambda: decisions.seed_tasks(region, start=start, today=today))[1]
    step("generated decisions and tasks", lambda: decisions.generated_tasks(
        region, count=max(1, tasks_wanted - len(seeded)), decisions=max(1, round(12 * min(scale, 1) ** 0.5)),
        start=start, today=today, rng=rng, fates=fates))
    step("extensions", lambda: followup.extensions(region, fates=fates, today=today, rng=rng))
    from luoshi.tasks.models import Assignment

    step("obligations", lambda: rounds.obligations(list(Assignment.objects.select_related("task").order_by("pk"))))
    step("reporting rounds", lambda: rounds.run_rounds(region, fates=fates, today=today, rng=rng))
    step("completions and cancellations", lambda: followup.close_tasks(region, fates=fates, rng=rng))
    step("evaluations", lambda: followup.evaluations(region, fates=fates, today=today, rng=rng))
    step("tick (urgings, escalations, warnings)", lambda: summary.tick.update(
        followup.clock(region, today=today, rng=rng)[0].to_dict()))
    step("accountability measures", lambda: followup.measures(region, today=today, rng=rng))
    step("good practice", lambda: followup.good_practice(region, rng=rng))
    summary.bulletins = step("bulletins", lambda: followup.bulletins(region, today=today,
                                                                     quarters=1 if scale >= 1 else 4))
    summary.counts = counts()
    summary.digest = digest(summary.counts)
    return summary
