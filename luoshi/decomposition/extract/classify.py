"""Sentence classification: task / recurring / principle / review / other.

Principled and cheap: lexical cue patterns plus the action analysis of
actions.py (which is lexicon-driven, with jieba POS only as a fallback).

Features (see ``sentence_features``)
- actions: clauses whose main verb is a directive action verb (not an
  outcome verb such as 实现/形成/取得, which mark goal statements).
- review: past-achievement cues (过去一年, 五年来, 比上年, 同比, 取得了, 增长了,
  V了…), weighed against future/directive cues (今年, 要, 将, 力争, 到2025年).
- principle: guiding-ideology and goal cues, strong when they frame the
  sentence (sentence-initial 必须 / 以…为… / 坚持以… / 到2025年，+ outcome
  words such as 取得明显成效, 基本建成), weak when embedded (意义, 根本, 是…之本,
  主线, 原则).
- recurring: an explicit period (每月, 每季度, 每年, 按月, 定期…).
- other: salutations (各位代表：), reporting formulas (请予审议), closing
  exhortations (让我们…奋斗！), headings without a verb.

Decision order: other-formula > review > principle (framing) > recurring >
task > principle (embedded) > other.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from .actions import extract_actions, iter_actions
from .dates import extract_recurring

LABELS = ("task", "recurring", "principle", "review", "other")

_ENUM = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百\d]+条)\s*"
)
_OTHER = re.compile(
    r"^(?:各位代表|各位委员|同志们|女士们|先生们|各位)[^。]{0,12}[：:！!，,]?$|请予审议|请.{0,6}提出意见|"
    r"让我们|而努力奋斗|而不懈奋斗|而团结奋斗|奋勇前进[！!]|开拓进取[！!]|砥砺奋进[！!]|"
    r"现在，?我代表|谨向|表示衷心的感谢|表示诚挚的感谢|致以崇高的敬意|致以诚挚的问候|"
    r"^来源|^责任编辑|^记者|^附件|^（此件|^\(此件|^抄送|^印发"
)
_REVIEW = re.compile(
    r"过去(?:的)?(?:一|五|十)?年|一年来|五年来|十年来|这一年|去年|上年|比上年|同比|年均(?:增长|提高)|"
    r"取得了|实现了|增长了|增加了|完成了|达到了|提高了|下降了|降低了|减少了|迈出了|开创了|发生了|"
    r"作出了|推动了|出台了|实施了|建成了|形成了|得到了|解决了|突破了|超过了|经受住了|战胜了|"
    r"取得(?:新|重大|显著|明显|积极|决定性|历史性)|迈上新台阶|跃上新台阶|"
    r"极不平凡|来之不易|这些成绩|历史性成就|成绩的取得|累计(?:完成|实现|建成|减少|新增)|已经|已(?:建成|完成|实现)|"
    r"分别达|预计全年|全年(?:地区)?(?:国内)?生产总值"
)
_FUTURE = re.compile(
    r"今年|明年|今后|未来|(?<![重主需只纲摘概])要|(?<![即必])将|必须|力争|确保|拟|到20\d\d年|20\d\d年(?:底|末)?前|"
    r"预期目标|目标是|目标为"
)
_PRINCIPLE_FRAME = re.compile(
    r"^(?:必须|始终|坚持以|以[^，。]{1,40}为(?:指导|主线|引领|统领|核心|根本|中心|重点|抓手|目标|导向)|"
    r"指导思想|基本原则|总体要求|主要目标|工作目标|发展目标|"
    r"到(?:20\d\d年|本世纪中叶|“十[四五六]五”末)[^。]{0,6}[，,][^。]*(?:取得|基本形成|基本建成|显著|明显|"
    r"全面建成|基本实现|迈上|更加完善|进一步(?:提升|增强|完善)|大幅|持续(?:提升|改善)|达到|进入|形成|实现))"
)
_PRINCIPLE_CUE = re.compile(
    r"为指导|为主线|为引领|为统领|为根本|的根本|之本|之源|根本(?:保证|动力|目的|遵循|任务)|"
    r"重大意义|深远意义|意义重大|决定性意义|的意义|的关键|关键在于|是[^，。]{1,20}的(?:主线|基础|前提|核心|关键)|"
    r"原则|指导思想|总体要求|必须坚持|不动摇|基本方略|根本宗旨|重中之重|生命线|"
    r"取得明显成效|取得显著成效|取得重大进展|基本形成|基本建成"
)
_SOFT_FRAME = re.compile(
    r"(?:坚持)?以[^，。]{1,40}为(?:指导|主线|引领|统领|核心|根本|中心|重点|抓手|目标|导向)[，,]"
)
_OUTCOME_VERBS = frozenset(["实现", "形成", "达到", "取得", "建成", "基本建成", "全面建成", "成为", "迈上"])
_RECUR_PERIODIC = frozenset(["daily", "weekly", "monthly", "quarterly", "semiannual", "yearly"])
_RECUR_HINT = re.compile(r"每|按|定期")
_V_LE = re.compile(r"[\u4e00-\u9fff]了(?![解结却])")


def sentence_features(text: str) -> dict[str, Any]:
    """The cues classify_sentence decides on (for inspection and tuning)."""
    body = _ENUM.sub("", text, count=1).strip()
    return {
        "body": body,
        "other": bool(_OTHER.search(body)),
        "actions": _action_count(body, limit=None),
        "review": _review_hits(body),
        "future": len(_FUTURE.findall(body)),
        "principle_frame": bool(_PRINCIPLE_FRAME.search(body)),
        "principle_cues": len(_PRINCIPLE_CUE.findall(body)),
        "periodic": _periodic(body),
        "ends_colon": body.endswith(("：", ":")),
        # 坚持以…为引领，完善… frames a list of tasks rather than stating a principle.
        "soft_frame": bool(_SOFT_FRAME.match(body)),
    }


def _action_count(body: str, limit: int | None) -> int:
    """Directive actions among the first ``limit`` actions of the text."""
    return sum(a.core not in _OUTCOME_VERBS for a in extract_actions(body, use_pos=False, limit=limit))


def _directive_count(body: str, enough: int) -> int:
    """``_action_count(body, 3)``, but counting stops at ``enough``."""
    count = 0
    for act in islice(iter_actions(body, use_pos=False), 3):
        if act.core not in _OUTCOME_VERBS:
            count += 1
            if count >= enough:
                break
    return count


def _review_hits(body: str) -> int:
    return len(_REVIEW.findall(body)) + len(_V_LE.findall(body)) // 2


def _periodic(body: str) -> bool:
    if not _RECUR_HINT.search(body):
        return False
    return any(r.recurrence in _RECUR_PERIODIC or r.text == "定期" for r in extract_recurring(body))


def classify_sentence(text: str) -> str:
    """One of "task", "recurring", "principle", "review", "other".

    The decision order of the module docstring; each cue is computed only
    when the decision reaches it (the action analysis is the costly one).
    """
    body = _ENUM.sub("", text, count=1).strip()
    if not body or _OTHER.search(body):
        return "other"
    if body.endswith(("：", ":")) and len(body) <= 16 and not _directive_count(body, 1):
        return "other"
    review = _review_hits(body)
    if review:
        future = len(_FUTURE.findall(body))
        if review > future or not future:
            return "review"
    if _PRINCIPLE_FRAME.search(body) and not (_SOFT_FRAME.match(body) and _directive_count(body, 2) >= 2):
        return "principle"
    if _directive_count(body, 1):
        return "recurring" if _periodic(body) else "task"
    return "principle" if _PRINCIPLE_CUE.search(body) else "other"
