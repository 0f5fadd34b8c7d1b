"""Suggest the units responsible for a task.

Two sources, in this order:

1. ``text``: units the task text names itself.  The unit a clause marks as
   lead (``由财政部牵头``, ``体育总局、民政部负责``) comes first, then the
   others in order of appearance (the first listed unit leads by convention).
2. ``content``: every other functional unit, ranked by how well the task text
   (plus its heading path as lighter context) matches the unit's name,
   aliases and functions (三定职能).  Scores are BM25 weights computed by
   ``bm25s`` over words from ``luoshi.lib.nlp``; the unit's name words count
   twice (a text about 体育 or 海关 points at the unit named for it) and
   generic policy verbs are ignored.

The BM25 term x unit weight matrix is built once per catalog and cached on
the catalog, so a suggestion is a sparse dot product (~1 ms).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Literal

import numpy as np

from luoshi.catalogs.catalog import Catalog, Mention, Unit
from luoshi.catalogs.history import History, Votes
from luoshi.lib import nlp

Source = Literal["text", "content", "history", "table"]

_CACHE_KEY = "suggest-index"
_lock = threading.Lock()

# Weight of the optional context (heading path) relative to the task text.
CONTEXT_WEIGHT = 0.5
# Extra weight for a repeated word in the text (sublinear).
REPEAT_WEIGHT = 0.3
# BM25 parameters.  Unit descriptions differ in length because some units
# have more functions, not because their topic is diluted, so length
# normalisation is milder than the usual b=0.75.
BM25_K1 = 1.5
BM25_B = 0.3
# How much less the last word of a text weighs than the first.
POSITION_DECAY = 0.7
# Content scores stay below explicitly named units.
CONTENT_CEILING = 0.9
# Weight of what the office assigned before for similar tasks (``History``), against the best content
# match's 1.0; and of the document's own leaning (``prior``: the units its title and text point at).
HISTORY_WEIGHT = 0.6
PRIOR_WEIGHT = 0.5
# How much a word found in every paragraph of the document loses (share x damping).
COMMON_DAMPING = 1.0

# Units that are places, not functional departments: never content-suggested.
_NON_FUNCTIONAL_KINDS = frozenset({"league_city", "county", "local_government"})

_HAS_WORD_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_NUMBERING = re.compile(r"^[0-9０-９一二三四五六七八九十百〇]+$")

# Structural words of unit names and generic policy vocabulary: they say how
# work is done, not what it is about, so they do not point at any unit.
_STOPWORDS_TEXT = """
    国家 中国 中华 中华人民共和国 全国 中央 中共 国务院 自治区 内蒙古 委员会 委员 总局 管理局 办公室
    办公厅 人民政府 政府 部门 单位 机构 负责 工作 有关 相关 推进 推动 加强 加快 完善 健全 建立 建设
    实施 开展 组织 积极 进一步 支持 鼓励 提高 提升 促进 落实 贯彻 坚持 强化 深化 优化 着力 大力
    持续 全面 不断 切实 研究 制定 拟订 指导 协调 统筹 管理 监督 负责同志 以及 各类 各级 各地 地方
    重点 重要 重大 主要 有效 合理 依法 按照 根据 通过 围绕 方面 领域 问题 情况 措施 政策 机制 制度
    能力 水平 发展 任务 要求 方式 模式 其他 进行 给予 予以 实行 实现 形成 确保
    做好 抓好 用好 加大 力度 条件 符合 规定 现行 可以 应当 不得 对于 关于 一批 一些 一定 年度
    成效 明显 显著 突出 较好 良好 优先 适当 倾斜 探索 引导 规范 保障 安排 分配 统一 行政区域 省区 省份
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())

# Units that rarely lead policy work (institutions, people's organisations,
# party and judicial bodies, bureaus under a ministry) are down-weighted a
# little, so that on a weak match the functional ministry comes first.
KIND_PRIOR: dict[str, float] = {
    "ministry": 1.0,
    "commission": 1.0,
    "agency": 1.0,
    "office": 0.95,
    "bureau": 0.9,
    "party": 0.85,
    "people_org": 0.8,
    "institution": 0.8,
    "judicial": 0.8,
}

# Single characters that carry domain meaning on their own.
_DOMAIN_CHARS: frozenset[str] = frozenset("税粮煤电油气水林草矿药奶羊牛")


# The reasons' Chinese labels (``why``); pages say them in their own language from ``source``.
CONTENT_REASON = "职能匹配"
TEXT_REASON = "原文点名"
HISTORY_REASON = "以往分工"


