"""What decomposition proposes: tasks with their sources, suggestions and coverage (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from luoshi.catalogs.suggest import Suggestion
from luoshi.documents.textproc.model import Section

ACTIONABLE = {"task", "recurring"}
PERIODIC = {"daily", "weekly", "monthly", "quarterly", "semiannual", "yearly"}


@dataclass
class ProposedTask:
    id: str
    title: str
    text: str
    kind: str
    start: int
    end: int
    heading_path: list[str]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    programmes: list[dict[str, Any]] = field(default_factory=list)
    units_in_text: list[dict[str, Any]] = field(default_factory=list)
    lead_suggestions: list[dict[str, Any]] = field(default_factory=list)
    co_suggestions: list[dict[str, Any]] = field(default_factory=list)
    subtasks: list[ProposedTask] = field(default_factory=list)
    # For a row of a task-division table: where its cells are, what it links to (tables.RowTask.source).
    table_source: dict[str, Any] = field(default_factory=dict)

    @property
    def lead(self) -> dict[str, Any] | None:
        return self.lead_suggestions[0] if self.lead_suggestions else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "heading_path": self.heading_path,
            "actions": self.actions,
            "targets": self.targets,
            "deadlines": self.deadlines,
            "programmes": self.programmes,
            "units_in_text": self.units_in_text,
            "lead_suggestions": self.lead_suggestions,
            "co_suggestions": self.co_suggestions,
            "subtasks": [s.to_dict() for s in self.subtasks],
            "table_source": self.table_source,
        }


@dataclass
class Decomposition:
    tasks: list[ProposedTask]
    coverage: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"tasks": [t.to_dict() for t in self.tasks], "coverage": self.coverage}


def heading_label(s: Section, text: str = "") -> str:
    """The heading as the document numbers it: "一、在感党恩…" with its 、 (the parser keeps only "一")."""
    number = s.number
    if text and s.number and s.start < s.heading_start <= s.start + 12:
        written = text[s.start : s.heading_start].strip()
        if written.startswith(s.number) or written.lstrip("（(").startswith(s.number.lstrip("（(")):
            number = written
    if number and number[-1] not in "、.．)）:： " and number[0] not in "（(第" and number.isalnum():
        number += "、" if not number.isdigit() else "."
    return f"{number}{s.heading}".strip() or s.kind


def suggestion_dict(s: Suggestion) -> dict[str, Any]:
    return {
        "unit": s.unit_name,
        "code": s.unit_code,
        "score": round(s.score, 4),
        "why": s.why,
        "source": s.source,
        "keywords": list(s.keywords),
    }


def runner_up_co_units(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Co-unit suggestions: units the text names after the lead, else the runners-up."""
    return [s for s in suggestions[1:] if s.source == "text"] or suggestions[1:4]
