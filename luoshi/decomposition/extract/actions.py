"""Action verb + object pairs, sub-action splitting and short task titles.

Method (lexicon first, no full-text POS tagging, so it stays fast):
- action_verbs.txt is compiled into one trie regex (longest match wins).
- Each clause (split at ，；：。！？) is scanned for its first action verb.
  "Nominal" verbs that also head noun phrases (建设, 发展, 管理, 服务…) count
  only at the clause start or right after an adverb/modal; elsewhere they are
  read as nouns (…基地建设, 住房城乡建设部).
- Adverbs and modals directly before the verb (全面, 加快, 大力, 要…) are
  folded into the verb phrase; one directly following non-nominal verb is
  chained (研究制定, 支持引进).  The object is the rest of the clause.
- Inside a clause, "、" starts a new action when the segment before it began
  with a verb and the segment after it begins with a non-nominal verb
  (扩大数量、提高质量、增加产量).
- split_actions merges clauses without a verb into the neighbouring action
  (a leading time/condition clause into the next one; trailing clauses and
  purpose clauses such as 确保…/使…/力争… into the previous one).
- When no lexicon verb is found, a clause-initial jieba POS tag "v" is used
  as a fallback (short clauses only, a few characters tagged).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from luoshi.lib import nlp

from ._common import SENT_END_RE, action_verbs, clause_spans, flat_asdict, trie_regex, words


@dataclass
class Action:
    """An action: ``verb`` (with adverbs, e.g. "加快推进") + ``object``.

    core: the lexicon verb itself ("推进").  start/end cover verb + object;
    verb_start/verb_end and object_start/object_end are the parts.
    """

    text: str
    verb: str
    core: str
    object: str
    start: int
    end: int
    verb_start: int
    verb_end: int
    object_start: int
    object_end: int

    def to_dict(self) -> dict[str, Any]:
        return flat_asdict(self)


@dataclass
class ActionSpan:
    """A separable action inside a sentence (a subtask candidate)."""

    text: str
    start: int
    end: int
    verb: str

    def to_dict(self) -> dict[str, Any]:
        return flat_asdict(self)


ADVERBS = words(
    "加快 大力 积极 深入 全面 持续 不断 切实 着力 进一步 继续 扎实 稳步 稳妥 有序 统筹 坚决 严格 依法 "
    "认真 努力 主动 全力 抓紧 尽快 更加 更好 充分 科学 精准 重点 系统 协同 一体 整体 分类 分步 逐步 "
    "加紧 加速 积极稳妥 稳妥有序 坚定不移 毫不动摇 始终 长期 全方位 多渠道 高标准 高质量 大幅 有效 "
    "合理 适度 率先 优先 同步 联合 共同 集中 普遍 规范 因地制宜 务实 深度 广泛 及时 依规 严肃 "
    "坚持不懈 毫不松懈 一以贯之 不折不扣 着重 聚力 再 要 必须 应 应当 须 需 需要 将 可 可以 "
    "紧抓快干 常态长效 久久为功 扎扎实实 实打实 全链条 全过程 全周期 多措并举 大胆 稳慎 审慎 "
    "持续深入 全面深入 高效 规范化 常态化 系统化 一体化 协调 配套 有力 有序有效 加大力度 "
    "也 还 又 都 均 仍 仍然 共同 合力 同时 并 并且 进而 逐年 不断地 积极地 稳妥地 扎实地"
)
# Verbs that also head noun phrases; only clause-initial (or after an adverb).
NOMINAL_VERBS = frozenset(
    words(
        "建设 发展 管理 服务 审查 监督 保护 改革 创新 开发 利用 治理 监管 投资 研究 交流 合作 教育 宣传 "
        "培训 考核 评价 检查 评估 监测 保障 供应 供给 融资 贷款 担保 保险 补贴 救助 运输 储存 处理 处置 "
        "回收 收集 转移 分析 调查 统计 应用 运用 试行 登记 注册 备案 认证 认定 审批 审核 开放 共享 "
        "融合 协同 联动 转型 升级 改造 调整 重组 布局 规划 设计 引领 带动 转化 联系 协调 配置 分配 "
        "安排 投入 预警 应对 防治 预防 振兴 繁荣 增收 增产 提质 增效 扩容 育人 普及 覆盖 突破 攻关 "
        "传承 传播 激励 奖励 补助 资助 扶持 帮扶 落地 集聚 聚集 执行 通报 报告 公开 发布 使用 稳定 "
        "开发利用 整合利用 集约利用 节约集约 提质增效 降本增效 转型升级"
    )
)
# Verbs that take a verb phrase as complement (研究制定, 支持引进, 组织开展).
CHAIN_FIRST = frozenset(
    words(
        "研究 组织 统筹 协调 支持 鼓励 引导 推动 督促 指导 探索 谋划 着力 持续 继续 协同 共同 联合 帮助 "
        "积极 依法 严格 集中 全面 大力 加快 深入 稳步 有序 进一步 带动 促进 动员 发动 号召 倡导 提倡"
    )
)
# Clauses starting with these continue the previous action (purpose/result).
PURPOSE_LEADS = (
    "确保",
    "使",
    "让",
    "以",
    "从而",
    "进而",
    "为",
    "力争",
    "努力",
    "助力",
    "促使",
    "切实做到",
    "做到",
    "实现",
    "形成",
    "推动形成",
    "达到",
    "真正",
)

_VERBS = action_verbs()
_RE_VERB = trie_regex(_VERBS)
_RE_ADV = trie_regex(ADVERBS)
_ADV_SET = frozenset(ADVERBS)
_ADV_MAXLEN = max(len(a) for a in ADVERBS)
_UNIT_SUFFIX = set("部委局厅办署司处院")
_ENUM_MARK = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、|"
    r"第[一二三四五六七八九十百\d]+条)\s*"
)
_SUBJECT_MODAL = re.compile(
    r"[^，。；：]{0,14}?(?:(?<![重主需只纲摘概])要|必须|应当|(?<![相对反适理])应|(?<![必无])须|(?<![即必])将)"
    r"(?=[\u4e00-\u9fff])"
)
_COORD = re.compile(r"、|和|及|以及|与|并")
# Brackets/quotes and coordinators, scanned left to right by _split_top.
_SPLIT_SCAN = re.compile(r"[“（(《”）)》]|" + _COORD.pattern)
_SHARED_HEADS = (
    "建设",
    "发展",
    "改革",
    "工作",
    "管理",
    "保护",
    "治理",
    "利用",
    "体系",
    "机制",
    "服务",
    "水平",
    "能力",
    "产业",
    "创新",
    "开放",
    "监管",
    "试点",
    "工程",
    "行动",
    "计划",
    "项目",
    "制度",
    "政策",
)
_TITLE_MAX = 30
_NOUN_HEADS = (
    "基地",
    "体系",
    "机制",
    "中心",
    "平台",
    "设施",
    "设备",
    "系统",
    "人员",
    "队伍",
    "项目",
    "产业",
    "园区",
    "企业",
    "区",
    "业",
    "局",
    "部",
    "委",
    "厅",
    "办",
    "所",
    "站",
    "网",
    "库",
    "链",
    "群",
    "带",
    "圈",
    "线",
    "制度",
    "政策",
    "标准",
    "规划",
    "方案",
    "工程",
    "计划",
    "行动",
    "资金",
    "基金",
    "费",
    "率",
    "者",
    "家",
)


def _verb_at(text: str, pos: int, end: int) -> re.Match[str] | None:
    m = _RE_VERB.match(text, pos, end)
    if m and m.end() > m.start():
        return m
    return None


def _adverbs_before(text: str, lo: int, pos: int) -> int:
    """Start of the run of adverbs (each optionally + 地) ending at ``pos``."""
    while pos > lo:
        if text[pos - 1] == "地" and pos - 1 > lo:
            k = _adverb_len(text, lo, pos - 1)
            if k:
                pos -= k + 1
                continue
        k = _adverb_len(text, lo, pos)
        if not k:
            break
        pos -= k
    return pos


def _adverb_len(text: str, lo: int, pos: int) -> int:
    for k in range(min(_ADV_MAXLEN, pos - lo), 0, -1):
        if text[pos - k : pos] in _ADV_SET:
            return k
    return 0


def _find_verb(text: str, cs: int, ce: int) -> tuple[int, int, int, int] | None:
    """(phrase_start, core_start, core_end, phrase_end) of the clause's main verb."""
    pos = cs
    modal_end: int | None = None
    while pos < ce:
        m = _RE_VERB.search(text, pos, ce)
        if m is None:
            return None
        vs, ve = m.start(), m.end()
        am = _RE_ADV.match(text, vs, ce)
        if am and am.end() > ve:
            # 紧抓快干推进: a longer adverb wins over the verb it starts with.
            pos = am.end()
            continue
        word = m.group(0)
        if vs == cs:
            phrase_start = cs
            at_start = True
        else:
            if modal_end is None:
                sm = _SUBJECT_MODAL.match(text, cs, ce)
                modal_end = sm.end() if sm else -1
            phrase_start = _adverbs_before(text, max(cs, vs - 12), vs)
            at_start = (
                phrase_start == cs
                or vs == modal_end
                or (phrase_start < vs and modal_end > 0 and phrase_start <= modal_end)
            )
            if 0 < modal_end <= vs and modal_end > phrase_start:
                phrase_start = modal_end
        if word in NOMINAL_VERBS and not at_start:
            pos = ve
            continue
        if ve < ce and text[ve] in _UNIT_SUFFIX:
            pos = ve
            continue
        # Chain one directly following non-nominal verb (研究制定, 支持引进).
        phrase_end = ve
        m2 = _verb_at(text, ve, ce) if word in CHAIN_FIRST else None
        if m2 and m2.group(0) not in NOMINAL_VERBS and m2.end() < ce:
            phrase_end = m2.end()
        if phrase_end >= ce:
            # A bare verb with no object (…的问题, 得到落实) is not an action.
            return None
        return phrase_start, vs, ve, phrase_end
    return None


