"""The first pass of pre-review and filing review: plain Python, no Django.

``first_pass(draft=…, decisions=…, governing=…, meta=…)`` runs every check; see ``run.py`` for the
steps and each module for its rules. Drafts and decisions are built by ``clauses.py`` from the
ingest pipeline's structure.
"""

from luoshi.review.checks.clauses import decision_from_stored, decision_from_text, draft_from_text
from luoshi.review.checks.model import CLASSES, DOC_KINDS, Clause, Decision, Draft, Flag, Meta, PremiseRule
from luoshi.review.checks.run import Result, first_pass

__all__ = [
    "CLASSES",
    "DOC_KINDS",
    "Clause",
    "Decision",
    "Draft",
    "Flag",
    "Meta",
    "PremiseRule",
    "Result",
    "decision_from_stored",
    "decision_from_text",
    "draft_from_text",
    "first_pass",
]
