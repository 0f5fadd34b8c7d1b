"""Three years of reporting rounds: every due date in turn, each unit's report as its habits say,
corrections, evidence, indicator values, through ``reports.services.submit_reports``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.lib import planner
from luoshi.reports.models import Obligation
from luoshi.reports.services import ReportEntry, ensure_obligations_for, submit_reports
from luoshi.site.region.decisions import CANCELLED, COMPLETED, Fate, at
from luoshi.site.region.names import CORRECTIONS, NARRATIVES, NEXT_STEPS, PROBLEMS
from luoshi.site.region.people import Region
from luoshi.tasks.models import Assignment, Indicator

BATCH = 2000
MISSING = 0.015  # reports never sent
EVIDENCE_EVERY = 8  # one report version in eight carries a file


@dataclass
class Owner:
    """What a round needs to know about an assignment."""

    unit_id: int
    unit_name: str
    start: dt.date
    deadline: dt.date
    diligence: float
    fate: Fate | None
    indicators: list[tuple[int, float, float]]  # (id, baseline, target)
    last: int = 0


@dataclass
class RoundCounts:
    reports: int = 0
    corrections: int = 0
    evidence: int = 0
    not_sent: int = 0


def obligations(assignments: list[Assignment]) -> int:
    made = ensure_obligations_for(assignments=assignments)
    analyze()
    return made


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load: with the counts of an empty table (PostgreSQL)
    or none at all (SQLite) the reporting round's correlated subquery reads every report per obligation
    (quadratic); see ``luoshi.lib.planner``."""
    planner.analyze()


def _owners(fates: dict[int, Fate]) -> dict[int, Owner]:
    indicators: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for pk, task_id, baseline, target in Indicator.objects.values_list("pk", "task_id", "baseline", "target"):
        indicators[task_id].append((pk, float(baseline), float(target)))
    out = {}
    rows = Assignment.objects.values_list(
        "pk", "task_id", "unit_id", "unit__name", "task__start_date", "deadline"
    )
    for pk, task_id, unit_id, unit_name, start, deadline in rows:
        fate = fates.get(task_id)
        diligence = fate.diligence.get(pk, 1.0) if fate else 1.0
        out[pk] = Owner(unit_id, unit_name, start, deadline, diligence, fate, indicators.get(task_id, []))
    return out


def run_rounds(region: Region, *, fates: dict[int, Fate], today: dt.date, rng: random.Random) -> RoundCounts:
    """Submit every past period's reports, due date by due date (so each sees the one before)."""
    owners = _owners(fates)
    due: dict[dt.date, list[tuple[int, int, str, dt.date, dt.date]]] = defaultdict(list)
    rows = (
        Obligation.objects.filter(due_date__lt=today)
        .order_by("due_date", "pk")
        .values_list("pk", "assignment_id", "period", "period_start", "period_end", "due_date")
    )
    for pk, assignment_id, period, start, end, due_date in rows:
        due[due_date].append((pk, assignment_id, period, start, end))
    counts = RoundCounts()
    analyzed = 1
    for due_date in sorted(due):
        firsts: list[ReportEntry] = []
        corrections: list[list[ReportEntry]] = [[], []]
        for pk, assignment_id, period, start, end in due[due_date]:
            owner = owners[assignment_id]
            if owner.fate and owner.fate.kind == CANCELLED and owner.fate.end and due_date >= owner.fate.end:
                continue
            _plan(region, owner, pk, period, start, end, due_date, today, rng, firsts, corrections, counts)
        for batch in [firsts, *corrections]:
            for i in range(0, len(batch), BATCH):
                submit_reports(entries=batch[i : i + BATCH])
        if counts.reports > 2 * analyzed:  # the tables doubled since the planner last looked
            analyze()
            analyzed = counts.reports
    return counts


def _plan(
    region: Region,
    owner: Owner,
    pk: int,
    period: str,
    start: dt.date,
    end: dt.date,
    due_date: dt.date,
    today: dt.date,
    rng: random.Random,
    firsts: list[ReportEntry],
    corrections: list[list[ReportEntry]],
    counts: RoundCounts,
) -> None:
    """Decide one obligation's reports: sent or not, when, how far along, corrected how often."""
    if rng.random() < MISSING:
        counts.not_sent += 1
        return
    late = rng.random() < (0.3 if owner.diligence < 0.9 else 0.05)
    day = (
        due_date + dt.timedelta(days=rng.randrange(2, 21))
        if late
        else max(start, due_date - dt.timedelta(days=rng.randrange(0, 6)))
    )
    if day >= today:
        counts.not_sent += 1
        return
    span = max(1, (owner.deadline - owner.start).days)
    planned = 100 * min(1.0, (end - owner.start).days / span)
    progress = min(100, max(owner.last, round(planned * owner.diligence + rng.uniform(-3, 3))))
    if owner.fate and owner.fate.kind == COMPLETED and end >= owner.deadline:
        progress = 100
    behind = progress < planned * 0.85
    user = _reporter(region, owner.unit_id, rng)
    obligation = Obligation(pk=pk)
    versions = 1 + (rng.random() < 0.55) + (rng.random() < 0.3)  # about 1.85 versions a report
    for version in range(versions):
        if version:
            day = day + dt.timedelta(days=rng.randrange(1, 7))
            if day >= today:
                break
            progress = min(100, progress + rng.choice([0, 0, 1, 2, 3]))
        entry = ReportEntry(
            obligation=obligation,
            user=user,
            progress=progress,
            narrative=(CORRECTIONS if version else "")
            + f"{owner.unit_name}{period}期：{rng.choice(NARRATIVES)}",
            problems=rng.choice(PROBLEMS) if behind else "",
            next_steps=rng.choice(NEXT_STEPS),
            now=at(day, 16 if version == 0 else 11),
            indicator_values={i: round(b + (t - b) * progress / 100, 2) for i, b, t in owner.indicators},
            evidence=_evidence(owner, period, version, rng),
        )
        counts.evidence += len(entry.evidence)
        (corrections[version - 1] if version else firsts).append(entry)
        counts.corrections += version > 0
        counts.reports += 1
    owner.last = progress


def _reporter(region: Region, unit_id: int, rng: random.Random) -> object:
    head = region.heads.get(unit_id)
    return head if head is not None and rng.random() < 0.2 else region.liaisons[unit_id]


def _evidence(owner: Owner, period: str, version: int, rng: random.Random) -> list[SimpleUploadedFile]:
    if rng.randrange(EVIDENCE_EVERY):
        return []
    words = f"{owner.unit_name} {period} 第{version + 1}版 佐证材料：会议纪要、现场照片说明、项目台账。\n"
    if rng.random() < 0.5:
        return [SimpleUploadedFile(f"{period}-台账.txt", (words * 3).encode("utf-8"), "text/plain")]
    body = f"%PDF-1.4\n% {words}\n%%EOF\n".encode()
    return [SimpleUploadedFile(f"{period}-会议纪要.pdf", body, "application/pdf")]
