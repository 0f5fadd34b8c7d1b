"""A revised draft against the previous version: what changed, and which findings the changes resolve.

Clauses (the pipeline's sentences) are matched in order with ``difflib`` on their text: equal,
changed (replaced in place), removed, added. A finding of the previous version is *resolved* when
the revision no longer raises it: a first-pass finding when the new version's first pass has no
finding of the same class and rule against the same governing clause (or, for the checks of the
draft's own words, on the same sentence); a reviewer's finding when its passage is gone. A resolved finding names the change that resolved it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from luoshi.review.models import DraftVersion, FindingStatus, ReviewFinding
from luoshi.review.stored import stored_draft


@dataclass
class Change:
    kind: str  # "changed", "removed", "added"
    old: str
    new: str
    old_start: int | None
    new_start: int | None


@dataclass
class Outcome:
    finding: ReviewFinding
    resolved: bool
    change: Change | None = None


@dataclass
class Comparison:
    old: DraftVersion
    new: DraftVersion
    changes: list[Change] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def resolved(self) -> int:
        return sum(o.resolved for o in self.outcomes)


def finding_key(f: ReviewFinding) -> tuple[str, str, object]:
    """The same finding in two versions: against the same governing clause, or (the draft's own words)
    on the same sentence."""
    return f.cls, f.rule, f.governing_start if f.governing_start is not None else f.sentence


def compare(*, old: DraftVersion, new: DraftVersion) -> Comparison:
    a = stored_draft(old.text, old.structure).clauses
    b = stored_draft(new.text, new.structure).clauses
    matcher = difflib.SequenceMatcher(a=[c.text for c in a], b=[c.text for c in b], autojunk=False)
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            kind = "changed" if o and n else "removed" if o else "added"
            changes.append(
                Change(
                    kind,
                    o.text if o else "",
                    n.text if n else "",
                    o.start if o else None,
                    n.start if n else None,
                )
            )
    now_raised = {finding_key(f) for f in new.findings.filter(source=ReviewFinding.Source.AUTO)}
    outcomes = []
    for f in old.findings.exclude(status=FindingStatus.DISMISSED).order_by("start", "id"):
        if f.source == ReviewFinding.Source.AUTO:
            resolved = finding_key(f) not in now_raised
        else:
            resolved = f.sentence not in new.text
        change = (
            next(
                (
                    c
                    for c in changes
                    if c.old_start is not None and c.old and c.old_start <= f.start < c.old_start + len(c.old)
                ),
                None,
            )
            if resolved
            else None
        )
        outcomes.append(Outcome(f, resolved, change))
    return Comparison(old, new, changes, outcomes)