def _pos_fallback(text: str, cs: int, ce: int) -> tuple[int, int, int, int] | None:
    """Clause-initial verb by jieba POS for clauses the lexicon misses."""
    if ce - cs < 4 or ce - cs > 60:
        return None
    head = nlp.tag(text[cs : min(ce, cs + 8)])
    if not head:
        return None
    first = head[0]
    if first.pos == "v" and len(first.word) >= 2 and cs + len(first.word) < ce:
        return cs, cs, cs + len(first.word), cs + len(first.word)
    return None


def _token_boundary(text: str, start: int, end: int, limit: int) -> bool:
    """Whether jieba reads text[start:end] as a verb, not the head of a noun.

    True when jieba ends a word at ``end``, or the longer word it finds there
    is a verb-object compound (提高质量); False when that word ends in a noun
    head (装备制造基地, 防控体系).
    """
    window = text[start : min(limit, end + 6)]
    pos = start
    for tok in nlp.tag(window):
        pos += len(tok.word)
        if pos >= end:
            return pos == end or not tok.word.endswith(_NOUN_HEADS)
    return True


def _segments(text: str, cs: int, ce: int) -> list[tuple[int, int]]:
    """Split a clause at 、 where a new verb-initial segment starts."""
    out: list[tuple[int, int]] = []
    seg_start = cs
    if text.find("、", cs, ce) < 0:
        return [(cs, ce)]
    first = _find_verb(text, cs, ce)
    if first is None or first[0] != cs:
        return [(cs, ce)]
    pos = cs
    while True:
        k = text.find("、", pos, ce)
        if k < 0:
            break
        nxt = k + 1
        adv = _RE_ADV.match(text, nxt, ce)
        vpos = adv.end() if adv and adv.end() > nxt else nxt
        m = _verb_at(text, vpos, ce)
        if (
            m
            and m.group(0) not in NOMINAL_VERBS
            and m.end() < ce
            and _token_boundary(text, m.start(), m.end(), ce)
        ):
            out.append((seg_start, k))
            seg_start = nxt
        pos = nxt
    out.append((seg_start, ce))
    return out


