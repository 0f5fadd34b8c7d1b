"""Quantitative and qualitative targets.

Quantitative: a number (Arabic, or a Chinese numeral before a magnitude or
measure word) followed by a measure unit from a closed list, with optional
qualifiers on either side (不低于…/…以上, 左右, 以内…), e.g. "增长6%左右",
"城镇新增就业1100万人以上", "达到1.35亿千瓦", "翻一番".  Numbers that are
dates (2025年), document numbers (〔2018〕117号, 3号), ordinals (第二十一)
or list labels ("1.") never reach the unit check.  ``metric`` is the noun
phrase before the change verb, delimited by clause punctuation and trimmed
of framing words (今年, 力争, 确保…).

Qualitative: a goal verb (打造, 建成, 成为, 进入, 实现…) whose object ends in
a goal noun (基地, 示范区, 高地, 前列, 全覆盖…) or carries a ranking word
(全国最大, 全球领先, 一流…); coordinated goals ("A基地和B基地") become
separate targets.

``is_past`` is set when the sentence reads as a report of achievements
(增长了, 比上年, 过去, 五年来, 同比…).  It is a cheap lexical signal; the
task builder also knows the section a sentence comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._common import Bounds, cn_to_int, flat_asdict


@dataclass
class Target:
    """A target statement.

    kind: "quantitative" or "qualitative".
    value/value_max: the number as printed (value_max for ranges 6%-6.5%).
    unit: measure as printed ("%", "万人", "亿千瓦", "倍", "个百分点").
    qualifier: 以上/以内/左右/不低于/… ("" when none).
    bound: "min" (以上, 不低于), "max" (以内, 不超过), "approx" (左右) or None.
    metric: what is measured ("城镇新增就业"), or the goal for qualitative.
    direction: "increase", "decrease", "reach" or None.
    change: "by" (增长6%) or "to" (提高到60%, 达到…) or None.
    """

    text: str
    kind: str
    start: int
    end: int
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    qualifier: str = ""
    bound: str | None = None
    metric: str = ""
    direction: str | None = None
    change: str | None = None
    is_past: bool = False

    def to_dict(self) -> dict[str, Any]:
        return flat_asdict(self)


# ---------------------------------------------------------------- quantitative
_MEASURES = sorted(
    [
        "%",
        "％",
        "‰",
        "个百分点",
        "百分点",
        "倍",
        "元",
        "美元",
        "欧元",
        "人民币",
        "元/人",
        "人次",
        "人",
        "户",
        "家",
        "个",
        "项",
        "所",
        "座",
        "台",
        "辆",
        "套",
        "艘",
        "架",
        "吨标准煤",
        "吨",
        "千克",
        "公斤",
        "斤",
        "担",
        "千瓦时",
        "千瓦",
        "兆瓦",
        "吉瓦",
        "瓦",
        "度",
        "千伏",
        "伏",
        "亩",
        "公顷",
        "平方公里",
        "平方千米",
        "平方米",
        "立方米",
        "方",
        "公里",
        "千米",
        "米",
        "标准箱",
        "TEU",
        "GW",
        "MW",
        "kW",
        "张床位",
        "张",
        "床",
        "册",
        "场",
        "款",
        "篇",
        "支",
        "处",
        "栋",
        "间",
        "片",
        "条",
        "个县",
        "个村",
        "个乡镇",
        "名",
        "位",
        "批",
        "件",
        "头",
        "只",
        "株",
        "棵",
    ],
    key=len,
    reverse=True,
)
_MAGNITUDES = "万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_NUM = r"[一二两三四五六七八九十百千]+"
_PRE_QUAL = "不低于|不少于|不超过|不高于|不多于|至少|超过|高于|低于|力争|约|接近|将近|近|逾|突破"
_POST_QUAL = "以上|以下|以内|之内|左右|上下|多|余"
_DASH = r"(?:[-—–－~～]{1,2}|至|到)"

_PRE_QUALS = tuple(sorted(_PRE_QUAL.split("|"), key=len, reverse=True))
RE_QUANT = re.compile(
    rf"(?:(?P<num>{_NUM})|(?P<cn>{_CN_NUM})(?=万亿|亿|千万|百万|万|%|％|倍|个百分点|百分点))"
    rf"(?:(?P<unit1>%|％)?{_DASH}(?P<num2>{_NUM}))?"
    rf"(?P<mag>{_MAGNITUDES})?"
    rf"(?P<unit>{'|'.join(re.escape(u) for u in _MEASURES)})?"
    rf"(?P<post>{_POST_QUAL})?"
)
RE_DOUBLE = re.compile(r"(?:翻一番|翻两番|翻番|翻了一番|翻了两番)")
# Units allowed after a Chinese numeral (avoid 一个, 两项 etc. as targets).
_CN_OK_UNITS = {"%", "％", "倍", "个百分点", "百分点"}

_QUAL_BOUND = {
    "以上": "min",
    "不低于": "min",
    "不少于": "min",
    "至少": "min",
    "超过": "min",
    "高于": "min",
    "突破": "min",
    "逾": "min",
    "多": "min",
    "余": "min",
    "以下": "max",
    "以内": "max",
    "之内": "max",
    "不超过": "max",
    "不高于": "max",
    "不多于": "max",
    "低于": "max",
    "左右": "approx",
    "上下": "approx",
    "约": "approx",
    "近": "approx",
    "接近": "approx",
    "将近": "approx",
    "力争": None,
}

_INCREASE = (
    "增长",
    "增加",
    "提高",
    "提升",
    "上升",
    "扩大",
    "增至",
    "新增",
    "多增",
    "增收",
    "增产",
    "翻",
    "倍增",
    "拓展",
    "上涨",
    "涨幅",
)
_DECREASE = (
    "下降",
    "降低",
    "减少",
    "降至",
    "压减",
    "压缩",
    "削减",
    "缩小",
    "缩减",
    "回落",
    "降到",
    "减排",
    "减到",
    "控制",
    "压降",
    "下调",
)
_REACH = ("达到", "达", "突破", "超过", "稳定在", "保持在", "保持", "实现", "完成", "为", "是")
_CHANGE_VERBS = sorted(
    set(_INCREASE + _DECREASE + _REACH + ("控制在", "稳定", "力争")), key=len, reverse=True
)
RE_VERB_TAIL = re.compile(rf"(?P<verb>{'|'.join(_CHANGE_VERBS)})(?P<to>到|至|在|为)?(?P<adv>[了约近])?$")
# Leading framing stripped from a metric.
RE_METRIC_LEAD = re.compile(
    r"^(?:(?:今年|明年|全年|年内|到\d{4}年(?:底|末)?|\d{4}年|力争|确保|争取|努力|推动|促进|使|让|要|将|"
    r"预计|预期|实现|其中|主要|目标是|目标为|总体|同时|并|和|及|以及|共|全面|累计|基本)"
    r"[，、：]?)+"
)
_PAST_MARKERS = re.compile(
    r"增长了|增加了|提高了|下降了|降低了|减少了|实现了|达到了|完成了|突破了|超过了|"
    r"比上年|比去年|同比|上年|去年|过去|五年来|一年来|以来|累计(?:完成|实现|建成)|已经|已达|已建成|"
    r"分别达|预计全年"
)
_COUNT_UNITS = frozenset(["个", "名", "位", "条", "件", "批", "场", "处", "片", "间", "支", "项", "家"])
_BAD_BEFORE = set("第〔[［(（#№NnVv.-/")
_BAD_AFTER_NUM = (
    "年",
    "月",
    "日",
    "号",
    "届",
    "次会议",
    "周年",
    "时",
    "世纪",
    "代",
    "点",
    "级",
    "版",
    "条",
    "章",
    "款",
    "节",
    "G",
    "D",
    "C",
    "期",
)


def _as_float(s: str | None) -> float | None:
    if s is None:
        return None
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def _direction(verb: str) -> str | None:
    if verb.startswith(("控制",)):
        return "reach"
    for group, name in ((_DECREASE, "decrease"), (_INCREASE, "increase"), (_REACH, "reach")):
        if any(verb.startswith(v) for v in group):
            return name
    return None


def _metric(text: str, clause_start: int, verb_start: int) -> str:
    raw = text[clause_start:verb_start].strip()
    if "、" in raw:
        raw = raw[raw.rfind("、") + 1 :]
    if "从" in raw:
        raw = raw[: raw.rfind("从")]
    raw = RE_METRIC_LEAD.sub("", raw)
    raw = raw.strip("“”\"' ")
    if len(raw) > 24:
        raw = raw[-24:]
    return raw


def _quantitative(text: str, bounds: Bounds) -> list[Target]:
    out: list[Target] = []
    for m in RE_QUANT.finditer(text):
        num, cn, unit, mag = m["num"], m["cn"], m["unit"], m["mag"]
        post = m["post"] or ""
        s, e = m.start(), m.end()
        nstart = s
        before = text[max(0, s - 3) : s]
        pre = next((q for q in _PRE_QUALS if before.endswith(q)), "")
        s -= len(pre)
        if nstart > 0 and text[nstart - 1] in _BAD_BEFORE:
            continue
        if nstart > 0 and (
            text[nstart - 1].isdigit() or (text[nstart - 1].isascii() and text[nstart - 1].isalpha())
        ):
            continue
        unit_s = (mag or "") + (unit or "")
        if unit is None and m["unit1"]:
            unit_s = m["unit1"]
        if not unit_s:
            continue
        if unit is None and not (mag and post) and not m["unit1"]:
            # 1000万以上 is fine (implied unit); a bare 万 is not.
            continue
        tail = text[e : e + 4]
        if unit is None and tail.startswith(_BAD_AFTER_NUM):
            continue
        if (
            unit in _COUNT_UNITS
            and not mag
            and not post
            and not pre
            and not RE_VERB_TAIL.search(text[max(0, s - 6) : s])
        ):
            # "3个方面", "5项措施": counts of things, rarely targets alone.
            continue
        if cn is not None:
            if unit not in _CN_OK_UNITS and not mag:
                continue
            value = float(cn_to_int(cn) or 0) or None
        else:
            value = _as_float(num)
        cs, _ce = bounds.clause(s)
        # The change verb directly before the number.
        vm = RE_VERB_TAIL.search(text[max(cs, s - 8) : s])
        verb_start = s
        direction: str | None = None
        change: str | None = None
        if vm:
            verb_start = max(cs, s - 8) + vm.start()
            direction = _direction(vm["verb"])
            change = "to" if vm["to"] or direction == "reach" else "by"
        metric = _metric(text, cs, verb_start)
        if direction is None and pre in ("超过", "突破", "逾", "接近", "将近"):
            direction, change = "reach", "to"
        if direction is None:
            if any(w in metric for w in ("新增", "增长", "增加")) or metric.endswith(("涨幅",)):
                direction, change = "increase", "by"
            elif metric.endswith(("率", "比重", "占比", "产量", "规模", "总量", "水平")):
                direction, change = "reach", "to"
        qualifier = pre + ("、" if pre and post else "") + post
        bound = _QUAL_BOUND.get(post) or _QUAL_BOUND.get(pre)
        if post in ("以上", "左右") and pre == "力争":
            bound = _QUAL_BOUND[post]
        ss, se = bounds.sentence(s)
        past = bool(_PAST_MARKERS.search(text, ss, se))
        start = verb_start if vm else s
        if metric:
            start = text.find(metric, cs, start) if text.find(metric, cs, start) >= 0 else start
        out.append(
            Target(
                text=text[start:e],
                kind="quantitative",
                start=start,
                end=e,
                value=value,
                value_max=_as_float(m["num2"]),
                unit=unit_s,
                qualifier=qualifier,
                bound=bound,
                metric=metric,
                direction=direction,
                change=change,
                is_past=past,
            )
        )
    for m in RE_DOUBLE.finditer(text):
        s, e = m.start(), m.end()
        cs, _ce = bounds.clause(s)
        metric = _metric(text, cs, s)
        ss, se = bounds.sentence(s)
        value = 4.0 if "两番" in m.group(0) else 2.0
        start = text.find(metric, cs, s) if metric and text.find(metric, cs, s) >= 0 else s
        out.append(
            Target(
                text=text[start:e],
                kind="quantitative",
                start=start,
                end=e,
                value=value,
                unit="倍",
                metric=metric,
                direction="increase",
                change="to",
                is_past="了" in m.group(0) or bool(_PAST_MARKERS.search(text, ss, se)),
            )
        )
    return out


# ----------------------------------------------------------------- qualitative
_GOAL_VERBS = (
    "打造成为",
    "打造成",
    "打造",
    "建设成为",
    "建设成",
    "建成为",
    "建成",
    "基本建成",
    "全面建成",
    "率先建成",
    "成为",
    "进入",
    "迈入",
    "迈进",
    "跻身",
    "位居",
    "位列",
    "保持",
    "稳居",
    "走在",
    "实现",
    "创建",
    "争创",
    "形成",
    "建设",
)
RE_GOAL_VERB = re.compile("(?:" + "|".join(sorted(_GOAL_VERBS, key=len, reverse=True)) + ")")
_GOAL_ADVERBS = ("基本", "全面", "率先", "初步", "努力", "加快", "着力", "力争", "全力", "奋力", "持续")
_GOAL_NOUNS = (
    "基地",
    "示范区",
    "先行区",
    "试验区",
    "实验区",
    "引领区",
    "核心区",
    "承载区",
    "集聚区",
    "功能区",
    "高地",
    "中心",
    "枢纽",
    "屏障",
    "样板",
    "标杆",
    "典范",
    "模范",
    "排头兵",
    "桥头堡",
    "窗口",
    "增长极",
    "动力源",
    "策源地",
    "集群",
    "城市群",
    "经济圈",
    "经济带",
    "走廊",
    "强省",
    "强区",
    "强市",
    "强县",
    "大省",
    "强国",
    "名城",
    "之都",
    "目的地",
    "前列",
    "行列",
    "第一方阵",
    "前茅",
    "全覆盖",
    "覆盖",
    "清零",
    "翻番",
    "翻一番",
    "零增长",
    "历史性突破",
    "零的突破",
    "达标",
    "示范省",
    "示范市",
    "示范县",
    "示范带",
    "示范",
    "粮仓",
    "新格局",
    "格局",
    "先行者",
    "领跑者",
    "首位",
    "第一",
    "领先",
    "一流",
    "新标杆",
    "重要支点",
    "新引擎",
    "先行示范区",
    "大通道",
)
RE_GOAL_NOUN_END = re.compile("(?:" + "|".join(sorted(_GOAL_NOUNS, key=len, reverse=True)) + ")$")
RE_RANK_WORD = re.compile(
    r"全国最|全球最|世界最|全国领先|全球领先|世界领先|国际领先|国内领先|"
    r"世界一流|国际一流|全国一流|全国前列|全国第一|领先水平|先进水平"
)
RE_COORD = re.compile(r"(?:和|、|及|以及|与)")
# Verb+object only counts when the object is short and the goal noun ends it.
_MAX_GOAL_LEN = 40


def _qualitative(text: str, bounds: Bounds) -> list[Target]:
    out: list[Target] = []
    for m in RE_GOAL_VERB.finditer(text):
        vs, ve = m.start(), m.end()
        adv = text[max(0, vs - 2) : vs]
        if adv in _GOAL_ADVERBS:
            vs -= 2
        _cs, ce = bounds.clause(ve)
        # A "(" or quote closes nothing; cut the object at brackets too.
        obj_end = ce
        for ch in "（(":
            k = text.find(ch, ve, obj_end)
            if k >= 0:
                obj_end = k
        obj = text[ve:obj_end]
        verb = text[vs:ve]
        if not obj or len(obj) > _MAX_GOAL_LEN:
            continue
        if verb.endswith("建设") and not RE_RANK_WORD.search(obj):
            # 建设 is mostly nominal (…建设); only ranked goals qualify.
            continue
        ranked = bool(RE_RANK_WORD.search(obj))
        if not (RE_GOAL_NOUN_END.search(obj) or ranked):
            continue
        if verb.endswith(("保持", "实现", "形成")) and not (ranked or RE_GOAL_NOUN_END.search(obj)):
            continue
        ss, se = bounds.sentence(vs)
        past = bool(_PAST_MARKERS.search(text, ss, se)) or text[obj_end : obj_end + 1] == "了"
        # Split "A基地和B基地" into goals that each end with a goal noun.
        parts: list[tuple[int, int]] = []
        pos = ve
        for cm in RE_COORD.finditer(text, ve, obj_end):
            if RE_GOAL_NOUN_END.search(text[pos : cm.start()]):
                parts.append((pos, cm.start()))
                pos = cm.end()
        parts.append((pos, obj_end))
        if len(parts) > 1 and not RE_GOAL_NOUN_END.search(text[parts[-1][0] : parts[-1][1]]):
            parts = [(ve, obj_end)]
        for i, (ps, pe) in enumerate(parts):
            start = vs if i == 0 else ps
            goal = text[ps:pe].strip()
            if len(goal) < 2:
                continue
            out.append(
                Target(
                    text=text[start:pe],
                    kind="qualitative",
                    start=start,
                    end=pe,
                    metric=goal,
                    direction="reach",
                    is_past=past,
                )
            )
    return out


def extract_targets(text: str, *, qualitative: bool = True) -> list[Target]:
    """Quantitative (and, by default, qualitative) targets in ``text``, by offset."""
    bounds = Bounds(text)
    out = _quantitative(text, bounds)
    if qualitative:
        out.extend(_qualitative(text, bounds))
    out.sort(key=lambda t: (t.start, t.end))
    return out
