"""The first pass: every check over one draft, against the stored decisions.

1. The pool: the decisions named as governing, else every stored decision.
2. Alignment: each draft clause's best governing clauses in the pool (``align``).
3. The implemented decisions: those named; with none named, those the draft cites by title or most
   of its clauses implement (``_implemented``).
4. Weakening (``weakening``) on each draft clause and the best clause of an implemented decision
   at ``align.IMPLEMENTS`` or above.
5. Coverage of every implemented decision (``coverage``): uncovered clauses.
6. The premises of the implemented decisions (``premise``), fair competition, legality and
   procedure (``fair_competition``, ``legality``, ``procedure``) on the draft's own words.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from luoshi.review.checks import align
from luoshi.review.checks.coverage import DecisionCoverage, coverage_of, uncovered_flags
from luoshi.review.checks.fair_competition import Checklist, check_fair_competition
from luoshi.review.checks.legality import check_legality
from luoshi.review.checks.model import CLASSES, Clause, Decision, Draft, Flag, Meta
from luoshi.review.checks.premise import check_premises
from luoshi.review.checks.procedure import check_procedure
from luoshi.review.checks.weakening import Pair, check_pair

SHOWN = 3  # governing clauses listed per draft clause
# With no decision named, a decision counts as implemented when it is cited by title, or when this
# share of the draft's actionable clauses (and at least MIN_ALIGNED) implement its clauses.
IMPLEMENTING_SHARE = 0.3
MIN_ALIGNED = 3
CITED_TITLE = 8  # a title shorter than this (政府工作报告) says too little to count as cited
SHOWN_FROM = 0.3  # … from this overlap on


@dataclass(frozen=True)
class Aligned:
    decision_id: int | str
    title: str
    clause: Clause
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.decision_id,
            "title": self.title,
            "label": self.clause.label,
            "start": self.clause.start,
            "end": self.clause.end,
            "score": round(self.score, 3),
            "implements": self.score >= align.IMPLEMENTS,
        }


@dataclass
class Result:
    draft: Draft
    flags: list[Flag]
    alignment: list[list[Aligned]]  # per draft clause
    coverage: list[DecisionCoverage] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(f.cls for f in self.flags)
        return {k: c.get(k, 0) for k in CLASSES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "findings": [f.to_dict() for f in self.flags],
            "counts": self.counts(),
            "alignment": [
                {"start": c.start, "end": c.end, "label": c.label, "governing": [a.to_dict() for a in row]}
                for c, row in zip(self.draft.clauses, self.alignment, strict=True)
                if row
            ],
            "coverage": [c.to_dict() for c in self.coverage],
        }


_Owned = tuple[Decision, Clause]
_cache: dict[tuple[tuple[str, str], ...], align.Index[_Owned]] = {}
_lock = threading.Lock()


def _pool_index(pool: Sequence[Decision]) -> align.Index[_Owned]:
    """The governing clauses' index, kept per set of stored decisions (their content hashes)."""
    items = [(d, c) for d in pool for c in d.clauses]
    key = tuple((str(d.id), d.key) for d in pool)
    cacheable = all(d.key for d in pool)
    if cacheable:
        with _lock:
            hit = _cache.get(key)
        if hit is not None:
            return hit
    index = align.Index(items, [align.clause_terms(c.text) for _, c in items])
    if cacheable:
        with _lock:
            if len(_cache) >= 8:
                _cache.clear()
            _cache[key] = index
    return index


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _implemented(
    draft: Draft, pool: Sequence[Decision], found: Sequence[Sequence[align.Hit[_Owned]]]
) -> set[str]:
    """With no decision named: those the draft cites by title (《…》, a title no other stored decision
    has), and those a good share of its actionable clauses implement."""
    text = _squeeze(draft.text)
    titles = Counter(_squeeze(d.title) for d in pool)
    cited = {
        str(d.id)
        for d in pool
        if len(_squeeze(d.title)) >= CITED_TITLE
        and titles[_squeeze(d.title)] == 1
        and f"《{_squeeze(d.title)}》" in text
    }
    counts: Counter[str] = Counter()
    for clause, hits in zip(draft.clauses, found, strict=True):
        if clause.actionable and hits and hits[0].dice >= align.IMPLEMENTS and hits[0].item[1].actionable:
            counts[str(hits[0].item[0].id)] += 1
    substantive = sum(1 for c in draft.clauses if c.actionable)
    enough = max(MIN_ALIGNED, IMPLEMENTING_SHARE * substantive)
    return cited | {d for d, n in counts.items() if n >= enough}


def first_pass(
    *,
    draft: Draft,
    decisions: Sequence[Decision],
    governing: Sequence[int | str] = (),
    meta: Meta | None = None,
    checklist: Checklist | None = None,
) -> Result:
    named = [str(g) for g in governing]
    pool = [d for d in decisions if str(d.id) in named] if named else list(decisions)
    index = _pool_index(pool)
    queries = [align.clause_terms(c.text) for c in draft.clauses]
    found = index.search(queries)
    alignment = [
        [Aligned(h.item[0].id, h.item[0].title, h.item[1], h.dice) for h in hits if h.dice >= SHOWN_FROM][
            :SHOWN
        ]
        for hits in found
    ]
    chosen = {str(d.id) for d in pool} if named else _implemented(draft, pool, found)
    covered_decisions = [d for d in pool if str(d.id) in chosen]
    flags: list[Flag] = []
    draft_year = (meta.published.year if meta and meta.published else None) or (
        draft.date.year if draft.date else None
    )
    for clause, hits in zip(draft.clauses, found, strict=True):
        best = next((h for h in hits if str(h.item[0].id) in chosen), None)
        if best is not None and best.dice >= align.IMPLEMENTS:
            decision, governing_clause = best.item
            flags += check_pair(Pair(clause, decision, governing_clause, best.dice, draft_year))
    coverage: list[DecisionCoverage] = []
    if covered_decisions:
        draft_index = align.Index(draft.clauses, queries)
        for decision in covered_decisions:
            cov = coverage_of(decision, draft, draft_index, named=bool(named))
            coverage.append(cov)
            flags += uncovered_flags(cov, draft)
    flags += check_premises(draft, [r for d in covered_decisions for r in d.rules])
    explanation = meta.explanation or "" if meta else ""
    flags += check_fair_competition(draft, explanation=explanation, checklist=checklist)
    flags += check_legality(draft, kind=meta.kind if meta else "")
    flags += check_procedure(draft, meta)
    order = {c: i for i, c in enumerate(CLASSES)}
    flags.sort(key=lambda f: (f.start, f.end, order[f.cls], f.rule))
    return Result(draft, flags, alignment, coverage)