def _action(text: str, s: int, e: int, use_pos: bool) -> Action | None:
    found = _find_verb(text, s, e)
    if found is None and use_pos:
        found = _pos_fallback(text, s, e)
    if found is None:
        return None
    ps, vs, ve, pe = found
    obj_start = pe
    while obj_start < e and text[obj_start] in "地 ":
        obj_start += 1
    obj = text[obj_start:e]
    if not obj:
        return None
    return Action(
        text=text[ps:e],
        verb=text[ps:pe],
        core=text[vs:ve],
        object=obj,
        start=ps,
        end=e,
        verb_start=ps,
        verb_end=pe,
        object_start=obj_start,
        object_end=e,
    )


def extract_actions(text: str, *, use_pos: bool = True, limit: int | None = None) -> list[Action]:
    """Action verb + object pairs for every clause (and 、-separated segment).

    ``limit``: stop after that many actions (cheap "has an action" tests).
    """
    return list(islice(iter_actions(text, use_pos=use_pos), limit))


def iter_actions(text: str, *, use_pos: bool = True) -> Iterator[Action]:
    """``extract_actions``, one at a time (the text is analysed only as far as consumed)."""
    for cs, ce in clause_spans(text):
        for ss, se in _segments(text, cs, ce):
            act = _action(text, ss, se, use_pos)
            if act is not None:
                yield act


