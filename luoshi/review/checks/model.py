"""Plain data types of the first pass (no Django): clauses, decisions, the draft, flags.

Offsets are Python string indices (code points, end exclusive) into the text they belong to: a
draft clause's into the draft's normalized text, a governing clause's into its decision's text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The classes of the first pass, in the order pages and reports list them.
CLASSES = (
    "lower_target",
    "later_deadline",
    "softened_obligation",
    "uncovered_clause",
    "fair_competition",
    "new_power",
    "premise",
    "procedure",
)
# The classes that compare a draft clause with the governing clause it implements.
WEAKENING = frozenset({"lower_target", "later_deadline", "softened_obligation"})

# Kinds of document under review (送审/报备文件的种类).
DOC_KINDS = ("regulation", "normative", "policy", "plan")  # 规章, 规范性文件, 政策性文件, 实施方案
DOC_KIND_ZH = {"regulation": "规章", "normative": "规范性文件", "policy": "政策性文件", "plan": "实施方案"}


@dataclass(frozen=True)
class Clause:
    """One sentence of a document with where it sits.

    label: the numbers of the sections around it ("二、（四）"), "" outside every section.
    top: index of its top-level section, -1 in the title block or preamble.
    actionable: something to carry out (the decomposition's classification: task or recurring),
    not a principle, a review of past work, a heading or a formula.
    """

    index: int
    start: int
    end: int
    text: str
    label: str
    top: int
    actionable: bool
    heading: bool = False


@dataclass
class Decision:
    """A stored decision the draft may implement: its clauses and the premise rules attached to it."""

    id: int | str
    title: str
    text: str
    clauses: list[Clause]
    year: int | None = None
    rules: list[PremiseRule] = field(default_factory=list)
    key: str = ""  # a cache key for its terms (the content hash); "" = not cached


@dataclass
class Draft:
    """The document under review: normalized text, its clauses, the date found in it."""

    text: str
    clauses: list[Clause]
    title: str = ""
    date: dt.date | None = None  # the date line's date (publication, when nothing better is known)


@dataclass
class Meta:
    """What the filing says about the draft; None where the filing says nothing (the CLI).

    kind: one of DOC_KINDS or "". explanation: the drafting explanation's text ("" = none filed).
    legality_review / consultation: whether the legality review opinion and the public consultation
    record were filed.
    """

    kind: str = ""
    published: dt.date | None = None
    effective: dt.date | None = None
    explanation: str | None = None
    legality_review: bool | None = None
    consultation: bool | None = None


@dataclass(frozen=True)
class PremiseRule:
    """A premise of a governing decision, as the office configured it (not hard-coded).

    kind: "required" (the draft must say it somewhere: ``patterns``), "prohibited" (no sentence may
    match ``patterns``) or "conditional" (a draft with a sentence matching ``trigger`` must say
    ``patterns`` somewhere). ``exceptions``: a sentence matching one is never flagged. Patterns are
    regular expressions.
    """

    code: str
    kind: str
    name: str
    patterns: tuple[str, ...]
    trigger: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    message: str = ""
    message_en: str = ""
    decision_id: int | str | None = None
    clause: str = ""  # the decision's words the rule stands for, quoted as the basis


@dataclass(frozen=True)
class GoverningRef:
    """The governing clause a flag cites."""

    decision_id: int | str
    title: str
    label: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.decision_id,
            "title": self.title,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True)
class Flag:
    """One finding of the first pass: the draft's sentence and the rule or clause behind it.

    For ``uncovered_clause`` the sentence is the governing clause's and ``start == end`` marks the
    point in the draft where it would belong.
    """

    cls: str
    start: int
    end: int
    sentence: str
    basis: str
    basis_en: str
    rule: str
    governing: GoverningRef | None = None
    note: str = ""  # e.g. an exception the text invokes (fair competition), for the reviewer

    def key(self) -> tuple[str, str, str]:
        """What makes two versions' flags "the same finding": class, rule and the governing clause."""
        gov = f"{self.governing.decision_id}:{self.governing.start}" if self.governing else ""
        return self.cls, self.rule, gov

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.cls,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "basis": self.basis,
            "basis_en": self.basis_en,
            "rule": self.rule,
            "governing": self.governing.to_dict() if self.governing else None,
            "note": self.note,
        }
