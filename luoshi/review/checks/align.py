"""Which governing clauses a draft clause implements: ranked retrieval, then a bounded similarity.

1. Every clause becomes content terms: the words of ``luoshi.lib.nlp`` less function words, the
   words of obligation and scope (必须, 鼓励, 全部… — the very words a weakened draft changes) and
   numbers (a changed target or year must not break the match), plus the two-character pieces of
   longer words (so that 中华民族共同体意识 still meets 共同体意识).
2. ``bm25s`` ranks the governing clauses for each draft clause (the library the unit suggestions of
   the task division use); the best few are then scored by an idf-weighted Dice overlap in [0, 1],
   which, unlike a BM25 score, means the same for a short clause and a long one.
3. The same index built over the draft's clauses answers the other question: how much of a
   governing clause some draft clause (or two neighbouring ones) carries (coverage, 条条落实).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from luoshi.lib import nlp


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Pairs at or above this Dice overlap implement each other (weakening compares them).
IMPLEMENTS = 0.55
# A governing clause is covered when a draft clause carries this share of its weight …
COVERED = 0.6
# … or two draft clauses carry it together, each at least PART of it.
PART = 0.3
NEIGHBOURS = 2  # … when they are at most this many clauses apart
CANDIDATES = 5

_STOPWORDS = _words("""
    的 地 得 和 与 及 以及 或 或者 并 并且 而 等 等等 之 其 各 该 此 这 那 为 以 对 对于 于 在 从 向 将 把 被 由 按 按照
    依 依据 根据 通过 关于 有关 相关 进一步 切实 大力 积极 努力 不断 持续 全面 深入 扎实 认真 着力 加快 加强 推进 推动
    必须 务必 确保 一律 严格 坚决 严禁 禁止 不得 应当 应 要 需 需要 须 鼓励 原则上 可 可以 争取 力争 尽量 尽可能 适当 适时
    逐步 视情 酌情 有条件 有条件的 探索 倡导 一般 不宜 宜 稳妥 有序 全部 所有 部分 重点 试点 全覆盖 一批 一些 各类 各级
    年 月 日 年底 年末 前 以前 之前 以上 以下 以内 左右 不低于 不少于 不超过 达到 提高 提升 降低 下降 增长 增加 减少
    工作 方面 问题 情况 有效 进行 开展 实施 落实 做好 抓好 实现 形成 建立 健全 完善
""")
_HAS_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_NUMBERISH = re.compile(r"^[0-9０-９.．%％一二三四五六七八九十百千万亿两〇零]+$")


@lru_cache(maxsize=131072)
def clause_terms(text: str) -> tuple[str, ...]:
    """The content terms of a clause (see the module doc, step 1)."""
    out: list[str] = []
    for word in nlp.segment(text):
        w = word.strip()
        if len(w) < 2 or w in _STOPWORDS or not _HAS_CJK_OR_WORD.search(w) or _NUMBERISH.match(w):
            continue
        out.append(w)
        if len(w) >= 3:
            out.extend(w[i : i + 2] for i in range(len(w) - 1) if w[i : i + 2] not in _STOPWORDS)
    return tuple(out)


T = TypeVar("T")


@dataclass(frozen=True)
class Hit(Generic[T]):
    item: T
    position: int  # the item's place in the index
    dice: float  # idf-weighted Dice overlap of the two clauses' terms
    query_share: float  # share of the query's weight the item carries
    item_share: float  # share of the item's weight the query carries


class Index(Generic[T]):
    """BM25 over a list of items (clauses), each with its term tuple."""

    def __init__(self, items: Sequence[T], terms: Sequence[tuple[str, ...]]) -> None:
        import bm25s
        from bm25s.tokenization import Tokenized

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.items = list(items)
        self.term_sets = [frozenset(t) for t in terms]
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in ts] for ts in terms]
        self.vocab = vocab
        df: dict[str, int] = {}
        for ts in self.term_sets:
            for t in ts:
                df[t] = df.get(t, 0) + 1
        n = max(1, len(self.items))
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.max_idf = math.log(1 + n)
        self._weight = [sum(self.idf[t] for t in ts) for ts in self.term_sets]
        self._retriever = None
        if self.items and vocab:
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            retriever.index(Tokenized(ids=ids, vocab=dict(vocab)), show_progress=False)
            self._retriever = retriever

    def weight(self, terms: Iterable[str]) -> float:
        return sum(self.idf.get(t, self.max_idf) for t in set(terms))

    def search(self, queries: Sequence[tuple[str, ...]], k: int = CANDIDATES) -> list[list[Hit[T]]]:
        """For each query, its best ``k`` items by BM25, scored and sorted by Dice overlap."""
        out: list[list[Hit[T]]] = [[] for _ in queries]
        if self._retriever is None:
            return out
        known = [[t for t in dict.fromkeys(q) if t in self.vocab] for q in queries]
        asked = [i for i, q in enumerate(known) if q]
        if not asked:
            return out
        k = min(k, len(self.items))
        docs, scores = self._retriever.retrieve(
            [known[i] for i in asked], k=k, show_progress=False, n_threads=0
        )
        for row, i in enumerate(asked):
            q = frozenset(queries[i])
            q_weight = self.weight(q)
            hits: list[Hit[T]] = []
            for j, score in zip(docs[row], scores[row], strict=True):
                if score <= 0:
                    continue
                j = int(j)
                common = sum(self.idf[t] for t in q & self.term_sets[j])
                total = q_weight + self._weight[j]
                hits.append(
                    Hit(
                        self.items[j],
                        j,
                        2 * common / total if total else 0.0,
                        common / q_weight if q_weight else 0.0,
                        common / self._weight[j] if self._weight[j] else 0.0,
                    )
                )
            hits.sort(key=lambda h: -h.dice)
            out[i] = hits
        return out

    def joint_share(self, query: tuple[str, ...], hits: Sequence[Hit[T]]) -> float:
        """Share of the query's weight its two best hits carry together: neighbours in the index
        (a clause split into two sentences), each carrying PART of it."""
        good = sorted((h for h in hits if h.query_share >= PART), key=lambda h: -h.query_share)[:2]
        best = max((h.query_share for h in hits), default=0.0)
        if len(good) < 2 or abs(good[0].position - good[1].position) > NEIGHBOURS:
            return best
        q = frozenset(query)
        weight = self.weight(q)
        union = self.term_sets[good[0].position] | self.term_sets[good[1].position]
        return max(best, sum(self.idf.get(t, self.max_idf) for t in q & union) / weight) if weight else 0.0