def split_actions(sentence: str, *, use_pos: bool = True) -> list[ActionSpan]:
    """Separable actions of a sentence (or several sentences) as spans.

    Pieces are delimited by ，；、 (、 only inside a verb list) and 。；
    pieces without an action verb are merged into a neighbour.
    """
    out: list[ActionSpan] = []
    sent_start = 0
    stops = [m.start() for m in SENT_END_RE.finditer(sentence)] + [len(sentence)]
    for stop in stops:
        chunks: list[list[Any]] = []  # [start, end, verb]
        pending: int | None = None
        for cs, ce in clause_spans(sentence, sent_start, stop):
            for ss, se in _segments(sentence, cs, ce):
                act = _action(sentence, ss, se, use_pos)
                lead = sentence[ss:se]
                is_purpose = lead.startswith(PURPOSE_LEADS)
                if act is not None and not (is_purpose and chunks):
                    start = pending if pending is not None else ss
                    chunks.append([start, se, act.verb])
                    pending = None
                elif chunks:
                    chunks[-1][1] = se
                elif pending is None:
                    pending = ss
        for start, end, verb in chunks:
            out.append(ActionSpan(sentence[start:end], start, end, verb))
        sent_start = stop + 1
    return out


def _split_top(obj: str) -> list[str]:
    """Split an object at top-level coordinators (not inside quotes/brackets)."""
    parts: list[str] = []
    depth = 0
    last = 0
    for m in _SPLIT_SCAN.finditer(obj):
        ch = m.group()
        if ch in "“（(《":
            depth += 1
        elif ch in "”）)》":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(obj[last : m.start()])
            last = m.end()
    parts.append(obj[last:])
    return [p for p in parts if p]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = 0
    for tok in nlp.tokens(text[: limit + 8]):
        if tok.end > limit:
            break
        cut = tok.end
    return text[: cut or limit]


def _title_from_action(act: Action) -> str:
    parts = _split_top(act.object)
    obj = act.object
    if len(parts) > 1:
        first, last = parts[0], parts[-1]
        obj = first
        for head in _SHARED_HEADS:
            if last.endswith(head) and not first.endswith(head):
                obj = first + head
                break
    return _shorten(act.verb + obj, _TITLE_MAX)


def action_title(text: str, *, prefer_heading: bool = True) -> str:
    """A short task title (≤ 30 characters) for a task text.

    With ``prefer_heading``, a short leading heading sentence that carries an
    action ("（十）着眼培优增效，…。坚持…") is used as is; otherwise the first
    action becomes verb + first object conjunct (+ the shared head noun):
    "加快推进新能源大基地、装备制造基地和电力外送通道建设" -> "加快推进新能源大基地建设".
    """
    body = _ENUM_MARK.sub("", text, count=1).strip()
    if not body:
        return ""
    m = SENT_END_RE.search(body)
    if prefer_heading and m and m.start() <= _TITLE_MAX and body[m.end() :].strip():
        heading = body[: m.start()].strip()
        if heading and extract_actions(heading, use_pos=False, limit=1):
            return heading
    for act in extract_actions(body, use_pos=False, limit=1):
        return _title_from_action(act)
    first = body[: m.start()] if m else body
    return _shorten(first.strip(), _TITLE_MAX)