@dataclass(frozen=True)
class Suggestion:
    unit_code: str
    unit_name: str
    score: float
    why: str  # the reason in Chinese, for the command line and the evaluation (pages compose their own)
    source: Source
    keywords: tuple[str, ...] = ()  # the duty words matched ("content") or the words quoted ("text")


def _expand(word: str) -> tuple[str, ...]:
    """A long word plus its dictionary sub-words (体育赛事 -> 体育, 赛事)."""
    out = [word]
    n = len(word)
    if n >= 3:
        for size in range(n - 1, 1, -1):
            for i in range(0, n - size + 1):
                sub = word[i : i + size]
                if sub not in STOPWORDS and nlp.is_word(sub):
                    out.append(sub)
    return tuple(out)


def terms(text: str) -> list[str]:
    """Content words of ``text`` for matching (with sub-words of long words)."""
    return list(_terms(text))


@lru_cache(maxsize=1024)  # heading paths repeat for every task below them
def _terms(text: str) -> tuple[str, ...]:
    return _terms_of(nlp.segment(text))


def terms_of(words: Iterable[str]) -> tuple[str, ...]:
    """Content words of already segmented words (with sub-words of long words)."""
    return _terms_of(words)


def _terms_of(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(chain.from_iterable(map(_word_terms, words)))


@lru_cache(maxsize=65536)  # words recur across tasks and documents
def _word_terms(word: str) -> tuple[str, ...]:
    """The matching terms one segmented word contributes (often none)."""
    w = word.strip()
    if not w or not _HAS_WORD_CHAR.search(w) or _NUMBERING.match(w):
        return ()
    if len(w) == 1:
        return (w,) if w in _DOMAIN_CHARS else ()
    if w in STOPWORDS:
        return ()
    return _expand(w)


class _Index:
    """BM25 weights of every vocabulary term for every functional unit."""

    def __init__(self, catalog: Catalog) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build
        self.units: list[Unit] = [u for u in catalog.units if u.kind not in _NON_FUNCTIONAL_KINDS]
        docs: list[list[str]] = []
        for u in self.units:
            name_terms = terms(" ".join(u.surfaces))
            # Name words count twice: the unit named for a domain owns it.
            docs.append(name_terms + name_terms + terms(u.functions))
        self.doc_terms: list[set[str]] = [set(d) for d in docs]
        vocab = sorted({t for d in docs for t in d})
        self.vocab: dict[str, int] = {t: i for i, t in enumerate(vocab)}
        self.words: list[str] = vocab
        self.prior = np.array([KIND_PRIOR.get(u.kind, 0.9) for u in self.units], dtype=np.float32)
        self.codes: list[str] = [u.code for u in self.units]
        self.position: dict[str, int] = {c: j for j, c in enumerate(self.codes)}
        retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        retriever.index(
            bm25s.tokenization.Tokenized(
                ids=[[self.vocab[t] for t in d] for d in docs],
                vocab=dict(self.vocab),
            ),
            show_progress=False,
        )
        matrix = np.zeros((len(vocab), len(self.units)), dtype=np.float32)
        for t, i in self.vocab.items():
            matrix[i] = retriever.get_scores([t])
        self.matrix = matrix
        self._context_weights: dict[str, dict[int, float]] = {}

    def query_weights(
        self,
        text: str,
        context: str,
        text_words: Sequence[str] | None = None,
        common: Callable[[str], float] | None = None,
    ) -> dict[int, float]:
        text_terms = _terms_of(text_words) if text_words is not None else _terms(text)
        weights = self._weights(text_terms, 1.0)
        if common is not None:
            # A word in most paragraphs of the document (综合保税区 in a decision on them) says what the
            # document is about, which the document's prior carries; in one task it tells little.
            for t in set(text_terms):
                i = self.vocab.get(t)
                if i is not None and i in weights:
                    weights[i] *= 1.0 - COMMON_DAMPING * common(t)
        if context:
            cached = self._context_weights.get(context)
            if cached is None:
                if len(self._context_weights) > 4096:
                    self._context_weights.clear()
                cached = self._context_weights[context] = self._weights(_terms(context), CONTEXT_WEIGHT)
            for i, w in cached.items():
                weights[i] = weights.get(i, 0.0) + w
        return weights

    def _weights(self, words: Sequence[str], base: float) -> dict[int, float]:
        weights: dict[int, float] = {}
        if not words:
            return weights
        counts = Counter(words)
        last = len(words) - 1
        # Position of each word's first occurrence (pairs in reverse: the earliest is set last).
        first = dict(zip(reversed(words), range(last, -1, -1), strict=True))
        n = max(1, last)
        for t, c in counts.items():
            i = self.vocab.get(t)
            if i is None:
                continue
            # Policy tasks state their subject first and the instruments
            # (funds, approvals) later: earlier words weigh a little more.
            position = 1.0 - POSITION_DECAY * first[t] / n
            weights[i] = base * position * (1.0 + REPEAT_WEIGHT * math.log(c))
        return weights


def _index(catalog: Catalog) -> _Index:
    idx = catalog.cache.get(_CACHE_KEY)
    if idx is None:
        with _lock:
            idx = catalog.cache.get(_CACHE_KEY)
            if idx is None:
                idx = _Index(catalog)
                catalog.cache[_CACHE_KEY] = idx
    assert isinstance(idx, _Index)
    return idx


def _explicit(mentions: list[Mention], text: str) -> list[tuple[Mention, str]]:
    """Units named in the text, lead-marked first, then in order of appearance."""
    seen: dict[str, Mention] = {}
    for m in mentions:
        prev = seen.get(m.unit_code)
        if prev is None or (m.lead and not prev.lead):
            seen[m.unit_code] = m
    ordered = sorted(seen.values(), key=lambda m: (not m.lead, m.start))
    out: list[tuple[Mention, str]] = []
    for m in ordered:
        if m.lead:
            snippet = _lead_snippet(text, m)
            out.append((m, snippet))
        else:
            out.append((m, m.text))
    return out


def _mask(text: str, mentions: list[Mention]) -> str:
    if not mentions:
        return text
    parts: list[str] = []
    pos = 0
    for m in mentions:
        parts.append(text[pos : m.start])
        parts.append("，")
        pos = m.end
    parts.append(text[pos:])
    return "".join(parts)


def _masked_context(context: str, catalog: Catalog) -> str:
    """The context with unit names masked, memoised (heading paths repeat)."""
    memo: dict[str, str] = catalog.cache.setdefault("masked_context", {})
    if context not in memo:
        if len(memo) > 4096:
            memo.clear()
        memo[context] = _mask(context, catalog.find_name(context))
    return memo[context]


def _lead_snippet(text: str, m: Mention) -> str:
    start = m.start
    if start > 0 and text[start - 1] == "由":
        start -= 1
    end = m.end
    tail = re.match(r"[^，,。；;：:（）()\n]{0,24}?(?:总牵头|牵头|负责|主管|主责|主办|抓总)", text[end:])
    if tail:
        end += tail.end()
    return text[start:end]


@dataclass(frozen=True)
class Evidence:
    """What a suggestion may draw on besides the catalog: the office's past divisions and the document.

    ``history``: confirmed tasks (``History``); ``prior``: unit code -> 0..1, how strongly the document as
    a whole points at the unit (its title, the units it names); ``leave_out_quoted``: past tasks the task
    quotes do not vote (measuring on past divisions).
    """

    history: History | None = None
    prior: Mapping[str, float] | None = None
    leave_out_quoted: bool = False
    common: Callable[[str], float] | None = None  # a word's share of the document's paragraphs


NO_EVIDENCE = Evidence()


def suggest_units(
    text: str,
    catalog: Catalog,
    *,
    context: str = "",
    k: int = 5,
    tokens: Sequence[nlp.Token] | None = None,
    evidence: Evidence = NO_EVIDENCE,
) -> list[Suggestion]:
    """Up to ``k`` units for a task, best first (see module docstring).

    ``tokens``: the words of ``text`` with offsets, when the caller has
    segmented a larger text already (saves segmenting twice).
    """
    return suggest_units_many(
        text, [(0, len(text))], catalog, context=context, k=k, tokens=tokens, evidence=evidence
    )[0]


def suggest_units_many(
    text: str,
    spans: Sequence[tuple[int, int]],
    catalog: Catalog,
    *,
    context: str = "",
    k: int = 5,
    tokens: Sequence[nlp.Token] | None = None,
    evidence: Evidence = NO_EVIDENCE,
) -> list[list[Suggestion]]:
    """``suggest_units`` for each piece ``text[start:end]`` of ``spans``, in one go.

    The pieces (the subtasks of a task) share the ``context``; their content
    scores come from one batched product with the BM25 matrix, and the
    "why" words are looked up only for the units returned.  ``tokens``: the
    words of ``text`` with offsets relative to ``text``, in order; a piece
    gets the tokens lying inside it.
    """
    if k <= 0:
        return [[] for _ in spans]
    idx = _index(catalog)
    masked_context = _masked_context(context, catalog)
    starts = [t.start for t in tokens] if tokens is not None else []
    ends = [t.end for t in tokens] if tokens is not None else []
    results: list[list[Suggestion]] = []
    queries: list[_Query] = []  # pieces still needing units beyond the named ones
    for start, end in spans:
        piece = text[start:end]
        mentions = catalog.find_name(piece)
        out = _text_suggestions(piece, mentions, k)
        results.append(out)
        if len(out) >= k:
            continue
        # Names of units (in the text or the heading) are not content: mask them.
        words = None
        if tokens is not None:
            inside = tokens[bisect_left(starts, start) : bisect_right(ends, end)]
            words = (
                [t.word for t in inside]
                if not mentions
                else [
                    t.word
                    for t in inside
                    if not any(t.start - start < m.end and m.start < t.end - start for m in mentions)
                ]
            )
        masked = _mask(piece, mentions)
        weights = idx.query_weights(masked, masked_context, text_words=words, common=evidence.common)
        votes = Votes()
        if evidence.history is not None and len(evidence.history):
            query_terms = list(_terms_of(words) if words is not None else _terms(masked)) + list(
                _terms(masked_context)
            )
            votes = evidence.history.votes(
                query_terms, text=piece, leave_out_quoted=evidence.leave_out_quoted
            )
        if weights or votes.lead or evidence.prior:
            queries.append(_Query(len(results) - 1, weights, votes))
    if queries:
        _add_content(idx, queries, results, k, evidence.prior or {})
    return results


@dataclass
class _Query:
    piece: int
    weights: dict[int, float]
    votes: Votes


def _text_suggestions(text: str, mentions: list[Mention], k: int) -> list[Suggestion]:
    out: list[Suggestion] = []
    for rank, (m, quoted) in enumerate(_explicit(mentions, text)):
        score = 1.0 if rank == 0 else max(0.91, 0.99 - 0.01 * rank)
        out.append(Suggestion(m.unit_code, m.unit_name, score, f"{TEXT_REASON}“{quoted}”", "text", (quoted,)))
        if len(out) >= k:
            break
    return out


def _add_content(
    idx: _Index,
    queries: list[_Query],
    results: list[list[Suggestion]],
    k: int,
    prior: Mapping[str, float],
) -> None:
    """Append content (and history) suggestions to ``results[piece]`` for each query.

    ``contrib[r]`` holds query r's term x unit BM25 contributions (terms
    padded with zero weights to a common length); a unit's content score is
    the sum of its column times the unit's kind prior, relative to the best
    unit's and scaled by the best's confidence.  To it are added the past
    tasks' lead votes (times their confidence) and the document's prior; the
    "why" of a suggested unit is the terms contributing most to it, or the
    past tasks when they count for more.
    """
    width = max(1, max(len(q.weights) for q in queries))
    lengths = np.array([len(q.weights) for q in queries])
    filled = np.arange(width) < lengths[:, None]  # row-major, like the lists below
    ids = np.zeros(filled.shape, dtype=np.int64)
    w = np.zeros(filled.shape, dtype=np.float32)
    ids[filled] = list(chain.from_iterable(q.weights for q in queries))
    w[filled] = list(chain.from_iterable(q.weights.values() for q in queries))
    contrib = idx.matrix[ids] * w[:, :, None]  # queries x terms x units
    raw = contrib.sum(axis=1) * idx.prior
    best = raw.max(axis=1, initial=0.0)
    confidence = best / (best + 4.0)
    content = np.where(best[:, None] > 0, raw / np.maximum(best, 1e-9)[:, None] * confidence[:, None], 0.0)
    extra = np.zeros_like(content)
    codes = idx.codes
    prior_row = np.array([prior.get(c, 0.0) for c in codes], dtype=np.float32) * PRIOR_WEIGHT
    for r, q in enumerate(queries):
        if q.votes.lead:
            for code, share in q.votes.lead.items():
                j = idx.position.get(code)
                if j is not None:
                    extra[r, j] += HISTORY_WEIGHT * q.votes.confidence * share
        extra[r] += prior_row
    final = content + extra
    order = np.argsort(-final, axis=1, kind="stable")[:, :k]
    picks: list[tuple[int, int, float]] = []  # (query, unit, score)
    for r, q in enumerate(queries):
        out = results[q.piece]
        taken = {s.unit_code for s in out} if out else set()
        room = k - len(out)
        for j in order[r].tolist():
            f = float(final[r, j])
            if f <= 0 or room <= 0:
                break
            if codes[j] not in taken:
                picks.append((r, j, max(1e-4, round(min(CONTENT_CEILING, CONTENT_CEILING * f), 4))))
                room -= 1
    if not picks:
        return
    rows = np.array([p[0] for p in picks])[:, None]
    cols = contrib[rows[:, 0], :, [p[1] for p in picks]]  # picks x terms
    top = np.argsort(-cols, axis=1, kind="stable")[:, :4]
    positive = cols[np.arange(len(picks))[:, None], top] > 0
    top_terms = np.where(positive, ids[rows, top], -1).tolist()
    names = idx.words
    for (r, j, score), term_ids in zip(picks, top_terms, strict=True):
        q = queries[r]
        unit = idx.units[j]
        past = q.votes.because.get(unit.code, [])
        # The past tasks are the reason given when they count for half the content match or more.
        if past and extra[r, j] - prior_row[j] >= 0.5 * content[r, j]:
            matched = tuple(dict.fromkeys(past))[:3]
            suggestion = Suggestion(
                unit.code, unit.name, score, HISTORY_REASON + "：" + "、".join(matched), "history", matched
            )
        else:
            words = [names[t] for t in term_ids if t >= 0]
            matched = tuple(_outermost(words) if len(words) > 1 else words)
            suggestion = Suggestion(
                unit.code, unit.name, score, CONTENT_REASON + "：" + "、".join(matched), "content", matched
            )
        results[q.piece].append(suggestion)


def _outermost(words: list[str]) -> list[str]:
    """Drop words contained in another listed word (体育 inside 体育赛事)."""
    joined = "\n".join(words)  # distinct words: one occurrence means only itself
    return [x for x in words if joined.count(x) == 1]


def warm_up(catalog: Catalog) -> None:
    """Build (and cache) the catalog's suggestion index now."""
    _index(catalog)


# Weight of the past tasks' co-unit votes when ranking co-units, against a suggestion's own score.
HISTORY_CO_WEIGHT = 0.8


def suggest_co_units(
    text: str,
    suggestions: Sequence[Suggestion],
    catalog: Catalog,
    *,
    context: str = "",
    k: int = 5,
    evidence: Evidence = NO_EVIDENCE,
) -> list[Suggestion]:
    """Up to ``k`` co-operating units (配合单位) for a task whose lead is ``suggestions[0]``.

    1. Units the text names after the lead, in order.
    2. The other suggested units and the units past similar tasks had as co-units, by the suggestion's
       score plus the past tasks' co-unit votes (times their confidence and ``HISTORY_CO_WEIGHT``).
    """
    if not suggestions:
        return []
    lead = suggestions[0].unit_code
    named = [s for s in suggestions[1:] if s.source == "text"]
    votes = Votes()
    if evidence.history is not None and len(evidence.history):
        masked = _mask(text, catalog.find_name(text))
        votes = evidence.history.votes(
            list(_terms(masked)) + list(_terms(_masked_context(context, catalog))),
            text=text,
            leave_out_quoted=evidence.leave_out_quoted,
        )
    scores: dict[str, float] = {}
    by_code: dict[str, Suggestion] = {}
    for s in suggestions[1:]:
        if s.source != "text":
            scores[s.unit_code] = s.score
            by_code[s.unit_code] = s
    for code, share in votes.co.items():
        if code in catalog.by_code:
            scores[code] = scores.get(code, 0.0) + HISTORY_CO_WEIGHT * votes.confidence * share
    taken = {lead, *(s.unit_code for s in named)}
    ranked = sorted((c for c in scores if c not in taken), key=lambda c: -scores[c])
    out = list(named[:k])
    for code in ranked[: max(0, k - len(out))]:
        found = by_code.get(code)
        past = votes.because_co.get(code) or []
        if found is None or (
            code in votes.co and found.score < HISTORY_CO_WEIGHT * votes.confidence * votes.co[code]
        ):
            unit = catalog.by_code[code]
            matched = tuple(dict.fromkeys(past))[:3] or (HISTORY_REASON,)
            found = Suggestion(
                code,
                unit.name,
                round(min(CONTENT_CEILING, scores[code]), 4),
                HISTORY_REASON + "：" + "、".join(matched),
                "history",
                matched,
            )
        out.append(found)
    return out
