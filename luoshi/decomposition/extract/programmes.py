"""Named programmes: …工程, …计划, …行动, …基地, …机制, …示范区, …试点, …战略.

Method
1. A trie regex finds programme keywords (adjacent keywords merge:
   战略+行动, 行动+计划, 示范+工程…).  Keywords continued by a word that
   makes them a modifier (战略性, 计划生育, 试点城市, 行动指南…) are skipped.
2. The candidate name runs left from the keyword to the nearest clause
   punctuation (，。；：、（）《》 and spaces; quotes are kept).
3. The candidate is segmented (jieba via luoshi.lib.nlp, on this short window
   only, or sliced from pre-computed tokens) and walked right to left; the
   walk stops at a function word (的, 和, 在, 对, 把, 等…), an adverb
   (深入, 加快…) or a governing action verb from action_verbs.txt (实施,
   推进, 落实…).  Verbs that routinely live inside names (建设, 研究, 发展,
   促进, 助力, 普及, 提升, 交流, 振兴…) do not stop the walk, but one of them
   at the very left edge of an unbounded candidate is dropped.
4. Generic heads (工作机制, 长效机制, 体制机制, …制度机制, 国家战略…) and names shorter
   than keyword + 2 characters are dropped; names nested in a longer name
   with the same end are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from luoshi.lib import nlp

from ._common import action_verbs, flat_asdict, trie_regex, words


@dataclass
class Programme:
    """A named programme; ``keyword`` is the category word it ends with."""

    name: str
    keyword: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return flat_asdict(self)


KEYWORDS = (
    "专项行动",
    "行动计划",
    "行动方案",
    "示范工程",
    "示范区",
    "先行区",
    "试验区",
    "工程",
    "计划",
    "行动",
    "基地",
    "机制",
    "试点",
    "战略",
)
_RE_KW = re.compile("(?:" + trie_regex(KEYWORDS).pattern + ")+")

# Continuations that turn a keyword into a modifier.
_BAD_CONTINUATION = re.compile(
    r"性|化|师|生育|单列|经济|机遇|支点|目标|地位|定力|任务|部署|重点|意义|全局|合作|伙伴|"
    r"布局|资源|高度|眼光|思维|考量|谋划|需要|安排|方向|纲领|指南|自觉|城市|地区|单位|范围|经验|"
    r"省份|县|企业|机械|质量|造价|项目|实施方案|工作方案|建设方案|使命|职责|功能|作用|考虑|层面|方针|"
    r"能力|储备|科学家|人才|投资者|新兴|腹地|要地|安全|协作|对话|沟通"
)
_BOUNDARY = set("，。；：、！？,.;:!?（）()《》〈〉【】[]{}　 \t\n")
_FUNCTION_WORDS = frozenset(
    words(
        "的 地 得 和 与 及 以及 或 或者 等 在 对 把 将 向 为 由 从 按 按照 以 同 了 是 要 并 并且 "
        "通过 围绕 依托 结合 推动 加大 加快 深入 大力 积极 全面 持续 扎实 稳步 着力 进一步 继续 "
        "不断 坚定不移 切实 认真 努力 主动 全力 抓紧 尽快 一批 一系列 若干 一些 各类 各种 多个 一大批 "
        "这一 该 此 其 各项 相关 有关 这些 那些 好 中 上 下 里 后 前 之 于 至 到 给 让 使 被 "
        "同时 其中 重点 特别是 尤其是 包括 支持 鼓励 引导 争创 创建 申报 设立 组建 用好 用活 "
        "获批 入选 纳入 列入 获评 入围 荣获 启动 实施 开展 成为 建成 打造 形成 实现"
    )
)
# Verbs that routinely occur inside programme names.
_NAME_VERBS = frozenset(
    words(
        "建设 研究 发展 保护 提升 普及 振兴 交流 促进 助力 创新 改革 开放 治理 管理 服务 监管 教育 "
        "培训 评价 考核 利用 开发 修复 融合 协同 合作 共享 转型 升级 改造 突破 攻关 引领 提质 增效 "
        "扩容 应用 推广 倍增 找矿 铸牢 繁荣 育人 培育 示范 引进 保障 防治 预防 救助 帮扶 激励 "
        "回收 处置 宣传 传承 弘扬 赋能 减量 减排 节约 增收 就业 创业 惠民 富民 兴边 强边 固边 "
        "互嵌 共建 共治 联动 衔接 对接 整治 提标 扩面 新建 改建 扩建 攻坚 登峰 筑基 领航"
    )
)
_GENERIC_HEADS = frozenset(
    words(
        "工作 长效 体制 协调 联动 工作协调 常态化 保障 管理 运行 监管 领导 责任 考核 评价 激励 约束 "
        "创新 改革 发展 国家 重大 重点 实施 试点 示范 相关 有关 各项 这一 各类 专项 有效 新 "
        "体制机制 工作机制 长效机制 协调机制 运行机制 保障机制 激励机制 约束机制 联动机制 发展战略 "
        "国家战略 重大战略 重大工程 重点工程 重大项目 行动 计划 机制 全链条工作 制度 政策 防控 "
        "市场化 法治化 常态长效 协作 合作 沟通 会商 问责 督查 督办 考评 监督 评估 预警 应急 "
        "一批 一系列 若干 综合 全面 统筹"
    )
)
_MAX_NAME = 30


_MEASURE_CHARS = frozenset("个项所家批条类座")
_RE_COUNT = re.compile(
    r"^(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万几]+)(?:[个项所家批条类座]|多个)?$|\d"
)


def _stops(word: str) -> bool:
    if word in _FUNCTION_WORDS:
        return True
    if _RE_COUNT.search(word) and not word.endswith("年"):
        # "285个计划", "4个…试点": counts, not names (N年 stays: 三年行动).
        return True
    verbs = action_verbs()
    return word in verbs and word not in _NAME_VERBS


class _Windows:
    """Words (with offsets in the text) lying inside a window of the text.

    Sliced by bisection from pre-computed tokens (in order, as
    ``nlp.tokens`` returns them) when given, else segmented per window.
    """

    def __init__(self, text: str, tokens: Sequence[nlp.Token] | None) -> None:
        self.text = text
        self.tokens = tokens
        self.starts = [t.start for t in tokens] if tokens is not None else []
        self.ends = [t.end for t in tokens] if tokens is not None else []

    def __call__(self, start: int, end: int) -> list[tuple[str, int, int]]:
        if self.tokens is not None:
            inside = self.tokens[bisect_left(self.starts, start) : bisect_right(self.ends, end)]
            return [(t.word, t.start, t.end) for t in inside]
        return [(t.word, t.start + start, t.end + start) for t in nlp.tokens(self.text[start:end])]


def extract_programmes(text: str, tokens: Sequence[nlp.Token] | None = None) -> list[Programme]:
    """Named programmes in ``text``.

    ``tokens``: optional pre-computed ``nlp.tokens(text)`` to avoid segmenting
    the windows again (their offsets must be relative to ``text``).
    """
    found: list[Programme] = []
    windows: _Windows | None = None
    for m in _RE_KW.finditer(text):
        ks, ke = m.start(), m.end()
        after = text[ke : ke + 4]
        if _BAD_CONTINUATION.match(after):
            continue
        left = ks
        limit = max(0, ks - _MAX_NAME)
        while left > limit and text[left - 1] not in _BOUNDARY:
            left -= 1
        if ks - left < 2:
            continue
        bounded = left > limit or left == 0
        if windows is None:
            windows = _Windows(text, tokens)
        toks = windows(left, min(len(text), ke + 3))
        # The keyword must end on a token boundary (rules out 试点工作, 计划生育).
        ends = {e for _w, _s, e in toks}
        if ke not in ends and ke != len(text):
            continue
        name_start = ks
        stopped = False
        for word, ts, te in reversed(toks):
            if te > ks:
                continue
            if ts < left:
                break
            if _stops(word):
                stopped = True
                break
            name_start = ts
        head_tokens = [w for w, ts, te in toks if ts >= name_start and te <= ks]
        if len(head_tokens) > 1 and (
            head_tokens[0] == "建设" or (not stopped and bounded and head_tokens[0] in _NAME_VERBS)
        ):
            name_start += len(head_tokens[0])
        while name_start < ks and text[name_start] in "”’\"'":
            name_start += 1
        if stopped and name_start < ks and text[name_start] in _MEASURE_CHARS:
            name_start += 1  # "102|项重大工程" -> drop the measure word too
        head = text[name_start:ks]
        if len(head) < 2 or head in _GENERIC_HEADS or head.strip('“”"') in _GENERIC_HEADS:
            continue
        if text[ks:ke].endswith("机制") and head.endswith(("制度", "体制")):
            continue  # "…群众制度机制": the generic 制度机制 after a bare noun, not a named mechanism
        opens, closes = head.count("“"), head.count("”")
        if opens > closes:
            name_start = text.rfind("“", name_start, ks) + 1
        elif closes > opens:
            # Extend left to the opening quote when it is close by; else drop.
            q = text.rfind("“", max(0, name_start - 12), name_start)
            if q < 0 or any(ch in _BOUNDARY for ch in text[q:name_start]):
                continue
            name_start = q
        found.append(Programme(text[name_start:ke], m.group(0), name_start, ke))
    # Drop names nested in a longer one with the same end.
    found.sort(key=lambda p: (p.end, p.start))
    out: list[Programme] = []
    for p in found:
        if out and out[-1].end == p.end:
            continue
        out.append(p)
    out.sort(key=lambda p: p.start)
    return out
