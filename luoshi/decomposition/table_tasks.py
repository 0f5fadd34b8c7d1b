"""A row of a task-division table (tables.RowTask) as a proposed task: its owners are the table's."""

from __future__ import annotations

from typing import Any

from luoshi.catalogs.catalog import Catalog
from luoshi.catalogs.suggest import Evidence, suggest_units
from luoshi.decomposition.extract.targets import extract_targets
from luoshi.decomposition.proposed import (
    PERIODIC,
    ProposedTask,
    heading_label,
    runner_up_co_units,
    suggestion_dict,
)
from luoshi.decomposition.tables import RowTask
from luoshi.documents.textproc.model import Structure


def row_task(
    row: RowTask, task_id: str, catalog: Catalog, structure: Structure, text: str, evidence: Evidence
) -> ProposedTask:
    """A row of a task-division table as a proposed task: its owners are the table's, not suggestions.

    A row whose lead column names no unit the catalog knows gets suggestions from its words instead.
    """
    chain = [s for s in structure.all_sections() if s.start <= row.start < s.end and s.heading]
    heading_path = [heading_label(s, text) for s in chain] + row.group
    leads = [
        _table_suggestion(catalog, c, "牵头单位", 1.0 if i == 0 else 0.99) for i, c in enumerate(row.leads)
    ]
    cos = [
        _table_suggestion(catalog, c, "牵头单位" if c in row.leads else "配合单位", 0.95)
        for c in row.leads[1:] + row.cos
    ]
    if not leads:
        found = suggest_units(row.text, catalog, context=" ".join(heading_path), k=5, evidence=evidence)
        leads = [suggestion_dict(s) for s in found[:3]]
        cos = cos or [suggestion_dict(s) for s in runner_up_co_units(found)]
    kind = "recurring" if any(d.get("recurrence") in PERIODIC for d in row.deadlines) else "task"
    return ProposedTask(
        id=task_id,
        title=row.title,
        text=row.text,
        kind=kind,
        start=row.start,
        end=row.end,
        heading_path=heading_path,
        deadlines=row.deadlines,
        targets=[t.to_dict() for t in extract_targets(row.text)],
        units_in_text=[
            {"text": catalog.by_code[c].name, "unit_code": c, "role": "lead" if c in row.leads else "co"}
            for c in row.leads + row.cos
        ],
        lead_suggestions=leads,
        co_suggestions=cos,
        table_source=row.source(),
    )


def _table_suggestion(catalog: Catalog, code: str, column: str, score: float) -> dict[str, Any]:
    """A unit the table names, with the column that names it (牵头单位 / 配合单位) as its reason."""
    unit = catalog.by_code[code]
    return {
        "unit": unit.name,
        "code": code,
        "score": score,
        "why": f"分工表{column}",
        "source": "table",
        "keywords": [column],
    }
