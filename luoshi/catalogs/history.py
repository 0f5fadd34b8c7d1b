"""What the office assigned before: confirmed task divisions as evidence for new suggestions.

Every task of a confirmed division is a ``PastTask`` (its words, its lead unit and co-units).  For a new
task, ``History.votes`` finds the past tasks whose words are most like it (BM25 with ``bm25s``, over the
same content words as the catalog's functions, ``suggest.terms``) and lets each vote for its own lead and
co-units with its similarity.  ``suggest.suggest_units_many`` adds these votes to the catalog's functions.

Pure Python: the Django side (``luoshi/decomposition/learning.py``) turns confirmed plans into this.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

# How many of the most similar past tasks vote.
NEIGHBOURS = 8
# How many opening characters of a past task make it "quoted" (see ``votes``).
QUOTE_CHARS = 16
# A past task votes only when its similarity is at least this share of the best one's.
MIN_SHARE = 0.35


@dataclass(frozen=True)
class PastTask:
    text: str
    lead: str  # unit code
    co: tuple[str, ...] = ()
    context: str = ""  # its heading path
    label: str = ""  # how to name it in a reason: the task's title


@dataclass
class Votes:
    """Each unit's share of the votes as lead and as co-unit, the confidence, and the tasks behind them."""

    lead: dict[str, float] = field(default_factory=dict)
    co: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.0
    because: dict[str, list[str]] = field(default_factory=dict)  # lead unit code -> labels of its past tasks
    because_co: dict[str, list[str]] = field(default_factory=dict)  # the same for co-units


class History:
    """A BM25 index over past tasks' words (the text, and the heading path at half weight)."""

    def __init__(self, tasks: Sequence[PastTask]) -> None:
        import bm25s

        from luoshi.catalogs.suggest import terms

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.tasks = [t for t in tasks if t.lead]
        docs = [terms(t.text) + terms(t.context) for t in self.tasks]
        self._words = [set(d) for d in docs]
        vocab = sorted({w for d in docs for w in d})
        self.vocab = {w: i for i, w in enumerate(vocab)}
        self._retriever = None
        if self.tasks and vocab:
            self._retriever = bm25s.BM25(k1=1.2, b=0.5)
            self._retriever.index(
                bm25s.tokenization.Tokenized(
                    ids=[[self.vocab[w] for w in d] or [0] for d in docs], vocab=dict(self.vocab)
                ),
                show_progress=False,
            )

    def __len__(self) -> int:
        return len(self.tasks)

    def votes(self, words: Sequence[str], *, text: str = "", leave_out_quoted: bool = False) -> Votes:
        """The votes of the past tasks most like a task with these content words (``suggest.terms``).

        ``leave_out_quoted``: past tasks whose opening words ``text`` contains do not vote (measuring on
        past divisions: a task does not learn from itself).
        """
        known = [w for w in dict.fromkeys(words) if w in self.vocab]
        if self._retriever is None or not known:
            return Votes()
        scores = np.asarray(self._retriever.get_scores(known), dtype=np.float64)
        asked = set(words)
        order = np.argsort(-scores, kind="stable")
        picked: list[tuple[int, float]] = []
        best = 0.0
        for i in order:
            s = float(scores[i])
            task = self.tasks[int(i)]
            if s <= 0:
                break
            if leave_out_quoted and task.text[:QUOTE_CHARS] in text:
                continue
            best = best or s
            if s < MIN_SHARE * best or len(picked) >= NEIGHBOURS:
                break
            picked.append((int(i), s))
        if not picked:
            return Votes()
        total = sum(s for _, s in picked)
        # Confidence: the share of the task's words the most similar past task has (BM25 scores depend on
        # how many past tasks there are; this does not).
        out = Votes(confidence=len(asked & self._words[picked[0][0]]) / len(asked))
        for i, s in picked:
            task = self.tasks[i]
            out.lead[task.lead] = out.lead.get(task.lead, 0.0) + s / total
            out.because.setdefault(task.lead, []).append(task.label or task.text[:20])
            for code in task.co:
                out.co[code] = out.co.get(code, 0.0) + s / total
                out.because_co.setdefault(code, []).append(task.label or task.text[:20])
        return out
