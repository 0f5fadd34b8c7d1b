"""Roll-up of effect evaluations: per top-level section, document and unit (like the ratings roll-up).

Each completed task counts once, with its latest evaluation; a completed
task not yet evaluated is counted as such. Tasks are grouped by the
top-level section of the decision (``Task.section`` climbed to its root,
else the root named by ``heading_path[0]``, else "未归入章节"). A unit's row
holds the tasks in which it has an assignment (lead, co-unit or share).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from luoshi.documents.models import Document, without_heavy
from luoshi.documents.outline import NO_SECTION_ZH, Node, outline
from luoshi.evaluation.models import Effect, Evaluation
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.units.models import Unit


@dataclass
class EffectCounts:
    completed: int = 0
    evaluated: int = 0
    not_evaluated: int = 0
    by_effect: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Effect.values, 0))
    indicators: int = 0
    indicators_reached: int = 0
    reached_share: float | None = None  # reached / indicators, three decimals; None without indicators

    def add(self, evaluation: Evaluation | None) -> None:
        self.completed += 1
        if evaluation is None:
            self.not_evaluated += 1
            return
        self.evaluated += 1
        self.by_effect[evaluation.effect] += 1
        self.indicators += len(evaluation.indicators)
        self.indicators_reached += evaluation.indicators_reached
        self.reached_share = round(self.indicators_reached / self.indicators, 3) if self.indicators else None


@dataclass
class SectionEffects:
    section_id: int | None
    number: str
    heading: str
    counts: EffectCounts
    task_ids: list[int]


@dataclass
class DocumentEffects:
    document_id: int
    title: str
    counts: EffectCounts
    sections: list[SectionEffects]


@dataclass
class UnitEffects:
    unit_id: int
    name: str
    counts: EffectCounts


@dataclass
class EvaluationRollup:
    documents: list[DocumentEffects]
    units: list[UnitEffects]
    total: EffectCounts

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluation_rollup(*, document: Document | None = None, unit: Unit | None = None) -> EvaluationRollup:
    """Counts per effect level and the share of indicators reached, for completed tasks in scope."""
    tasks_qs = (
        Task.objects.filter(status=Status.COMPLETED)
        .select_related("document")
        .defer(*without_heavy("document__"))
    )
    if document is not None:
        tasks_qs = tasks_qs.filter(document=document)
    if unit is not None:
        tasks_qs = tasks_qs.filter(assignments__unit=unit).distinct()
    tasks = list(tasks_qs.order_by("document_id", "id"))
    latest: dict[int, Evaluation] = {}
    for evaluation in Evaluation.objects.filter(task__in=[t.pk for t in tasks]).order_by(
        "evaluated_at", "id"
    ):
        latest[evaluation.task_id] = evaluation

    total = EffectCounts()
    for task in tasks:
        total.add(latest.get(task.pk))
    return EvaluationRollup(
        documents=_documents(tasks, latest), units=_units(tasks, latest, unit), total=total
    )


def _documents(tasks: list[Task], latest: dict[int, Evaluation]) -> list[DocumentEffects]:
    sections = outline({t.document_id for t in tasks})

    def top(task: Task) -> Node | None:
        return sections.top(
            document_id=task.document_id, section_id=task.section_id, heading_path=task.heading_path
        )

    grouped: dict[int, dict[int | None, list[Task]]] = defaultdict(lambda: defaultdict(list))
    for task in tasks:
        root = top(task)
        grouped[task.document_id][root.pk if root else None].append(task)
    out = []
    for doc_id, by_section in grouped.items():
        doc_counts = EffectCounts()
        rows = []
        for sid in sorted(by_section, key=sections.order):
            counts = EffectCounts()
            for task in by_section[sid]:
                counts.add(latest.get(task.pk))
                doc_counts.add(latest.get(task.pk))
            section = sections.by_id.get(sid) if sid is not None else None
            rows.append(
                SectionEffects(
                    section_id=sid,
                    number=section.number if section else "",
                    heading=section.heading if section else NO_SECTION_ZH,
                    counts=counts,
                    task_ids=[t.pk for t in by_section[sid]],
                )
            )
        title = by_section[next(iter(by_section))][0].document.title
        out.append(DocumentEffects(document_id=doc_id, title=title, counts=doc_counts, sections=rows))
    return out


def _units(tasks: list[Task], latest: dict[int, Evaluation], only: Unit | None) -> list[UnitEffects]:
    pairs = (
        Assignment.objects.filter(task__in=[t.pk for t in tasks]).values_list("unit_id", "task_id").distinct()
    )
    if only is not None:
        pairs = pairs.filter(unit=only)
    tasks_of: dict[int, set[int]] = defaultdict(set)
    for unit_id, task_id in pairs:
        tasks_of[unit_id].add(task_id)
    names = dict(Unit.objects.filter(pk__in=list(tasks_of)).values_list("pk", "name"))
    out = []
    for unit_id in sorted(tasks_of):
        counts = EffectCounts()
        for task_id in sorted(tasks_of[unit_id]):
            counts.add(latest.get(task_id))
        out.append(UnitEffects(unit_id=unit_id, name=names.get(unit_id, ""), counts=counts))
    return out
