"""Weakening (打折扣): a draft clause against the governing clause it implements.

- ``lower_target``: a quantitative target of the governing clause (``decomposition.extract.targets``)
  is lower in the draft (for a floor or an increase), higher (for a ceiling: 以内, 不超过), a
  smaller reduction (下降3% → 2%), or its floor loosened (不低于90% → 90%左右).
- ``later_deadline``: a deadline of the governing clause (``decomposition.extract.dates``, each side
  read with its own year) is later in the draft, or a "within N years" longer, or gone from a
  clause that otherwise says the same.
- ``softened_obligation``: an obligation word of the governing clause (必须, 确保, 严禁…) is gone and
  a softer one (鼓励, 原则上, 力争…) has come, a hedge (原则上, 视情…) is added to it, or its scope
  is narrowed (全部/所有/全面… gone, 部分/重点/试点… come).

Words are compared as words of ``luoshi.lib.nlp`` (so 可 is not found in 可持续), or as the first two or
three characters of a longer word (尽量避免, 严格执行).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from luoshi.decomposition.extract.dates import TimeExpr, extract_deadlines
from luoshi.decomposition.extract.targets import Target, extract_targets
from luoshi.lib import nlp
from luoshi.review.checks.model import Clause, Decision, Flag, GoverningRef


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STRONG = _words("必须 务必 确保 一律 严格 坚决 严禁 禁止 不得 应当 须 要 全面 切实 坚定不移 不折不扣")
SOFT = frozenset(
    [
        "鼓励",
        "原则上",
        "可",
        "可以",
        "争取",
        "力争",
        "尽量",
        "尽可能",
        "适当",
        "适时",
        "逐步",
        "视情",
        "酌情",
        "有条件",
        "探索",
        "倡导",
        "一般",
        "不宜",
        "宜",
        "允许",
        "稳妥",
        "有序",
        "引导",
        "提倡",
        "考虑",
        "研究",
    ]
)
# Hedges: added in front of an obligation, they soften it even when the obligation word stays.
HEDGES = _words("原则上 一般 尽量 尽可能 视情 酌情 有条件 适时 逐步")
WIDE = _words("全部 所有 全面 全覆盖 各类 一律 全区 全省 全市 全国 各地 各级 普遍 一切 每个")
NARROW = _words("部分 重点 试点 有条件 选择 个别 局部 少数")
# A clause that drops its deadline counts only when it otherwise says nearly the same.
SAME_CLAUSE = 0.7


@dataclass(frozen=True)
class Pair:
    draft: Clause
    decision: Decision
    governing: Clause
    dice: float
    draft_year: int | None


def ref(pair: Pair) -> GoverningRef:
    g = pair.governing
    return GoverningRef(pair.decision.id, pair.decision.title, g.label, g.start, g.end, g.text)


def _cite(pair: Pair) -> str:
    return f"《{pair.decision.title}》{pair.governing.label}"


def _flag(pair: Pair, cls: str, rule: str, basis: str, basis_en: str) -> Flag:
    d = pair.draft
    return Flag(cls, d.start, d.end, d.text, basis, basis_en, rule, ref(pair))


def check_pair(pair: Pair) -> list[Flag]:
    return [*_targets(pair), *_deadlines(pair), *_obligation(pair)]


# ---------------------------------------------------------------- targets
def _unit(t: Target) -> str:
    return (t.unit or "").replace("％", "%")


def _similar(a: str, b: str) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def _weaker(g: Target, d: Target) -> str:
    """How ``d`` is weaker than ``g`` ("" when it is not)."""
    if g.value is None or d.value is None:
        return ""
    if g.bound == "max" or (g.direction == "decrease" and g.change == "to"):
        return "higher_ceiling" if d.value > g.value else ""
    if d.value < g.value:
        return "smaller_cut" if g.direction == "decrease" else "lower"
    if d.value == g.value and g.bound == "min" and d.bound in (None, "approx"):
        return "looser_floor"
    return ""


_TARGET_WORDS = {
    "lower": ("低于", "is lower than"),
    "higher_ceiling": ("高于上限", "exceeds the ceiling"),
    "smaller_cut": ("小于要求的降幅", "is a smaller reduction than"),
    "looser_floor": ("放宽了“不低于”的要求", "loosens the floor of"),
}


def _targets(pair: Pair) -> Iterator[Flag]:
    gov = [t for t in extract_targets(pair.governing.text, qualitative=False) if t.value is not None]
    if not gov:
        return
    mine = [t for t in extract_targets(pair.draft.text, qualitative=False) if t.value is not None]
    used: set[int] = set()
    for g in gov:
        candidates = [(i, d) for i, d in enumerate(mine) if i not in used and _unit(d) == _unit(g)]
        if not candidates:
            continue
        i, d = max(candidates, key=lambda c: (_similar(c[1].metric, g.metric), -abs(c[0] - gov.index(g))))
        used.add(i)
        how = _weaker(g, d)
        if how:
            zh, en = _TARGET_WORDS[how]
            yield _flag(
                pair,
                "lower_target",
                f"target:{how}",
                f"草案目标“{d.text}”{zh}{_cite(pair)}的“{g.text}”。",
                f"The draft's target '{d.text}' {en} '{g.text}' in {_cite(pair)}.",
            )


# ---------------------------------------------------------------- deadlines
_YEARS = {"Y": 365, "M": 30, "D": 1, "W": 7}


def _days(duration: str | None) -> int | None:
    if not duration or not duration.startswith("P"):
        return None
    try:
        return int(duration[1:-1]) * _YEARS[duration[-1]]
    except (KeyError, ValueError):
        return None


def _dated(t: TimeExpr) -> bool:
    return bool(t.end_date or t.duration or (t.kind == "recurring" and t.month))


def _kind(t: TimeExpr) -> str:
    return "date" if t.end_date else "duration" if t.duration else "yearly"


def _is_later(d: TimeExpr, g: TimeExpr) -> bool:
    if g.end_date and d.end_date:
        return d.end_date > g.end_date
    if g.duration and d.duration:
        return (_days(d.duration) or 0) > (_days(g.duration) or 0)
    if g.month and d.month:  # 每年5月底前 → 每年8月底前
        return (d.month, d.day or 31) > (g.month, g.day or 31)
    return False


def _deadlines(pair: Pair) -> Iterator[Flag]:
    gov = [t for t in extract_deadlines(pair.governing.text, reference_year=pair.decision.year) if _dated(t)]
    if not gov:
        return
    mine = [t for t in extract_deadlines(pair.draft.text, reference_year=pair.draft_year) if _dated(t)]
    if not mine:
        if pair.dice >= SAME_CLAUSE:
            g = gov[0]
            yield _flag(
                pair,
                "later_deadline",
                "deadline:dropped",
                f"{_cite(pair)}要求“{g.text}”，草案对应条款未规定期限。",
                f"{_cite(pair)} sets '{g.text}'; the draft's clause sets no deadline.",
            )
        return
    for g in gov:
        same_kind = [d for d in mine if _kind(d) == _kind(g)]
        if not same_kind:
            continue
        if len(same_kind) == len([x for x in gov if _kind(x) == _kind(g)]):
            d = same_kind[[x for x in gov if _kind(x) == _kind(g)].index(g)]
        else:
            where = g.start / max(1, len(pair.governing.text))
            d = min(same_kind, key=lambda x: abs(x.start / max(1, len(pair.draft.text)) - where))
        if _is_later(d, g):
            yield _flag(
                pair,
                "later_deadline",
                "deadline:later",
                f"草案期限“{d.text}”晚于{_cite(pair)}的“{g.text}”。",
                f"The draft's deadline '{d.text}' is later than '{g.text}' in {_cite(pair)}.",
            )


# ---------------------------------------------------------------- obligations and scope
@lru_cache(maxsize=65536)  # each sentence is read against four lexicons, and drafts are checked again
def _segmented(text: str) -> tuple[str, ...]:
    return tuple(nlp.segment(text))


def _counts(text: str, lexicon: frozenset[str]) -> Counter[str]:
    """The lexicon's words in ``text``: as words, or (two characters or more) leading a longer word
    (尽量避免 carries 尽量, 严格执行 carries 严格)."""
    out: Counter[str] = Counter()
    for w in _segmented(text):
        if w in lexicon:
            out[w] += 1
            continue
        for n in (3, 2):
            if len(w) > n and w[:n] in lexicon:
                out[w[:n]] += 1
                break
    return out


def _gone(g: Counter[str], d: Counter[str]) -> list[str]:
    return [w for w in g if g[w] > d.get(w, 0)]


def _obligation(pair: Pair) -> Iterator[Flag]:
    g_text, d_text = pair.governing.text, pair.draft.text
    lost = _gone(_counts(g_text, STRONG), _counts(d_text, STRONG))
    gained = _gone(_counts(d_text, SOFT), _counts(g_text, SOFT))
    hedges = [w for w in gained if w in HEDGES]
    if (lost and gained) or (hedges and _counts(d_text, STRONG)):
        was = "、".join(f"“{w}”" for w in lost) or "原有的约束性表述"
        now = "、".join(f"“{w}”" for w in gained)
        yield _flag(
            pair,
            "softened_obligation",
            "obligation:softened",
            f"{_cite(pair)}的{was}在草案中改为或加上{now}，约束力减弱。",
            f"{_cite(pair)} says {', '.join(lost) or 'it as an obligation'}; the draft says "
            f"{', '.join(gained)}: the obligation is softened.",
        )
        return
    wide_lost = _gone(_counts(g_text, WIDE), _counts(d_text, WIDE))
    narrow_gained = _gone(_counts(d_text, NARROW), _counts(g_text, NARROW))
    if wide_lost and narrow_gained:
        yield _flag(
            pair,
            "softened_obligation",
            "obligation:narrowed",
            f"{_cite(pair)}的范围“{'、'.join(wide_lost)}”在草案中缩小为“{'、'.join(narrow_gained)}”。",
            f"{_cite(pair)} covers '{', '.join(wide_lost)}'; the draft narrows it to "
            f"'{', '.join(narrow_gained)}'.",
        )
