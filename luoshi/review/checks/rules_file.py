"""Premise rules from a YAML file (the demo's rules for the seed decision, the bench)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from luoshi.review.checks.model import PremiseRule
from luoshi.review.checks.premise import validate

SEED_RULES = Path(__file__).resolve().parent.parent / "data" / "premises_seed.yaml"


def rule_from_dict(row: dict[str, Any], decision_id: int | str | None = None) -> PremiseRule:
    rule = PremiseRule(
        code=str(row["code"]),
        kind=str(row["kind"]),
        name=str(row["name"]),
        patterns=tuple(row.get("patterns", ())),
        trigger=tuple(row.get("trigger", ())),
        exceptions=tuple(row.get("exceptions", ())),
        message=str(row.get("message", "")),
        message_en=str(row.get("message_en", "")),
        decision_id=decision_id,
        clause=str(row.get("clause", "")),
    )
    validate(rule)
    return rule


def load_rules(path: Path = SEED_RULES, decision_id: int | str | None = None) -> list[PremiseRule]:
    return [rule_from_dict(row, decision_id) for row in yaml.safe_load(path.read_text(encoding="utf-8"))]
