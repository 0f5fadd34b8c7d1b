"""Rule-based extractors that turn a task text into structured facts.

All functions take a text and return dataclasses (with ``to_dict()``) whose
offsets are relative to that text.  See each module for its method.
"""

from __future__ import annotations

from .actions import Action, ActionSpan, action_title, extract_actions, split_actions
from .classify import classify_sentence, sentence_features
from .dates import TimeExpr, extract_deadlines, extract_recurring
from .programmes import Programme, extract_programmes
from .targets import Target, extract_targets
from .units import (
    UnitAssignment,
    UnitMention,
    extract_unit_mentions,
    find_unit_parentheticals,
    parse_unit_parenthetical,
)

__all__ = [
    "Action",
    "ActionSpan",
    "Programme",
    "Target",
    "TimeExpr",
    "UnitAssignment",
    "UnitMention",
    "action_title",
    "classify_sentence",
    "extract_actions",
    "extract_deadlines",
    "extract_programmes",
    "extract_recurring",
    "extract_targets",
    "extract_unit_mentions",
    "find_unit_parentheticals",
    "parse_unit_parenthetical",
    "sentence_features",
    "split_actions",
]
