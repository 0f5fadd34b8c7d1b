"""Coverage (条条落实): which actionable clauses of a governing decision the draft carries.

1. The decisions the draft implements are chosen by ``run.first_pass`` (named, cited or aligned).
2. Its *scope* is the set of its top-level sections in which the draft carries at least
   ``MIN_IN_SECTION`` actionable clauses (or all of them when the section has fewer): a draft that
   implements section 二 of a decision is not asked for section 五.
3. Every actionable clause in scope that no draft clause (or pair of clauses) carries to
   ``align.COVERED`` is an ``uncovered_clause``, placed after the draft clause that carries the
   governing clause before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from luoshi.review.checks import align
from luoshi.review.checks.model import Clause, Decision, Draft, Flag, GoverningRef

MIN_IN_SECTION = 2


@dataclass
class ClauseCoverage:
    clause: Clause
    share: float  # how much of it the best draft clause(s) carry
    by: list[int] = field(default_factory=list)  # draft clause indices
    in_scope: bool = True

    @property
    def covered(self) -> bool:
        return self.share >= align.COVERED


@dataclass
class DecisionCoverage:
    decision: Decision
    clauses: list[ClauseCoverage]
    named: bool  # named as governing (else found by alignment)

    def to_dict(self) -> dict[str, object]:
        in_scope = [c for c in self.clauses if c.in_scope]
        return {
            "document": self.decision.id,
            "title": self.decision.title,
            "named": self.named,
            "actionable": len(self.clauses),
            "in_scope": len(in_scope),
            "covered": sum(c.covered for c in in_scope),
            "clauses": [
                {
                    "label": c.clause.label,
                    "start": c.clause.start,
                    "end": c.clause.end,
                    "text": c.clause.text,
                    "share": round(c.share, 3),
                    "covered": c.covered,
                    "in_scope": c.in_scope,
                    "by": c.by,
                }
                for c in self.clauses
            ],
        }


def coverage_of(
    decision: Decision, draft: Draft, draft_index: align.Index[Clause], *, named: bool
) -> DecisionCoverage:
    # A clause without content words (重点做好以下10个方面工作：) can be neither carried nor missed.
    actionable = [c for c in decision.clauses if c.actionable and align.clause_terms(c.text)]
    sectioned = any(c.top >= 0 for c in decision.clauses)
    if sectioned:
        actionable = [c for c in actionable if c.top >= 0]
    queries = [align.clause_terms(c.text) for c in actionable]
    hits = draft_index.search(queries)
    rows: list[ClauseCoverage] = []
    for clause, query, found in zip(actionable, queries, hits, strict=True):
        share = draft_index.joint_share(query, found)
        by = [h.item.index for h in found if h.query_share >= align.PART][:2]
        rows.append(ClauseCoverage(clause, share, by))
    if sectioned:
        per_top: dict[int, list[ClauseCoverage]] = {}
        for row in rows:
            per_top.setdefault(row.clause.top, []).append(row)
        for members in per_top.values():
            carried = sum(r.covered for r in members)
            if carried < min(MIN_IN_SECTION, len(members)):
                for r in members:
                    r.in_scope = False
    return DecisionCoverage(decision, rows, named)


def uncovered_flags(cov: DecisionCoverage, draft: Draft) -> list[Flag]:
    flags: list[Flag] = []
    point = 0
    for row in cov.clauses:
        if row.covered and row.by:
            point = max(point, draft.clauses[row.by[0]].end)
            continue
        if not row.in_scope or row.covered:
            continue
        g = row.clause
        title = cov.decision.title
        flags.append(
            Flag(
                "uncovered_clause",
                point,
                point,
                g.text,
                f"草案未落实《{title}》{g.label}：“{_short(g.text)}”（最接近的草案表述仅覆盖{row.share:.0%}）。",
                f"The draft does not carry out {g.label} of 《{title}》: '{_short(g.text)}' "
                f"(the closest draft wording covers {row.share:.0%}).",
                "coverage:missing",
                GoverningRef(cov.decision.id, title, g.label, g.start, g.end, g.text),
            )
        )
    return flags


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
